// Where the register lives: a SQLite file path (the embedded default) or a postgres:// URL (the region database).
/** The station's own register inside its data folder. */
export const DATABASE_FILE = 'kortstation.sqlite';

export const DATABASE_URL_ENV = 'KORTSTATION_DATABASE_URL';

/** The region database named in the environment, for hosts started without a --database flag. */
export const databaseFromEnv = (env: NodeJS.ProcessEnv): string | undefined => env[DATABASE_URL_ENV] || undefined;

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** The URL as it may appear in a message or log: the password never does. */
export function withoutPassword(url: string): string {
  // by pattern, not new URL(): pg also takes URLs WHATWG refuses, such as an empty host before a socket folder
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

/** Whether the URL carries a password, which a command line shows to every user of the machine (ps, /proc). */
export const hasPassword = (url: string): boolean => withoutPassword(url) !== url;

export const PASSWORD_ON_COMMAND_LINE =
  '--database must not carry a password: anyone on the machine can read a command line. Give it in PGPASSWORD or ~/.pgpass (PGPASSFILE), or put the whole URL in KORTSTATION_DATABASE_URL.';
