// The one entry point for importing a token seed file: tells PSKC from the vendor CSV and returns the common result.
import type { ParsedToken } from './parsed-token';
import { parsePskc } from './pskc';
import type { PskcDecryption } from './pskc';
import { TokenFileError } from './token-file-error';
import { looksLikeVendorCsv, parseVendorCsv } from './vendor-csv';

export type { ParsedToken, ParsedHotpToken, ParsedTotpToken } from './parsed-token';
export type { PskcDecryption } from './pskc';
export { TokenFileError } from './token-file-error';
export type { TokenFileErrorCode } from './token-file-error';

export type TokenFileFormat = 'pskc' | 'vendor-csv';

export interface TokenFileImport {
  readonly format: TokenFileFormat;
  readonly tokens: ParsedToken[];
}

// 10,000 PSKC keys are about 8 MB; anything far beyond that is not a seed file.
export const MAX_TOKEN_FILE_BYTES = 64 * 1024 * 1024;

function decodeText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw new TokenFileError('not-utf8');
  }
}

export function detectTokenFileFormat(text: string): TokenFileFormat | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return 'pskc';
  if (looksLikeVendorCsv(start)) return 'vendor-csv';
  return undefined;
}

/** Reads and validates a whole seed file; the result holds every token, or a TokenFileError is thrown. */
export function parseTokenFile(input: string | Uint8Array, decryption: PskcDecryption = {}): TokenFileImport {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_TOKEN_FILE_BYTES) throw new TokenFileError('file-too-large');
  const text = decodeText(input).replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new TokenFileError('empty-file');
  const format = detectTokenFileFormat(text);
  if (format === 'pskc') return { format, tokens: parsePskc(text, decryption) };
  if (format === 'vendor-csv') return { format, tokens: parseVendorCsv(text) };
  throw new TokenFileError('unknown-format');
}
