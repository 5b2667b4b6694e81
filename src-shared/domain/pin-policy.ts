// Rules for a PIN or PUK the holder chooses, and plain format checks for one typed to be verified.
// Format checks run before any card command so that a typo never costs one of the card's tries.
import type { LocalizedText, TextLocale } from './localized-text';
import { birthDateOf } from './personnummer';
import { swedishNationalDigits } from './phone';

/** 'siths-pin': a SITHS identification or signature PIN; 'pin': any other, sized by the card. */
export type PinKind = 'siths-pin' | 'puk' | 'pin';

export interface PinLengthContext {
  kind: PinKind;
  /** The card's own limits (PKCS#15 minLength/maxLength); only used for kind 'pin'. */
  minLength?: number;
  maxLength?: number;
}

export interface PinHolder {
  /** 12 digits; a separator is tolerated. */
  personnummer?: string;
  /** YYYYMMDD. */
  birthDate?: string;
  phone?: string;
}

export interface NewPinContext extends PinLengthContext {
  currentPin?: string;
  holder?: PinHolder;
}

export type PinRejectionCode =
  | 'not-digits'
  | 'too-short'
  | 'too-long'
  | 'same-as-current'
  | 'all-same-digit'
  | 'straight-run'
  | 'linked-to-holder';

/** Which of the holder's facts a PIN repeats: for tests and reasoning only, never shown, so the refusal tells no one which fact matched. */
export type HolderLink = 'birth-date' | 'personnummer-digits' | 'phone-digits';

export type PinRejection =
  | { code: 'too-short'; minLength: number }
  | { code: 'too-long'; maxLength: number }
  | { code: Exclude<PinRejectionCode, 'too-short' | 'too-long'> };

/** Templates use vue-i18n's named placeholders, so they can be registered there as they are. */
export const pinRejectionMessages: Record<PinRejectionCode, LocalizedText> = {
  'not-digits': {
    sv: 'Koden får bara innehålla siffror (0–9).',
    en: 'The code may contain digits (0–9) only.',
  },
  'too-short': {
    sv: 'Koden är för kort. Den ska ha minst {minLength} siffror.',
    en: 'The code is too short. It must have at least {minLength} digits.',
  },
  'too-long': {
    sv: 'Koden är för lång. Den får ha högst {maxLength} siffror.',
    en: 'The code is too long. It may have at most {maxLength} digits.',
  },
  'same-as-current': {
    sv: 'Den nya koden måste vara en annan än den du har nu.',
    en: 'The new code must differ from the one you have now.',
  },
  'all-same-digit': {
    sv: 'Koden får inte bestå av en och samma siffra, till exempel 111111.',
    en: 'The code must not repeat a single digit, such as 111111.',
  },
  'straight-run': {
    sv: 'Koden får inte vara siffror i följd, till exempel 123456 eller 654321.',
    en: 'The code must not be consecutive digits, such as 123456 or 654321.',
  },
  'linked-to-holder': {
    sv: 'Välj en PIN-kod som inte går att koppla till dig.',
    en: 'Choose a PIN that cannot be linked to you.',
  },
};

const SITHS_PIN_LENGTH = 6;
const PUK_LENGTH = 8;
// When a card does not state its limits: the range PKCS#15 cards commonly allow.
const DEFAULT_PIN_RANGE = { min: 4, max: 8 } as const;
// A run this long from the holder's personnummer or phone is guessable by anyone who knows them.
const HOLDER_RUN_LENGTH = 6;

/** What the station does with a chosen code: hard rules refuse, a code tied to the holder is only advised against (seed 004: "should be avoided"). */
export type NewPinDecision =
  | { kind: 'accept'; advisedAgainst: boolean }
  | { kind: 'refuse'; rejections: PinRejection[] }
  | { kind: 'advise' };

/** The holder may keep a code tied to them once they have seen the advice and confirmed; every other rule stays a refusal. */
export function decideNewPin(pin: string, ctx: NewPinContext, holderLinkConfirmed: boolean): NewPinDecision {
  const rejections = checkNewPin(pin, ctx);
  const hard = rejections.filter((r) => r.code !== 'linked-to-holder');
  if (hard.length > 0) return { kind: 'refuse', rejections: hard };
  if (rejections.length === 0) return { kind: 'accept', advisedAgainst: false };
  return holderLinkConfirmed ? { kind: 'accept', advisedAgainst: true } : { kind: 'advise' };
}

