// The refusal of a database this version does not know, apart from the driver so the CLI can name it without loading SQLite.
export class DatabaseVersionError extends Error {
  constructor(
    /** 'newer': more migrations than this version knows; 'foreign': a history that is not this version's; 'engine': PostgreSQL, which the services cannot use yet. */
    readonly reason: 'newer' | 'foreign' | 'engine',
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseVersionError';
  }
}
