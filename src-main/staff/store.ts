// The staff tables through the data layer; called inside a login's transaction, the check, counter update and audit entry share it.
import type { LoginMethod, Role, StaffAccount } from '@shared/contract';
import type { Db } from '../db/data-layer';
import { readSetting, writeSetting } from '../db/settings';

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
  email: string | null;
  mobile: string | null;
  password_change_required: 0 | 1;
  last_login_at: string | null;
  last_login_method: LoginMethod | null;
  previous_login_at: string | null;
  previous_login_method: LoginMethod | null;
  /** Whether an unused, unexpired invitation exists (read with the row, as of the caller's clock). */
  invitation_pending?: 0 | 1;
}

export interface NewStaffRow {
  username: string;
  displayName: string;
  hsaId: string | null;
  role: Role;
  email: string | null;
  mobile: string | null;
  at: string;
}

export interface StaffChanges {
  displayName?: string;
  role?: Role;
  hsaId?: string | null;
  email?: string | null;
  mobile?: string | null;
  disabled?: boolean;
}

const CHANGE_COLUMNS: Record<keyof StaffChanges, string> = { displayName: 'display_name', role: 'role', hsaId: 'hsa_id', email: 'email', mobile: 'mobile', disabled: 'disabled' };

const COLUMNS =
  'id, username, display_name, hsa_id, role, password_hash, otp_seed, otp_last_step, failed_logins, locked_until, disabled, created_at, updated_at, ' +
  'email, mobile, password_change_required, last_login_at, last_login_method, previous_login_at, previous_login_method';

// one `?`: the clock an invitation is still live at
const INVITATION_PENDING =
  'CASE WHEN EXISTS (SELECT 1 FROM staff_invitation i WHERE i.staff_id = staff_account.id AND i.used_at IS NULL AND i.expires_at > ?) THEN 1 ELSE 0 END AS invitation_pending';

export type StaffStore = ReturnType<typeof createStaffStore>;

export function createStaffStore(db: Db) {
  return {
    byId: (id: number): Promise<StaffRow | undefined> => db.one<StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE id = ?`, [id]),
    byUsername: (username: string): Promise<StaffRow | undefined> => db.one<StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE username = ?`, [username]),
    byHsaId: (hsaId: string): Promise<StaffRow | undefined> => db.one<StaffRow>(`SELECT ${COLUMNS} FROM staff_account WHERE hsa_id = ?`, [hsaId]),
    // lower() as SQLite's NOCASE did: "anna" and "Anna" sort together on both engines
    list: (): Promise<StaffRow[]> => db.all<StaffRow>(`SELECT ${COLUMNS} FROM staff_account ORDER BY lower(display_name), id`),
    count: async (): Promise<number> => (await db.value<number>('SELECT count(*) FROM staff_account')) ?? 0,
    activeOrgAdmins: async (): Promise<number> => (await db.value<number>("SELECT count(*) FROM staff_account WHERE role = 'org-admin' AND disabled = 0")) ?? 0,
    /** Every account with whether it has a live invitation at `now`, for the administrator's list. */
    listWithInvitations: (now: string): Promise<StaffRow[]> => db.all<StaffRow>(`SELECT ${COLUMNS}, ${INVITATION_PENDING} FROM staff_account ORDER BY lower(display_name), id`, [now]),
    byIdWithInvitation: (id: number, now: string): Promise<StaffRow | undefined> => db.one<StaffRow>(`SELECT ${COLUMNS}, ${INVITATION_PENDING} FROM staff_account WHERE id = ?`, [now, id]),
    insert: (row: NewStaffRow): Promise<number> =>
      db.insert('INSERT INTO staff_account (username, display_name, hsa_id, role, email, mobile, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
        row.username,
        row.displayName,
        row.hsaId,
        row.role,
        row.email,
        row.mobile,
        row.at,
        row.at,
      ]),
    async setOtpSeed(id: number, sealed: Buffer | null, at: string): Promise<void> {
      await db.run('UPDATE staff_account SET otp_seed = ?, otp_last_step = NULL, updated_at = ? WHERE id = ?', [sealed, at, id]);
    },
    async recordOtpUse(id: number, timeStep: number): Promise<void> {
      await db.run('UPDATE staff_account SET otp_last_step = ? WHERE id = ?', [timeStep, id]);
    },
    async setLockout(id: number, failedLogins: number, lockedUntil: string | null): Promise<void> {
      await db.run('UPDATE staff_account SET failed_logins = ?, locked_until = ? WHERE id = ?', [failedLogins, lockedUntil, id]);
    },
    /**
     * Sets the hash and keeps it in the account's whole history, so no earlier password comes back;
     * `byOwner` false (someone else typed it) makes the owner change it at the next login.
     */
    async setPassword(id: number, hash: string, at: string, byOwner: boolean): Promise<void> {
      await db.transaction(async () => {
        await db.run('UPDATE staff_account SET password_hash = ?, password_change_required = ?, updated_at = ? WHERE id = ?', [hash, byOwner ? 0 : 1, at, id]);
        await db.run('INSERT INTO staff_password_history (staff_id, password_hash, set_at) VALUES (?, ?, ?)', [id, hash, at]);
      });
    },
    passwordHistory: (id: number): Promise<string[]> => db.column<string>('SELECT password_hash FROM staff_password_history WHERE staff_id = ? ORDER BY id DESC', [id]),
    /** The login just made becomes the last one; the one before it is what the person is shown. */
    async recordLogin(id: number, method: LoginMethod, at: string): Promise<void> {
      await db.run(
        'UPDATE staff_account SET previous_login_at = last_login_at, previous_login_method = last_login_method, last_login_at = ?, last_login_method = ? WHERE id = ?',
        [at, method, id],
      );
    },
    unitIds: (id: number): Promise<number[]> => db.column<number>('SELECT unit_id FROM staff_unit WHERE staff_id = ? ORDER BY unit_id', [id]),
    async setUnits(id: number, unitIds: readonly number[]): Promise<void> {
      await db.transaction(async () => {
        // only the grants taken away go: a kept grant keeps its "Kan redigera"
        const kept = [...unitIds, -1];
        await db.run(`DELETE FROM staff_unit WHERE staff_id = ? AND unit_id NOT IN (${kept.map(() => '?').join(', ')})`, [id, ...kept]);
        for (const unitId of unitIds) await db.run('INSERT INTO staff_unit (staff_id, unit_id) VALUES (?, ?) ON CONFLICT DO NOTHING', [id, unitId]);
      });
    },
    async update(id: number, changes: StaffChanges, at: string): Promise<void> {
      const values: (string | number | null)[] = [at];
      const sets = ['updated_at = ?'];
      for (const [key, column] of Object.entries(CHANGE_COLUMNS) as [keyof StaffChanges, string][]) {
        const value = changes[key];
        if (value === undefined) continue;
        values.push(typeof value === 'boolean' ? Number(value) : value);
        sets.push(`${column} = ?`);
      }
      await db.run(`UPDATE staff_account SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
    },
    setting: (key: string): Promise<string | undefined> => readSetting(db, key),
    setSetting: (key: string, value: string): Promise<void> => writeSetting(db, key, value),
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
    email: row.email,
    mobile: row.mobile,
    passwordSet: row.password_hash !== null,
    tokenEnrolled: row.otp_seed !== null,
    invitationPending: row.invitation_pending === 1,
    disabled: row.disabled === 1,
    lockedUntil: row.locked_until,
  };
}
