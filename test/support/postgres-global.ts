// Global set-up of the integration tests: one throw-away PostgreSQL per vitest run; each test file makes its own database in it.
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src-main/db/open';
import { createPostgresDatabase, startPostgres } from './postgres';
import { REGISTER_TEMPLATE, TEST_POSTGRES_ENV } from './register-location';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = startPostgres();
  project.provide('postgresUrl', cluster.url);
  await migratedTemplate(cluster.url);
  // the test workers start after this and inherit it, and so do the CLI and browser-mode processes they run
  process.env[TEST_POSTGRES_ENV] = cluster.url;
  return cluster.stop;
}

/** One database built by the migrations, which every test's database is copied from: a copy takes milliseconds, ten migrations do not. */
async function migratedTemplate(adminUrl: string): Promise<void> {
  await (await openDatabase(await createPostgresDatabase(adminUrl, REGISTER_TEMPLATE))).close();
}
