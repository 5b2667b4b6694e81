// The register's key/value settings (station name, mail addresses, FAQ, audit head), read and written the same way on both engines.
import type { Db } from './data-layer';

export const readSetting = (db: Db, key: string): Promise<string | undefined> => db.value<string>('SELECT value FROM setting WHERE key = ?', [key]);

export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  await db.run('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}

export async function removeSetting(db: Db, key: string): Promise<void> {
  await db.run('DELETE FROM setting WHERE key = ?', [key]);
}
