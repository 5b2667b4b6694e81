// Every way a token seed file can be refused: main raises them, the screen words them.

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

export interface TokenFileLocation {
  line?: number | undefined;
  keyId?: string | undefined;
  serial?: string | undefined;
}

/** The refusal as main sends it: the code, then where as JSON; no language, so each screen words it in its own. */
export function tokenFileErrorMessage(code: TokenFileErrorCode | '', location: TokenFileLocation): string {
  const where = Object.fromEntries(Object.entries(location).filter(([, value]) => value !== undefined));
  return Object.keys(where).length === 0 ? code : `${code} ${JSON.stringify(where)}`;
}

export function parseTokenFileErrorMessage(message: string): { code: TokenFileErrorCode; location: TokenFileLocation } | null {
  const match = /^([a-z0-9-]+)(?: (\{.*\}))?$/s.exec(message);
  if (!match) return null;
  try {
    return { code: match[1] as TokenFileErrorCode, location: match[2] ? (JSON.parse(match[2]) as TokenFileLocation) : {} };
  } catch {
    return null;
  }
}
