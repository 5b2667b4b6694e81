// Errors that carry a contract error code, so the router can pass them to the caller as they are.
import type { ErrorCode } from '@shared/contract';

export class AppError extends Error {
  constructor(readonly code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
  }
}
