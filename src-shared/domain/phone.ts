// Swedish phone numbers: the mobile number that receives SMS reset codes, and a digits-only
// national form used to compare any phone number with other digit strings.

// 070, 072, 073, 076 and 079 are PTS's mobile series; 071 is machine-to-machine.
const NATIONAL_MOBILE_PATTERN = /^07[02369]\d{7}$/;
// What people write around the digits: spaces, dashes, brackets ("+46 (0)70"), dots, slashes.
const ALLOWED_INPUT_PATTERN = /^\+?[\d\s\-()./]+$/;

/** '+46 70-123 45 67', '0046701234567', '070 123 45 67' → '+46701234567'; null if not a mobile. */
export function normalizeSwedishMobile(input: string): string | null {
  const trimmed = input.trim();
  if (!ALLOWED_INPUT_PATTERN.test(trimmed)) return null;
  const national = swedishNationalDigits(trimmed);
  return NATIONAL_MOBILE_PATTERN.test(national) ? `+46${national.slice(1)}` : null;
}

export function isValidSwedishMobile(input: string): boolean {
  return normalizeSwedishMobile(input) !== null;
}

/**
 * Digits only, with a Swedish country prefix (+46 or 0046, also "+46 (0)") turned into the
 * trunk 0, so '+46 70-123 45 67' and '070-1234567' both give '0701234567'. Other country
 * codes are left as plain digits.
 */
export function swedishNationalDigits(input: string): string {
  const digitsAndPlus = input.replace(/[^\d+]/g, '');
  const international = /^(?:\+|00)46(\d*)$/.exec(digitsAndPlus);
  if (!international) return digitsAndPlus.replace(/\D/g, '');
  const afterCountryCode = international[1] ?? '';
  // "+46 (0)70…" keeps the trunk 0 in brackets; drop it so it is not doubled.
  return `0${afterCountryCode.startsWith('0') ? afterCountryCode.slice(1) : afterCountryCode}`;
}
