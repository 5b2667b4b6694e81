// `npm run --silent cli -- <command> [--data DIR] [--json]`: support commands over the same services as the kiosk.
import { parseArgs } from 'node:util';
import { DatabaseVersionError } from '../db/open';
import { AuditKeyError } from '../services/audit-key';
import { auditCommand } from './audit';
import { cardsCommand } from './cards';
import { cardTestCommand } from './card-test';
import { crlCommand } from './crl';
import { invoicesCommand } from './invoices';
import { peopleCommand } from './people';
import { pinCommand } from './pin';
import { readersCommand } from './readers';
import { tokensCommand } from './tokens';
import { CliError, type CliCommand } from './command';

const commands: Record<string, CliCommand> = {
  readers: readersCommand,
  'card-test': cardTestCommand,
  crl: crlCommand,
  people: peopleCommand,
  audit: auditCommand,
  cards: cardsCommand,
  pin: pinCommand,
  tokens: tokensCommand,
  invoices: invoicesCommand,
};

const USAGE = `Usage: npm run --silent cli -- <command> [options]
Commands:
${Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`).join('\n')}
Options for every command:
  --data DIR   the station's data folder (default ./data)
  --json       machine-readable output`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(name ? `Unknown command "${name}".\n${USAGE}` : USAGE);
    return 64;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { data: { type: 'string', default: './data' }, json: { type: 'boolean', default: false }, ...command.options },
  });
  const json = values.json === true;
  try {
    const result = await command.run({ values, positionals, dataDir: String(values.data), json });
    process.stdout.write(json ? `${JSON.stringify(result.output)}\n` : `${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof DatabaseVersionError || error instanceof AuditKeyError) {
      const exitCode = error instanceof CliError ? error.exitCode : 1;
      const code = error instanceof CliError ? error.code : error instanceof AuditKeyError ? 'audit-key-mismatch' : 'database-version';
      if (json) process.stdout.write(`${JSON.stringify({ error: { code, message: error.message } })}\n`);
      else console.error(error.message);
      return exitCode;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
