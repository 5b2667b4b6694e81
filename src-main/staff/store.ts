// The staff tables as synchronous prepared statements, so a login's check, counter update and audit entry share one transaction.
import type BetterSqlite3 from 'better-sqlite3';
import type { Role, StaffAccount } from '@shared/contract';

export interface StaffRow {
  id: number;
  username: string;
  display_name: string;
  hsa_id: string | null;
  role: Role;
  password_hash: string | null;
  otp_seed: Buffer | null;
  otp_last_step: number | null;
  failed_logins: number;
  locked_until: string | null;
  disabled: 0 | 1;
  created_at: string;
  updated_at: string;
}

export interface NewStaffRow {
  username: string;
  displayName: string;
  hsaId: string | null;
  role: Role;
  passwordHash: string | null;
  at: string;
}

export interface StaffChanges {
  displayName?: string;
  role?: Role;
  hsaId?: string | null;
  disabled?: boolean;
}

/** How many earlier passwords a new one must differ from. */
export const PASSWORD_HISTORY_LENGTH = 5;

const CHANGE_COLUMNS: Record<keyof StaffChanges, string> = { displayName: 'display_name', role: 'role', hsaId: 'hsa_id', disabled: 'disabled' };

const COLUMNS = 'id, username, display_name, hsa_id, role, password_hash, otp_seed, otp_last_step, failed_logins, locked_until, disabled, created_at, updated_at';

export type StaffStore = ReturnType<typeof createStaffStore>;

export function createStaffStore(sqlite: BetterSqlite3.Database) {
  const byId = sqlite.prepare<[number], StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE id = ?`);
  const byUsername = sqlite.prepare<[string], StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE username = ?`);
  const byHsaId = sqlite.prepare<[string], StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE hsa_id = ?`);
  const all = sqlite.prepare<[], StaffRow>(`SELECT ${COLUMNS} FROM staff_account ORDER BY display_name COLLATE NOCASE, id`);
  const count = sqlite.prepare<[], number>('SELECT count(*) FROM staff_account').pluck();
  const activeOrgAdmins = sqlite.prepare<[], number>("SELECT count(*) FROM staff_account WHERE role = 'org-admin' AND disabled = 0").pluck();
  const insert = sqlite.prepare<[NewStaffRow]>(
    'INSERT INTO staff_account (username, display_name, hsa_id, role, password_hash, created_at, updated_at) VALUES (@username, @displayName, @hsaId, @role, @passwordHash, @at, @at)',
  );
  const writeOtpSeed = sqlite.prepare<[Buffer | null, string, number]>('UPDATE staff_account SET otp_seed = ?, otp_last_step = NULL, updated_at = ? WHERE id = ?');
  const writeOtpUse = sqlite.prepare<[number, number]>('UPDATE staff_account SET otp_last_step = ? WHERE id = ?');
  const writeLockout = sqlite.prepare<[number, string | null, number]>('UPDATE staff_account SET failed_logins = ?, locked_until = ? WHERE id = ?');
  const writePassword = sqlite.prepare<[string, string, number]>('UPDATE staff_account SET password_hash = ?, updated_at = ? WHERE id = ?');
  const addHistory = sqlite.prepare<[number, string, string]>('INSERT INTO staff_password_history (staff_id, password_hash, set_at) VALUES (?, ?, ?)');
  const pruneHistory = sqlite.prepare<[number, number, number]>(
    'DELETE FROM staff_password_history WHERE staff_id = ? AND id NOT IN (SELECT id FROM staff_password_history WHERE staff_id = ? ORDER BY id DESC LIMIT ?)',
  );
  const history = sqlite.prepare<[number, number], string>('SELECT password_hash FROM staff_password_history WHERE staff_id = ? ORDER BY id DESC LIMIT ?').pluck();
  const unitsOf = sqlite.prepare<[number], number>('SELECT unit_id FROM staff_unit WHERE staff_id = ? ORDER BY unit_id').pluck();
  const dropUnits = sqlite.prepare<[number]>('DELETE FROM staff_unit WHERE staff_id = ?');
  const addUnit = sqlite.prepare<[number, number]>('INSERT OR IGNORE INTO staff_unit (staff_id, unit_id) VALUES (?, ?)');
  const readSetting = sqlite.prepare<[string], string>('SELECT value FROM setting WHERE key = ?').pluck();
  const writeSetting = sqlite.prepare<[string, string]>('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  return {
    byId: (id: number): StaffRow | undefined => byId.get(id),
    byUsername: (username: string): StaffRow | undefined => byUsername.get(username),
    byHsaId: (hsaId: string): StaffRow | undefined => byHsaId.get(hsaId),
    list: (): StaffRow[] => all.all(),
    count: (): number => count.get() ?? 0,
    activeOrgAdmins: (): number => activeOrgAdmins.get() ?? 0,
    insert: (row: NewStaffRow): number => Number(insert.run(row).lastInsertRowid),
    setOtpSeed: (id: number, sealed: Buffer | null, at: string): void => void writeOtpSeed.run(sealed, at, id),
    recordOtpUse: (id: number, timeStep: number): void => void writeOtpUse.run(timeStep, id),
    setLockout: (id: number, failedLogins: number, lockedUntil: string | null): void => void writeLockout.run(failedLogins, lockedUntil, id),
    /** Sets the hash and keeps it among the last few, so the next password can be checked against them. */
    setPassword(id: number, hash: string, at: string): void {
      writePassword.run(hash, at, id);
      addHistory.run(id, hash, at);
      pruneHistory.run(id, id, PASSWORD_HISTORY_LENGTH);
    },
    passwordHistory: (id: number): string[] => history.all(id, PASSWORD_HISTORY_LENGTH),
    unitIds: (id: number): number[] => unitsOf.all(id),
    setUnits(id: number, unitIds: readonly number[]): void {
      dropUnits.run(id);
      for (const unitId of unitIds) addUnit.run(id, unitId);
    },
    update(id: number, changes: StaffChanges, at: string): void {
      const values: Record<string, string | number | null> = { id, at };
      const sets = ['updated_at = @at'];
      for (const [key, column] of Object.entries(CHANGE_COLUMNS) as [keyof StaffChanges, string][]) {
        const value = changes[key];
        if (value === undefined) continue;
        values[key] = typeof value === 'boolean' ? Number(value) : value;
        sets.push(`${column} = @${key}`);
      }
      sqlite.prepare(`UPDATE staff_account SET ${sets.join(', ')} WHERE id = @id`).run(values);
    },
    setting: (key: string): string | undefined => readSetting.get(key),
    setSetting: (key: string, value: string): void => void writeSetting.run(key, value),
  };
}

export function toStaffAccount(row: StaffRow, unitIds: number[]): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    hsaId: row.hsa_id,
    role: row.role,
    unitIds,
    passwordSet: row.password_hash !== null,
    tokenEnrolled: row.otp_seed !== null,
    disabled: row.disabled === 1,
    lockedUntil: row.locked_until,
  };
}
