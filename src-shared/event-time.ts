// When a station event happened: epoch milliseconds with a fraction, comparable between main and a window's clock.

/** performance.now() since the epoch: Date.now() counts whole milliseconds only. */
export const eventTime = (): number => performance.timeOrigin + performance.now();