export function pinLengthRange(ctx: PinLengthContext): { min: number; max: number } {
  switch (ctx.kind) {
    case 'siths-pin':
      return { min: SITHS_PIN_LENGTH, max: SITHS_PIN_LENGTH };
    case 'puk':
      return { min: PUK_LENGTH, max: PUK_LENGTH };
    case 'pin':
      return {
        // An empty PIN is never valid, whatever a card reports.
        min: Math.max(1, ctx.minLength ?? DEFAULT_PIN_RANGE.min),
        max: ctx.maxLength ?? DEFAULT_PIN_RANGE.max,
      };
  }
}

/** Digits and length only: for a PIN or PUK typed to be verified, where no policy applies. */
export function checkPinEntry(value: string, ctx: PinLengthContext): PinRejection[] {
  const { min, max } = pinLengthRange(ctx);
  const rejections: PinRejection[] = [];
  if (!/^\d*$/.test(value)) rejections.push({ code: 'not-digits' });
  if (value.length < min) rejections.push({ code: 'too-short', minLength: min });
  if (value.length > max) rejections.push({ code: 'too-long', maxLength: max });
  return rejections;
}

/**
 * Every reason the chosen code is refused; empty means it is accepted. The content rules only
 * run once the format is right, so a half-typed code is not reported as, say, a birth date.
 */
export function checkNewPin(pin: string, ctx: NewPinContext): PinRejection[] {
  const formatRejections = checkPinEntry(pin, ctx);
  if (formatRejections.length > 0) return formatRejections;

  const rejections: PinRejection[] = [];
  if (ctx.currentPin !== undefined && pin === ctx.currentPin) {
    rejections.push({ code: 'same-as-current' });
  }
  if (isOneRepeatedDigit(pin)) rejections.push({ code: 'all-same-digit' });
  if (isStraightRun(pin)) rejections.push({ code: 'straight-run' });

  // one refusal for every fact of the holder: which fact matched would help someone guess them
  if (holderLinks(pin, ctx.holder ?? {}).length > 0) rejections.push({ code: 'linked-to-holder' });
  return rejections;
}

/** The holder's facts a PIN contains: birth date forms, a run from the personnummer or from the phone number. */
export function holderLinks(pin: string, holder: PinHolder): HolderLink[] {
  const links: HolderLink[] = [];
  if (birthDateForms(holder).some((form) => pin.includes(form))) links.push('birth-date');
  if (sharesRun(pin, digitsOnly(holder.personnummer))) links.push('personnummer-digits');
  const phoneDigits = holder.phone === undefined ? '' : swedishNationalDigits(holder.phone);
  if (sharesRun(pin, phoneDigits)) links.push('phone-digits');
  return links;
}

export function pinRejectionText(rejection: PinRejection, locale: TextLocale): string {
  const template = pinRejectionMessages[rejection.code][locale];
  return template
    .replace('{minLength}', 'minLength' in rejection ? String(rejection.minLength) : '')
    .replace('{maxLength}', 'maxLength' in rejection ? String(rejection.maxLength) : '');
}

function isOneRepeatedDigit(pin: string): boolean {
  return new Set(pin).size === 1;
}

// Every step +1 (123456) or every step −1 (654321); 9 does not wrap to 0.
function isStraightRun(pin: string): boolean {
  const steps = [...pin].slice(1).map((digit, i) => Number(digit) - Number(pin[i]));
  return steps.every((step) => step === 1) || steps.every((step) => step === -1);
}

// YYMMDD, DDMMYY, MMDDYY and their four-digit-year forms, for every birth date known of the holder.
function birthDateForms(holder: PinHolder): string[] {
  const dates: string[] = [];
  const givenBirthDate = digitsOnly(holder.birthDate);
  if (givenBirthDate.length === 8) dates.push(givenBirthDate);
  const personnummer = digitsOnly(holder.personnummer);
  if (personnummer.length === 12) dates.push(birthDateOf(personnummer).replaceAll('-', ''));

  return dates.flatMap((date) => {
    const [yyyy, mm, dd] = [date.slice(0, 4), date.slice(4, 6), date.slice(6, 8)];
    const yy = yyyy.slice(2);
    return [yy, yyyy].flatMap((year) => [year + mm + dd, dd + mm + year, mm + dd + year]);
  });
}

// Shorter PINs (kind 'pin') are compared over their whole length, longer ones over six digits.
function sharesRun(pin: string, source: string): boolean {
  const runLength = Math.min(HOLDER_RUN_LENGTH, pin.length);
  for (let start = 0; start + runLength <= pin.length; start++) {
    if (source.includes(pin.slice(start, start + runLength))) return true;
  }
  return false;
}

function digitsOnly(value: string | undefined): string {
  return (value ?? '').replace(/\D/g, '');
}
