// The refusal of a database this version does not know, apart from the driver so the CLI can name it without loading SQLite.
export class DatabaseVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseVersionError';
  }
}
