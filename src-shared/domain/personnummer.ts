// Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).
// The `personnummer` package is the authority on the check digit; this module adds what it lacks:
// a century rule that compares whole dates against an injectable "today", error codes that say
// what is wrong, and one canonical 12-digit form.
import Personnummer from 'personnummer';

export type PersonalNumberError = 'format' | 'check-digit' | 'date';

export type PersonalNumberResult =
  | {
      ok: true;
      /** YYYYMMDDNNNC, coordination numbers keep their day+60. */
      normalized12: string;
      /** The real birth date, day−60 already applied for coordination numbers. */
      birthDate: string;
      isCoordinationNumber: boolean;
      /** From the second-to-last digit (odd = male); always set by parsePersonalNumber. */
      sex?: 'female' | 'male';
    }
  | { ok: false; code: PersonalNumberError };

// Optional century, date, separator, birth serial (never 000), check digit.
const INPUT_PATTERN = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)((?!000)\d{3})(\d)$/;
const NORMALIZED_PATTERN = /^\d{12}$/;
// Skatteverket adds 60 to the day of a coordination number.
const COORDINATION_DAY_OFFSET = 60;

/**
 * Parses 10 or 12 digits with or without '-'/'+' before the last four ('+' on a 10-digit number
 * means the holder is 100 or older). On 12-digit input the century is explicit and the separator
 * is not interpreted.
 */
export function parsePersonalNumber(input: string, today: Date = new Date()): PersonalNumberResult {
  const match = INPUT_PATTERN.exec(input.trim());
  if (!match) return { ok: false, code: 'format' };
  const [, century, yy = '', mm = '', dd = '', separator, serial = '', check = ''] = match;

  const month = Number(mm);
  const writtenDay = Number(dd);
  const isCoordinationNumber = writtenDay > COORDINATION_DAY_OFFSET;
  const realDay = isCoordinationNumber ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;

  const fullYear =
    century === undefined
      ? resolveFullYear(Number(yy), month, realDay, separator === '+', today)
      : Number(century + yy);
  if (!isRealDate(fullYear, month, realDay) || isAfter(fullYear, month, realDay, today)) {
    return { ok: false, code: 'date' };
  }

  const normalized12 = `${String(fullYear).padStart(4, '0')}${mm}${dd}${serial}${check}`;
  // Format and date are settled above, so the package can only object to the Luhn digit here.
  if (!Personnummer.valid(normalized12)) return { ok: false, code: 'check-digit' };
  const parsed = Personnummer.parse(normalized12);

  return {
    ok: true,
    normalized12,
    birthDate: birthDateOf(normalized12),
    isCoordinationNumber,
    sex: parsed.isMale() ? 'male' : 'female',
  };
}

/** 'YYYY-MM-DD' of a normalized number, with the coordination-number day offset removed. */
export function birthDateOf(normalized12: string): string {
  assertNormalized(normalized12);
  const writtenDay = Number(normalized12.slice(6, 8));
  const realDay =
    writtenDay > COORDINATION_DAY_OFFSET ? writtenDay - COORDINATION_DAY_OFFSET : writtenDay;
  const [year, month] = [normalized12.slice(0, 4), normalized12.slice(4, 6)];
  return `${year}-${month}-${String(realDay).padStart(2, '0')}`;
}

/** 'YYYYMMDD-****': the birth date stays readable for staff, the last four do not. */
export function maskPersonalNumber(normalized12: string): string {
  assertNormalized(normalized12);
  return `${normalized12.slice(0, 8)}-****`;
}

/** 'YYYYMMDD-XXXX', the form Skatteverket prints. */
export function formatPersonalNumber(normalized12: string): string {
  assertNormalized(normalized12);
  return `${normalized12.slice(0, 8)}-${normalized12.slice(8)}`;
}

function assertNormalized(normalized12: string): void {
  // A non-normalized value here is a programming error, not user input.
  if (!NORMALIZED_PATTERN.test(normalized12)) {
    throw new RangeError('expected a normalized 12-digit personal number');
  }
}

// The latest year ending in yy whose date is not after today; '+' moves it one century back.
function resolveFullYear(
  yy: number,
  month: number,
  day: number,
  hundredOrOlder: boolean,
  today: Date,
): number {
  const thisYear = today.getFullYear();
  let year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
  if (isAfter(year, month, day, today)) year -= 100;
  return hundredOrOlder ? year - 100 : year;
}

function isAfter(year: number, month: number, day: number, today: Date): boolean {
  const asNumber = year * 10_000 + month * 100 + day;
  const todayAsNumber =
    today.getFullYear() * 10_000 + (today.getMonth() + 1) * 100 + today.getDate();
  return asNumber > todayAsNumber;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
