// Global set-up of the integration tests: one throw-away PostgreSQL per vitest run; each test file makes its own database in it.
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';
import { TEST_POSTGRES_ENV } from './register';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default function setup(project: TestProject): () => void {
  const cluster = startPostgres();
  project.provide('postgresUrl', cluster.url);
  // the test workers start after this and inherit it, and so do the CLI and browser-mode processes they run
  process.env[TEST_POSTGRES_ENV] = cluster.url;
  return cluster.stop;
}
