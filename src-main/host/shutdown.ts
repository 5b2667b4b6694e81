// How a host process ends: once, on SIGINT or SIGTERM or when its caller says so; what it holds is closed first.

/** Returns the shutdown, already bound to SIGINT and SIGTERM; a second call while it runs does nothing. */
export function shutdownOnce(close: () => Promise<void>): () => Promise<void> {
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await close();
    // exiting releases the PC/SC context; closing it by hand can block in pcsclite's native thread join
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  return shutdown;
}
