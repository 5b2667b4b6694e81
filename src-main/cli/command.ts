// The shape of one CLI command, and the error that ends one with a chosen exit code.
import type { ParseArgsConfig } from 'node:util';

export interface CliInvocation {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  dataDir: string;
  /** --database or KORTSTATION_DATABASE_URL: the region database instead of the SQLite file of --data. */
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
  run(invocation: CliInvocation): Promise<CliResult>;
}

export class CliError extends Error {
  constructor(readonly code: string, message: string, readonly exitCode: number) {
    super(message);
    this.name = 'CliError';
  }
}
