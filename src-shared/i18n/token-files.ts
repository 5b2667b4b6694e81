// Why a token file was refused, in both languages: main sends only the code and where, the screen words it.
import { parseTokenFileErrorMessage, type TokenFileErrorCode } from '../token-file-codes';

export const sv: Record<TokenFileErrorCode, string> & { at: Record<'line' | 'keyId' | 'serial', string> } = {
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
  at: { line: 'rad {value}', keyId: 'nyckel-id ”{value}”', serial: 'serienummer ”{value}”' },
};

export const en: typeof sv = {
  'empty-file': 'The file is empty.',
  'file-too-large': 'The file is too large to import.',
  'not-utf8': 'The file is not UTF-8 text.',
  'unknown-format': "Unknown file format: the file is neither PSKC (XML) nor the supplier's CSV file.",
  'malformed-xml': 'The file is not valid XML.',
  'truncated': 'The file is incomplete — it seems to have been cut off.',
  'doctype-forbidden': 'The file contains a DOCTYPE declaration. Such files are refused for security reasons.',
  'not-pskc': 'The file is not a PSKC file (the root element must be KeyContainer).',
  'malformed-csv': 'The CSV file is malformed (the header row or the columns do not match).',
  'no-tokens': 'The file contains no tokens.',
  'missing-key': 'The file is encrypted but no key or password was given.',
  'wrong-key': 'Wrong key or password — the file could not be decrypted.',
  'bad-mac': 'The checksum (MAC) does not match: the file was changed or the key is wrong.',
  'missing-mac': 'An encrypted secret has no checksum (MAC).',
  'unsupported-encryption': "The file's encryption method is not supported.",
  'unknown-algorithm': 'Unknown algorithm — only HOTP and TOTP with SHA-1, SHA-256 or SHA-512 are supported.',
  'missing-secret': "The token's secret (seed) is missing.",
  'bad-secret-length': "The token's secret has the wrong length (1–64 bytes).",
  'bad-encoding': 'A value in the file is wrongly encoded (base64, hex or base32).',
  'missing-serial': 'The serial number is missing.',
  'bad-serial': 'The serial number is invalid (at most 64 characters, no control characters).',
  'duplicate-serial': 'The serial number occurs more than once in the file.',
  'counter-out-of-range': 'The counter must be a whole number from 0 to 2^64−1.',
  'bad-digits': 'The code length must be 6–9 digits (decimal).',
  'bad-time-parameters': 'The time step, start time or time drift is invalid.',
  at: { line: 'line {value}', keyId: 'key id "{value}"', serial: 'serial number "{value}"' },
};

type Translate = (key: string, values?: Record<string, string>) => string;

/** The detail of a refused token call in the screen's language: a refused file is worded from its code; other token refusals carry only serial numbers. */
export function wordTokenRefusalDetail(t: Translate, code: string, message: string): string {
  const refusal = code === 'token-file-invalid' ? parseTokenFileErrorMessage(message) : null;
  if (!refusal) return message;
  const where = Object.entries(refusal.location).map(([part, value]) => t(`tokens.fileErrors.at.${part}`, { value: String(value) }));
  return `${t(`tokens.fileErrors.${refusal.code}`)}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
