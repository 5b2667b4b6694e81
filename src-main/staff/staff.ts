// Staff accounts kept by the organisation administrator, and the first run that creates the first one.
import type BetterSqlite3 from 'better-sqlite3';
import type { CreatedStaff, OtpEnrolment, Role, StaffAccount } from '@shared/contract';
import { AppError } from '../app-error';
import type { Session } from '../router';
import type { DataKeySource } from '../tokens/seed-crypto';
import type { AuthService } from './auth';
import { newOtpSeed, otpauthUri, sealStaffSeed } from './otp';
import { hashPassword, passwordRejections } from './passwords';
import { toStaffAccount, type StaffRow } from './store';
import { STATION_NAME_SETTING } from '../organisation/station-label';

export const ORGANISATION_NAME_SETTING = 'organisation.name';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  hsaId?: string;
  unitIds?: number[];
  password?: string;
}

export interface StaffUpdate {
  id: number;
  displayName?: string;
  role?: Role;
  hsaId?: string | null;
  unitIds?: number[];
  disabled?: boolean;
  unlock?: true;
}

export interface FirstRun {
  organisationName?: string;
  stationName: string;
  admin: { username: string; displayName: string; password: string; hsaId?: string };
}

const actorOf = (session: Session): string | null => (session.operator ? String(session.operator.id) : null);

interface SqliteError {
  code?: string;
  message?: string;
}

/** Turns the database's constraint failures into the codes the kiosk explains. */
function constraintError(error: unknown): never {
  const { code, message = '' } = (error ?? {}) as SqliteError;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('staff_account.username')) throw new AppError('username-taken', 'The username is taken');
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('staff_account.hsa_id')) throw new AppError('hsa-id-taken', 'Another account has that HSA-ID');
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new AppError('invalid-input', 'A unit that does not exist was granted');
  throw error;
}

