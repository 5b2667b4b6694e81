// `npm run --silent cli -- <command> [--data DIR] [--json]`: support commands over the same services as the kiosk.
import { parseArgs } from 'node:util';
import { ALLOW_VIRTUAL_READERS_FLAG } from '../card/virtual-readers';
import { DATABASE_URL_ENV, databaseFromEnv, hasPassword, isPostgresUrl, PASSWORD_ON_COMMAND_LINE } from '../db/location';
import { DatabaseVersionError } from '../db/version-error';
import { AuditKeyError } from '../audit/key';
import { CliError, type CliCommand } from './command';

// each command is loaded only when asked for, so `readers` does not pay for SQLite, exceljs or the x509 stack
const commands: Record<string, () => Promise<CliCommand>> = {
  readers: async () => (await import('./readers')).readersCommand,
  'card-test': async () => (await import('./card-test')).cardTestCommand,
  crl: async () => (await import('./crl')).crlCommand,
  people: async () => (await import('./people')).peopleCommand,
  audit: async () => (await import('./audit')).auditCommand,
  cards: async () => (await import('./cards')).cardsCommand,
  pin: async () => (await import('./pin')).pinCommand,
  tokens: async () => (await import('./tokens')).tokensCommand,
  invoices: async () => (await import('./invoices')).invoicesCommand,
  db: async () => (await import('./db')).dbCommand,
  keys: async () => (await import('./keys')).keysCommand,
  station: async () => (await import('./station')).stationCommand,
  retention: async () => (await import('./retention')).retentionCommand,
};

async function usage(): Promise<string> {
  const lines = await Promise.all(Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(10)} ${(await load()).summary}`));
  return `Usage: npm run --silent cli -- <command> [options]
Commands:
${lines.join('\n')}
Options for every command:
  --data DIR   the station's data folder (default ./data)
  --database URL  the region database (postgres://…; also ${DATABASE_URL_ENV})
  --json       machine-readable output
  ${ALLOW_VIRTUAL_READERS_FLAG}   use virtual card readers (tests and training only)`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    console.error(name ? `Unknown command "${name}".\n${await usage()}` : await usage());
    return 64;
  }
  const command = await load();
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string', default: './data' }, database: { type: 'string' }, json: { type: 'boolean', default: false }, [ALLOW_VIRTUAL_READERS_FLAG.slice(2)]: { type: 'boolean', default: false }, ...command.options },
  });
  const json = values.json === true;
  try {
    const allowVirtualReaders = values[ALLOW_VIRTUAL_READERS_FLAG.slice(2)] === true;
    const database = typeof values.database === 'string' ? values.database : databaseFromEnv(process.env);
    if (database !== undefined && !isPostgresUrl(database)) throw new CliError('usage', `--database takes a postgres:// URL; a station's SQLite file is named by --data DIR.`, 64);
    if (typeof values.database === 'string' && hasPassword(values.database)) throw new CliError('usage', PASSWORD_ON_COMMAND_LINE, 64);
    const result = await command.run({ values, positionals, dataDir: String(values.data), database, json, allowVirtualReaders });
    process.stdout.write(json ? `${JSON.stringify(result.output)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof DatabaseVersionError || error instanceof AuditKeyError) {
      const exitCode = error instanceof CliError ? error.exitCode : 1;
      const code = error instanceof CliError ? error.code : error instanceof AuditKeyError ? 'audit-key-mismatch' : error.reason === 'unreachable' ? 'database-unreachable' : 'database-version';
      if (json) process.stdout.write(`${JSON.stringify({ error: { code, message: error.message } })}\n`);
      else console.error(error.message);
      return exitCode;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
