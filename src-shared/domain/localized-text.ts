// Every user-facing rule message exists in Swedish (the kiosk's language) and English.
export interface LocalizedText {
  sv: string;
  en: string;
}

export type TextLocale = keyof LocalizedText;
