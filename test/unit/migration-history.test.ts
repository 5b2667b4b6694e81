import { describe, expect, it } from 'vitest';
import { checkMigrationHistory } from '../../src-main/db/migrate';
import { DatabaseVersionError } from '../../src-main/db/version-error';

const known = ['001-a', '002-b', '003-c'];

describe('migration history check', () => {
  it('accepts an empty database and any prefix of the known migrations', () => {
    for (let n = 0; n <= known.length; n++) expect(() => checkMigrationHistory(known.slice(0, n), known, 'db')).not.toThrow();
  });

  it('refuses a database from a newer version', () => {
    expect(() => checkMigrationHistory([...known, '004-d'], known, 'db')).toThrow(/newer Kortstation/);
  });

  it('refuses a history that is not a prefix', () => {
    expect(() => checkMigrationHistory(['001-a', '003-c'], known, 'db')).toThrow(DatabaseVersionError);
    expect(() => checkMigrationHistory(['002-b'], known, 'db')).toThrow(/expects "001-a"/);
  });
});
