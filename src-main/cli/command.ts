// The shape of one CLI command, and the error that ends one with a chosen exit code.
import type { ParseArgsConfig } from 'node:util';

export interface CliInvocation {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  dataDir: string;
  /** --database or KORTSTATION_DATABASE_URL: the region database, for the commands that can use it. */
  database?: string;
  json: boolean;
  /** Virtual card readers, for tests and training only. */
  allowVirtualReaders: boolean;
}

export interface CliResult {
  output: unknown;
  text: string;
  exitCode?: number;
}

export interface CliCommand {
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  /** Runs on the region database too; the others still need their services' SQLite file. */
  takesDatabaseUrl?: boolean;
  run(invocation: CliInvocation): Promise<CliResult>;
}

export class CliError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}
