// Reads the token vendor's CSV seed list (serial, hex or base32 secret, hotp|totp, digits, interval): all rows or none.
import {
  SerialRegistry,
  checkSecret,
  decodeBase32,
  decodeHex,
  normaliseSerial,
  parseDigits,
  parsePeriod,
  DEFAULT_PERIOD_SECONDS,
} from './parsed-token';
import type { ParsedToken } from './parsed-token';
import { TokenFileError, locateTokenFileError } from './token-file-error';

type Column = 'serial' | 'secret' | 'type' | 'digits' | 'interval';

const columnByHeader: ReadonlyMap<string, Column> = new Map([
  ['serial', 'serial'],
  ['serialno', 'serial'],
  ['serienummer', 'serial'],
  ['secret', 'secret'],
  ['seed', 'secret'],
  ['hemlighet', 'secret'],
  ['type', 'type'],
  ['typ', 'type'],
  ['digits', 'digits'],
  ['siffror', 'digits'],
  ['interval', 'interval'],
  ['period', 'interval'],
  ['intervall', 'interval'],
]);

const REQUIRED_COLUMNS: readonly Column[] = ['serial', 'secret', 'type'];
const DEFAULT_DIGITS = 6;

/** Splits one line on the separator; double-quoted fields may contain it, "" is a literal quote. */
function splitCsvLine(line: string, separator: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === separator) {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  if (quoted) return undefined;
  fields.push(field.trim());
  return fields;
}

/** True when the first non-empty line looks like our vendor's header row. */
export function looksLikeVendorCsv(text: string): boolean {
  const header = text.split(/\r?\n/).find((line) => line.trim() !== '');
  if (!header) return false;
  const separator = header.includes(';') ? ';' : ',';
  const names = splitCsvLine(header, separator) ?? [];
  return names.some((name) => columnByHeader.get(name.toLowerCase()) === 'serial');
}

function readHeader(header: string, lineNumber: number): { separator: string; columns: Column[] } {
  const separator = header.includes(';') ? ';' : ',';
  const columns = (splitCsvLine(header, separator) ?? []).map((name) => {
    const column = columnByHeader.get(name.toLowerCase());
    if (!column) throw new TokenFileError('malformed-csv', { line: lineNumber });
    return column;
  });
  const complete = REQUIRED_COLUMNS.every((required) => columns.includes(required));
  if (!complete || new Set(columns).size !== columns.length) {
    throw new TokenFileError('malformed-csv', { line: lineNumber });
  }
  return { separator, columns };
}

function decodeSecret(text: string): Uint8Array {
  const compact = text.replace(/[\s-]/g, '');
  if (compact === '') throw new TokenFileError('missing-secret');
  // Hex first: a base32 seed made only of A–F and 2–7 with an even length is vanishingly unlikely.
  const bytes = /^[0-9a-fA-F]+$/.test(compact) && compact.length % 2 === 0 ? decodeHex(compact) : decodeBase32(compact);
  return checkSecret(Uint8Array.from(bytes));
}

function readRow(values: ReadonlyMap<Column, string>): ParsedToken {
  const serial = normaliseSerial(values.get('serial'));
  const kind = values.get('type')?.toLowerCase();
  if (kind !== 'hotp' && kind !== 'totp') throw new TokenFileError('unknown-algorithm', { serial });
  const digitsText = values.get('digits');
  const common = {
    serial,
    algorithm: 'SHA1' as const,
    digits: parseDigits(digitsText === '' ? undefined : digitsText, DEFAULT_DIGITS),
    secret: decodeSecret(values.get('secret') ?? ''),
  };
  if (kind === 'hotp') return { ...common, kind, counter: 0n };
  const interval = values.get('interval') ?? '';
  const periodSeconds = interval === '' ? DEFAULT_PERIOD_SECONDS : parsePeriod(interval);
  return { ...common, kind, periodSeconds, t0: 0, driftSteps: 0 };
}

export function parseVendorCsv(text: string): ParsedToken[] {
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new TokenFileError('empty-file');
  const { separator, columns } = readHeader(lines[headerIndex] ?? '', headerIndex + 1);
  const serials = new SerialRegistry();
  const tokens: ParsedToken[] = [];
  for (let index = headerIndex + 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const lineNumber = index + 1;
    let serial: string | undefined;
    try {
      const fields = splitCsvLine(line, separator);
      if (!fields || fields.length !== columns.length) throw new TokenFileError('malformed-csv');
      const values = new Map(columns.map((column, position) => [column, fields[position] ?? '']));
      serial = values.get('serial')?.trim() || undefined;
      const token = readRow(values);
      serials.claim(token.serial, lineNumber);
      tokens.push(token);
    } catch (error) {
      throw locateTokenFileError(error, { line: lineNumber, serial });
    }
  }
  if (tokens.length === 0) throw new TokenFileError('no-tokens');
  return tokens;
}
