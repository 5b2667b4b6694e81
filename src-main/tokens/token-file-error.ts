// One typed error for every way a token seed file can be refused, with Swedish text for the operator.

export type TokenFileErrorCode =
  | 'empty-file'
  | 'file-too-large'
  | 'not-utf8'
  | 'unknown-format'
  | 'malformed-xml'
  | 'truncated'
  | 'doctype-forbidden'
  | 'not-pskc'
  | 'malformed-csv'
  | 'no-tokens'
  | 'missing-key'
  | 'wrong-key'
  | 'bad-mac'
  | 'missing-mac'
  | 'unsupported-encryption'
  | 'unknown-algorithm'
  | 'missing-secret'
  | 'bad-secret-length'
  | 'bad-encoding'
  | 'missing-serial'
  | 'bad-serial'
  | 'duplicate-serial'
  | 'counter-out-of-range'
  | 'bad-digits'
  | 'bad-time-parameters';

const swedishMessages: Record<TokenFileErrorCode, string> = {
  'empty-file': 'Filen är tom.',
  'file-too-large': 'Filen är för stor för att importeras.',
  'not-utf8': 'Filen är inte UTF-8-kodad text.',
  'unknown-format': 'Okänt filformat: filen är varken PSKC (XML) eller leverantörens CSV-fil.',
  'malformed-xml': 'Filen är inte giltig XML.',
  truncated: 'Filen är ofullständig – den verkar ha avbrutits mitt i.',
  'doctype-forbidden':
    'Filen innehåller en DOCTYPE-deklaration. Sådana filer tas inte emot av säkerhetsskäl.',
  'not-pskc': 'Filen är inte en PSKC-fil (rotelementet ska vara KeyContainer).',
  'malformed-csv': 'CSV-filen har fel uppbyggnad (rubrikrad eller kolumner stämmer inte).',
  'no-tokens': 'Filen innehåller inga dosor.',
  'missing-key': 'Filen är krypterad men ingen nyckel eller inget lösenord angavs.',
  'wrong-key': 'Fel nyckel eller lösenord – filen kunde inte dekrypteras.',
  'bad-mac': 'Kontrollsumman (MAC) stämmer inte: filen har ändrats eller nyckeln är fel.',
  'missing-mac': 'En krypterad hemlighet saknar kontrollsumma (MAC).',
  'unsupported-encryption': 'Filens krypteringsmetod stöds inte.',
  'unknown-algorithm': 'Okänd algoritm – endast HOTP och TOTP med SHA-1, SHA-256 eller SHA-512 stöds.',
  'missing-secret': 'Dosans hemlighet (seed) saknas.',
  'bad-secret-length': 'Dosans hemlighet har fel längd (1–64 byte).',
  'bad-encoding': 'Ett värde i filen är felaktigt kodat (base64, hex eller base32).',
  'missing-serial': 'Serienummer saknas.',
  'bad-serial': 'Serienumret är ogiltigt (högst 64 tecken, inga styrtecken).',
  'duplicate-serial': 'Serienumret förekommer mer än en gång i filen.',
  'counter-out-of-range': 'Räknaren måste vara ett heltal mellan 0 och 2^64−1.',
  'bad-digits': 'Kodlängden måste vara 6–9 siffror (decimal).',
  'bad-time-parameters': 'Tidsintervall, starttid eller tidsdrift är ogiltiga.',
};

/** Where in the file the problem is; never a secret, only positions and public identifiers. */
export interface TokenFileErrorLocation {
  readonly line?: number;
  readonly keyId?: string;
  readonly serial?: string;
}

const MAX_SHOWN_IDENTIFIER_LENGTH = 64;

// File content is untrusted: keep identifiers short and printable before they reach a message or a log.
function printable(identifier: string): string {
  const cleaned = identifier.replace(/[\p{Cc}\p{Cf}]/gu, ' ').trim();
  return cleaned.length > MAX_SHOWN_IDENTIFIER_LENGTH
    ? `${cleaned.slice(0, MAX_SHOWN_IDENTIFIER_LENGTH)}…`
    : cleaned;
}

function describeLocation(location: TokenFileErrorLocation): string {
  const parts: string[] = [];
  if (location.line !== undefined) parts.push(`rad ${location.line}`);
  if (location.keyId !== undefined) parts.push(`nyckel-id ”${location.keyId}”`);
  if (location.serial !== undefined) parts.push(`serienummer ”${location.serial}”`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  readonly code: TokenFileErrorCode;
  readonly line: number | undefined;
  readonly keyId: string | undefined;
  readonly serial: string | undefined;

  constructor(code: TokenFileErrorCode, location: TokenFileErrorLocation = {}) {
    const keyId = location.keyId === undefined ? undefined : printable(location.keyId);
    const serial = location.serial === undefined ? undefined : printable(location.serial);
    super(swedishMessages[code] + describeLocation({ line: location.line, keyId, serial }));
    this.code = code;
    this.line = location.line;
    this.keyId = keyId;
    this.serial = serial;
  }
}

/** Adds a location to an error raised deep inside a key, keeping the innermost details it already has. */
export function locateTokenFileError(error: unknown, location: TokenFileErrorLocation): unknown {
  if (!(error instanceof TokenFileError)) return error;
  return new TokenFileError(error.code, {
    line: error.line ?? location.line,
    keyId: error.keyId ?? location.keyId,
    serial: error.serial ?? location.serial,
  });
}
