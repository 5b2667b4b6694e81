// The rules for a person's fields, shared by the form (create/update) and the import: text in, normalised values or coded errors out.
import { EMPLOYMENT_TYPES, type EmploymentType, type ImportErrorCode } from '@shared/contract';
import { isValidHsaId, normalizeHsaId } from '@shared/domain/hsa-id';
import { parsePersonalNumber } from '@shared/domain/personnummer';
import { normalizeSwedishMobile } from '@shared/domain/phone';

export interface PersonValues {
  firstName: string;
  surname: string;
  /** YYYYMMDDNNNC. */
  personnummer: string;
  hsaId: string | null;
  username: string | null;
  email: string | null;
  mobile: string | null;
  employmentType: EmploymentType | null;
  /** YYYY-MM-DD. */
  employmentEnd: string | null;
  /** Anställningsnummer: what a person-paid charge is deducted from salary against. */
  employeeNumber: string | null;
}

export type PersonField = keyof PersonValues;
export type RawPersonFields = Partial<Record<PersonField, string | null>>;

export interface FieldError {
  field: PersonField;
  code: ImportErrorCode;
}

type FieldResult<T> = { ok: true; value: T } | { ok: false; code: ImportErrorCode };

const MAX_NAME_LENGTH = 100;
const MAX_USERNAME_LENGTH = 64;
const MAX_EMAIL_LENGTH = 254;
const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;
// Deliberately loose: one @, something on each side, a dot in the domain; the mail server has the last word.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control characters other than line breaks (collapsed to spaces) never belong in a name.
const CONTROL_CHARACTERS = /\p{Cc}/u;

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const fail = (code: ImportErrorCode): FieldResult<never> => ({ ok: false, code });

function name(raw: string): FieldResult<string> {
  if (raw === '') return fail('missing');
  const collapsed = raw.replace(/\s+/g, ' ');
  if (collapsed.length > MAX_NAME_LENGTH) return fail('too-long');
  return CONTROL_CHARACTERS.test(collapsed) ? fail('invalid') : ok(collapsed);
}

function personnummer(raw: string, today: Date): FieldResult<string> {
  if (raw === '') return fail('missing');
  const parsed = parsePersonalNumber(raw, today);
  return parsed.ok ? ok(parsed.normalized12) : fail(parsed.code);
}

function hsaId(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  const normalized = normalizeHsaId(raw);
  return isValidHsaId(normalized) ? ok(normalized) : fail('invalid');
}

function username(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  if (raw.length > MAX_USERNAME_LENGTH) return fail('too-long');
  return USERNAME_PATTERN.test(raw) ? ok(raw) : fail('invalid');
}

function email(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  if (raw.length > MAX_EMAIL_LENGTH) return fail('too-long');
  return EMAIL_PATTERN.test(raw) ? ok(raw) : fail('invalid');
}

function mobile(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  const normalized = normalizeSwedishMobile(raw);
  return normalized ? ok(normalized) : fail('invalid');
}

const EMPLOYEE_NUMBER_PATTERN = /^[A-Za-z0-9-]{1,20}$/;

function employeeNumber(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  return EMPLOYEE_NUMBER_PATTERN.test(raw) ? ok(raw) : fail(raw.length > 20 ? 'too-long' : 'invalid');
}

/** Accepts the template's words in any case ('Region', 'Kommunal', 'LOV', 'Privat') and 'kommun'. */
export function parseEmploymentType(raw: string): FieldResult<EmploymentType | null> {
  if (raw === '') return ok(null);
  const word = raw.toLowerCase();
  const type = word === 'kommun' ? 'kommunal' : EMPLOYMENT_TYPES.find((candidate) => candidate === word);
  return type ? ok(type) : fail('invalid');
}

/** 'YYYY-MM-DD' or 'YYYYMMDD', a real calendar date. */
export function parseIsoDate(raw: string): FieldResult<string | null> {
  if (raw === '') return ok(null);
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(raw);
  if (!match) return fail('format');
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = `${year}-${month}-${day}`;
  return date.toISOString().slice(0, 10) === iso ? ok(iso) : fail('date');
}

const parsers: { [F in PersonField]: (raw: string, today: Date) => FieldResult<PersonValues[F]> } = {
  firstName: name,
  surname: name,
  personnummer,
  hsaId,
  username,
  email,
  mobile,
  employmentType: parseEmploymentType,
  employmentEnd: parseIsoDate,
  employeeNumber,
};

export const PERSON_FIELDS = Object.keys(parsers) as PersonField[];

/** Validates the fields present in `raw` (absent ones are left out of `values`); null counts as empty. */
export function parsePersonFields(raw: RawPersonFields, today: Date = new Date()): { values: Partial<PersonValues>; errors: FieldError[] } {
  const values: Partial<Record<PersonField, unknown>> = {};
  const errors: FieldError[] = [];
  for (const field of PERSON_FIELDS) {
    const input = raw[field];
    if (input === undefined) continue;
    const result = parsers[field]((input ?? '').trim(), today);
    if (result.ok) values[field] = result.value;
    else errors.push({ field, code: result.code });
  }
  return { values: values as Partial<PersonValues>, errors };
}

/** Lower-cased, whitespace collapsed: the form every search column and query is compared in. */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}