export function createStaffService(auth: AuthService, sqlite: BetterSqlite3.Database, dataKey: DataKeySource, now: () => Date = () => new Date()) {
  const store = auth.store;

  async function acceptedPasswordHash(password: string, history: readonly string[]): Promise<string> {
    const rejections = passwordRejections(password, history);
    if (rejections.includes('reused')) throw new AppError('password-reused', 'The password was one of the last five');
    if (rejections.length > 0) throw new AppError('password-too-weak', `The password breaks the rules: ${rejections.join(', ')}`);
    return hashPassword(password);
  }

  function account(row: StaffRow): StaffAccount {
    return toStaffAccount(row, store.unitIds(row.id));
  }

  function existing(id: number): StaffRow {
    const row = store.byId(id);
    if (!row) throw new AppError('staff-not-found', `No staff account ${id}`);
    return row;
  }

  /** Inserts the account with its password and a fresh OTP seed; synchronous, for the caller's transaction. */
  function insertAccount(input: NewStaff, passwordHash: string | null, seed: Buffer | null): number {
    const at = now().toISOString();
    let id: number;
    try {
      id = store.insert({ username: input.username, displayName: input.displayName, hsaId: input.hsaId ?? null, role: input.role, passwordHash: null, at });
      if (input.role === 'unit-admin') store.setUnits(id, input.unitIds ?? []);
    } catch (error) {
      constraintError(error);
    }
    if (passwordHash) store.setPassword(id, passwordHash, at);
    if (seed) store.setOtpSeed(id, sealStaffSeed(dataKey, id, seed), at);
    return id;
  }

  return {
    list: (): StaffAccount[] => store.list().map(account),

    async create(actor: Session, input: NewStaff): Promise<CreatedStaff> {
      const passwordHash = input.password === undefined ? null : await acceptedPasswordHash(input.password, []);
      // a card-only account (no password) has no one-time code either: the card is its second factor
      const seed = passwordHash ? newOtpSeed() : null;
      const id = sqlite.transaction(() => {
        const newId = insertAccount(input, passwordHash, seed);
        auth.audit(actorOf(actor), 'staff.created', 'ok', { staffId: newId, username: input.username, role: input.role });
        return newId;
      })();
      return { account: account(existing(id)), otpauthUri: seed ? otpauthUri(input.username, seed) : null };
    },

    update(actor: Session, input: StaffUpdate): StaffAccount {
      sqlite.transaction(() => {
        const row = existing(input.id);
        const staysOrgAdmin = (input.role ?? row.role) === 'org-admin' && !(input.disabled ?? row.disabled === 1);
        if (row.role === 'org-admin' && !row.disabled && !staysOrgAdmin && store.activeOrgAdmins() <= 1) {
          throw new AppError('last-org-admin', 'The last organisation administrator must stay one');
        }
        try {
          store.update(input.id, input, now().toISOString());
          const role = input.role ?? row.role;
          if (role !== 'unit-admin') store.setUnits(input.id, []);
          else if (input.unitIds) store.setUnits(input.id, input.unitIds);
        } catch (error) {
          constraintError(error);
        }
        if (input.unlock) store.setLockout(input.id, 0, null);
        const fields = Object.keys(input).filter((key) => key !== 'id');
        auth.audit(actorOf(actor), 'staff.updated', 'ok', { staffId: input.id, fields });
      }).immediate();
      auth.refreshStaff(input.id);
      return account(existing(input.id));
    },

    async setPassword(actor: Session, id: number, password: string): Promise<StaffAccount> {
      existing(id);
      const passwordHash = await acceptedPasswordHash(password, store.passwordHistory(id));
      sqlite.transaction(() => {
        store.setPassword(id, passwordHash, now().toISOString());
        // a new password from an administrator is also the way out of a lock
        store.setLockout(id, 0, null);
        auth.audit(actorOf(actor), 'staff.password-set', 'ok', { staffId: id });
      })();
      return account(existing(id));
    },

    resetOtp(actor: Session, id: number): OtpEnrolment {
      const row = existing(id);
      const seed = newOtpSeed();
      sqlite.transaction(() => {
        store.setOtpSeed(id, sealStaffSeed(dataKey, id, seed), now().toISOString());
        auth.audit(actorOf(actor), 'staff.token-enrolled', 'ok', { staffId: id });
      })();
      return { otpauthUri: otpauthUri(row.username, seed) };
    },

    /** Creates the first organisation administrator and logs them in; refused once any account exists. */
    async firstRun(session: Session, input: FirstRun): Promise<OtpEnrolment> {
      if (store.count() > 0) throw new AppError('setup-already-done', 'The station already has staff');
      const passwordHash = await acceptedPasswordHash(input.admin.password, []);
      const seed = newOtpSeed();
      // immediate: two first runs racing on two tabs can't both see an empty table
      const id = sqlite.transaction(() => {
        if (store.count() > 0) throw new AppError('setup-already-done', 'The station already has staff');
        const newId = insertAccount({ ...input.admin, role: 'org-admin' }, passwordHash, seed);
        store.setSetting(STATION_NAME_SETTING, input.stationName);
        // this kiosk is a station in the register (cards photographed here are collected here); site and address come later
        sqlite.prepare("INSERT OR IGNORE INTO station (name, site, address) VALUES (?, '', '')").run(input.stationName);
        if (input.organisationName) {
          store.setSetting(ORGANISATION_NAME_SETTING, input.organisationName);
          // the organisation running a card station is usually the region; an administrator can add the others
          sqlite.prepare("INSERT OR IGNORE INTO organisation (name, kind) VALUES (?, 'region')").run(input.organisationName);
        }
        auth.audit(String(newId), 'setup.first-run', 'ok', { staffId: newId, username: input.admin.username, stationName: input.stationName });
        return newId;
      }).immediate();
      auth.startSession(session, existing(id));
      return { otpauthUri: otpauthUri(input.admin.username, seed) };
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
