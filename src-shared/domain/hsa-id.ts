// HSA-ID: a person's or unit's id in the national health-care directory (Katalogtjänst HSA),
// also the serialNumber in a SITHS certificate subject.
//
// Rule (Inera): "SE" + the directory owner's 10-digit organisation number, no dash, then "-" and
// at least one letter A–Z/a–z or digit, 31 characters in all. Owners registered with the
// 16-prefixed 12-digit form of their number (SE165565594230-…) are accepted too. The
// organisation number must carry a valid Luhn check digit, as every Swedish one does. Ids
// from Inera's test environments (prefix other than SE) are not accepted.

const HSA_ID_PATTERN = /^SE(?:16)?(\d{10})-[A-Za-z0-9]+$/;
const HSA_ID_MAX_LENGTH = 31;

export function isValidHsaId(id: string): boolean {
  if (id.length > HSA_ID_MAX_LENGTH) return false;
  const organisationNumber = HSA_ID_PATTERN.exec(id)?.[1];
  return organisationNumber !== undefined && hasValidLuhnCheckDigit(organisationNumber);
}

/** Trims and upper-cases the "se" prefix; the local part keeps its case, as the directory issued it. */
export function normalizeHsaId(input: string): string {
  const trimmed = input.trim();
  return /^se/i.test(trimmed) ? `SE${trimmed.slice(2)}` : trimmed;
}

function hasValidLuhnCheckDigit(digits: string): boolean {
  let sum = 0;
  // From the right: the check digit keeps its value, every second digit before it is doubled.
  [...digits].reverse().forEach((char, indexFromRight) => {
    const value = Number(char) * (indexFromRight % 2 === 1 ? 2 : 1);
    sum += value > 9 ? value - 9 : value;
  });
  return sum % 10 === 0;
}
