// "Vanliga frågor" at the kiosk: which answers and contacts exist, and how an edited text names the contacts.

/** The questions of seed 004 (eTjänstekort) and seed 000 (dosor), in the order the kiosk shows them. */
export const FAQ_QUESTIONS = ['validity', 'expiryMail', 'lostCard', 'forgottenPin', 'lostPuk', 'nameChange', 'leaving', 'tokenLost', 'tokenBroken'] as const;
export type FaqQuestion = (typeof FAQ_QUESTIONS)[number];

/** The region's contacts; an answer names one as {servicedesk}, {raEmail} or {cardStations}. */
export const FAQ_CONTACTS = ['servicedesk', 'raEmail', 'cardStations'] as const;
export type FaqContact = (typeof FAQ_CONTACTS)[number];

export const FAQ_LOCALES = ['sv', 'en'] as const;
export type FaqLocale = (typeof FAQ_LOCALES)[number];

/** What the organisation administrator has written for one language; anything absent is the kiosk's own default text. */
export interface FaqTexts {
  answers: Partial<Record<FaqQuestion, string>>;
  contacts: Partial<Record<FaqContact, string>>;
}

export type FaqTextsByLocale = Record<FaqLocale, FaqTexts>;

/** The token terms an answer may name: the lost-token charge and the token contact, set under the token terms. */
export const FAQ_TOKEN_TERMS = ['lostCharge', 'tokenSupport'] as const;
export type FaqPlaceholder = FaqContact | (typeof FAQ_TOKEN_TERMS)[number];
const PLACEHOLDERS: readonly string[] = [...FAQ_CONTACTS, ...FAQ_TOKEN_TERMS];

/** Puts the contacts and token terms into an edited answer; an unknown {name} is left as written so the administrator sees the typo. */
export function fillContacts(text: string, values: Record<FaqPlaceholder, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (PLACEHOLDERS.includes(name) ? values[name as FaqPlaceholder] : whole));
}
