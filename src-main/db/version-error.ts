// The refusal of a database this version does not know, apart from the driver so the CLI can name it without loading SQLite.
export class DatabaseVersionError extends Error {
  constructor(
    /** 'newer': more migrations than this version knows; 'foreign': a history that is not this version's; 'unreachable': the region database did not answer (server down, network, name, login). */
    readonly reason: 'newer' | 'foreign' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseVersionError';
  }
}
