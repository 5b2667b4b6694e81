// One typed error for every way a token seed file can be refused; its message is the code and where, worded by the screen (src-shared/i18n/token-files.ts).

import { tokenFileErrorMessage, type TokenFileErrorCode } from '@shared/token-file-codes';

export type { TokenFileErrorCode };


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

export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
  readonly code: TokenFileErrorCode;
  readonly line: number | undefined;
  readonly keyId: string | undefined;
  readonly serial: string | undefined;

  constructor(code: TokenFileErrorCode, location: TokenFileErrorLocation = {}) {
    const keyId = location.keyId === undefined ? undefined : printable(location.keyId);
    const serial = location.serial === undefined ? undefined : printable(location.serial);
    super(tokenFileErrorMessage(code, { line: location.line, keyId, serial }));
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
