// Coded failures of reader work, so callers can tell a pulled card from a busy reader.
export type ReaderErrorCode = 'reader-not-found' | 'no-card' | 'reader-busy' | 'card-removed' | 'transmit-failed';

export class ReaderError extends Error {
  constructor(readonly code: ReaderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReaderError';
  }
}
