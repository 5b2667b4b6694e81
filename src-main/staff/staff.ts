// Staff accounts kept by the organisation administrator, and the first run that creates the first one.
import type { CreatedStaff, OtpEnrolment, PasswordRuleSettings, Role, StaffAccount } from '@shared/contract';
import { AppError } from '../app-error';
import type { Session } from '../router';
import type { DataKeySource } from '../tokens/seed-crypto';
import type { Db } from '../db/data-layer';
import type { AuthService } from './auth';
import { newOtpSeed, otpauthUri, sealStaffSeed } from './otp';
import { passwordMatches } from './passwords';
import { acceptedPasswordHash, readPasswordRules, savePasswordRules } from './password-rules';
import type { Invitations } from './invitations';
import { toStaffAccount, type StaffRow } from './store';
import { STATION_NAME_SETTING } from '../organisation/station-label';
import { registerStation, type JoinResult, type StationIdentity } from '../organisation/station-identity';

export const ORGANISATION_NAME_SETTING = 'organisation.name';

export interface NewStaff {
  username: string;
  displayName: string;
  role: Role;
  hsaId?: string;
  unitIds?: number[];
  email?: string;
  mobile?: string;
}

export interface StaffUpdate {
  id: number;
  displayName?: string;
  role?: Role;
  hsaId?: string | null;
  unitIds?: number[];
  email?: string | null;
  mobile?: string | null;
  disabled?: boolean;
  unlock?: true;
}

export interface FirstRun {
  organisationName?: string;
  stationName: string;
  admin: { username: string; displayName: string; password: string; hsaId?: string };
}

const actorOf = (session: Session): string | null => (session.operator ? String(session.operator.id) : null);

/** What either engine's driver tells of a failed constraint: SQLite names table.column in the message, PostgreSQL the constraint. */
interface ConstraintFailure {
  code?: string;
  message?: string;
  constraint?: string;
}

// PostgreSQL's SQLSTATEs for unique_violation and foreign_key_violation
const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';

function isUniqueOn({ code, message = '', constraint }: ConstraintFailure, column: string): boolean {
  return (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes(`staff_account.${column}`)) || (code === PG_UNIQUE_VIOLATION && constraint === `staff_account_${column}_key`);
}

/** Turns the database's constraint failures into the codes the kiosk explains. */
function constraintError(error: unknown): never {
  const failure = (error ?? {}) as ConstraintFailure;
  if (isUniqueOn(failure, 'username')) throw new AppError('username-taken', 'The username is taken');
  if (isUniqueOn(failure, 'hsa_id')) throw new AppError('hsa-id-taken', 'Another account has that HSA-ID');
  if (failure.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || failure.code === PG_FOREIGN_KEY_VIOLATION) throw new AppError('invalid-input', 'A unit that does not exist was granted');
  throw error;
}

/** On a region database, a kiosk with no station of its own sets the region up and becomes the station named at first run. */
export type FirstStationJoined = (identity: StationIdentity) => void;

export interface StaffServiceDeps {
  auth: AuthService;
  db: Db;
  dataKey: DataKeySource;
  invitations: Invitations;
  now?: () => Date;
  firstStationJoined?: FirstStationJoined;
  /** Called after an invitation was queued, so it goes out now rather than at the sender's next round. */
  mailQueued?: () => void;
}

export function createStaffService({ auth, db, dataKey, invitations, now = () => new Date(), firstStationJoined, mailQueued }: StaffServiceDeps) {
  const store = auth.store;

  async function account(row: StaffRow): Promise<StaffAccount> {
    return toStaffAccount((await store.byIdWithInvitation(row.id, now().toISOString())) ?? row, await store.unitIds(row.id));
  }

  async function existing(id: number): Promise<StaffRow> {
    const row = await store.byId(id);
    if (!row) throw new AppError('staff-not-found', `No staff account ${id}`);
    return row;
  }

  /** Inserts the account, with the first run's own password and OTP seed, in the caller's transaction. */
  async function insertAccount(input: NewStaff, passwordHash: string | null, seed: Buffer | null): Promise<number> {
    const at = now().toISOString();
    let id: number;
    try {
      id = await store.insert({ username: input.username, displayName: input.displayName, hsaId: input.hsaId ?? null, role: input.role, email: input.email ?? null, mobile: input.mobile ?? null, at });
      if (input.role === 'unit-admin') await store.setUnits(id, input.unitIds ?? []);
    } catch (error) {
      constraintError(error);
    }
    // the first run's administrator types their own password
    if (passwordHash) await store.setPassword(id, passwordHash, at, true);
    if (seed) await store.setOtpSeed(id, sealStaffSeed(dataKey, id, seed), at);
    return id;
  }

  return {
    list: async (): Promise<StaffAccount[]> => Promise.all((await store.listWithInvitations(now().toISOString())).map(async (row) => toStaffAccount(row, await store.unitIds(row.id)))),

    /** A password account gets an invitation link by e-mail, where its owner chooses the password; a card-only account (HSA-ID, no e-mail) gets none. */
    async create(actor: Session, input: NewStaff): Promise<CreatedStaff> {
      if (!input.email && !input.hsaId) throw new AppError('email-required', 'Ange en e-postadress (för inbjudan) eller ett HSA-id (för inloggning med kort).');
      const id = await db.transaction(async () => {
        const newId = await insertAccount(input, null, null);
        await auth.audit(actorOf(actor), 'staff.created', 'ok', { staffId: newId, username: input.username, role: input.role });
        if (input.email) await invitations.issue(newId, actorOf(actor));
        return newId;
      });
      if (input.email) mailQueued?.();
      return { account: await account(await existing(id)), invitationSent: input.email !== undefined };
    },

    async update(actor: Session, input: StaffUpdate): Promise<StaffAccount> {
      await db.transaction(async () => {
        const row = await existing(input.id);
        const staysOrgAdmin = (input.role ?? row.role) === 'org-admin' && !(input.disabled ?? row.disabled === 1);
        if (row.role === 'org-admin' && !row.disabled && !staysOrgAdmin && (await store.activeOrgAdmins()) <= 1) {
          throw new AppError('last-org-admin', 'The last organisation administrator must stay one');
        }
        try {
          await store.update(input.id, input, now().toISOString());
          const role = input.role ?? row.role;
          if (role !== 'unit-admin') await store.setUnits(input.id, []);
          else if (input.unitIds) await store.setUnits(input.id, input.unitIds);
        } catch (error) {
          constraintError(error);
        }
        const fields = Object.keys(input).filter((key) => key !== 'id');
        await auth.audit(actorOf(actor), 'staff.updated', 'ok', { staffId: input.id, fields });
        if (input.unlock) {
          await store.setLockout(input.id, 0, null);
          await auth.audit(actorOf(actor), 'staff.unlocked', 'ok', { staffId: input.id });
        }
      });
      await auth.refreshStaff(input.id);
      return account(await existing(input.id));
    },

    /** A new invitation link; the earlier one stops working. */
    async sendInvitation(actor: Session, id: number): Promise<StaffAccount> {
      await existing(id);
      await db.transaction(() => invitations.issue(id, actorOf(actor)));
      mailQueued?.();
      return account(await existing(id));
    },

    /** Takes the enrolled code away and e-mails a link where the owner enrols a new one: the administrator never sees the key. */
    async resetOtp(actor: Session, id: number): Promise<StaffAccount> {
      await existing(id);
      await db.transaction(async () => {
        await store.setOtpSeed(id, null, now().toISOString());
        await auth.audit(actorOf(actor), 'staff.token-reset', 'ok', { staffId: id });
        await invitations.issue(id, actorOf(actor));
      });
      mailQueued?.();
      await auth.refreshStaff(id);
      return account(await existing(id));
    },

    /** The owner's own change, old password first; also what ends a forced change. */
    async changePassword(session: Session, currentPassword: string, newPassword: string): Promise<{ changed: true }> {
      const operator = session.operator;
      const row = operator && (await store.byId(operator.id));
      if (!operator || !row) throw new AppError('staff-not-found', 'Inget konto är inloggat.');
      if (!(await passwordMatches(row.password_hash, currentPassword))) {
        await auth.audit(String(row.id), 'auth.password-changed', 'refused', { reason: 'wrong-password' });
        throw new AppError('wrong-password', 'Det nuvarande lösenordet stämmer inte.');
      }
      const passwordHash = await acceptedPasswordHash(db, store, row.id, newPassword);
      await db.transaction(async () => {
        await store.setPassword(row.id, passwordHash, now().toISOString(), true);
        await auth.audit(String(row.id), 'auth.password-changed', 'ok', {});
      });
      await auth.refreshStaff(row.id);
      return { changed: true };
    },

    passwordRules: (): Promise<PasswordRuleSettings> => readPasswordRules(db),

    async savePasswordRules(actor: Session, rules: PasswordRuleSettings): Promise<PasswordRuleSettings> {
      return db.transaction(async () => {
        const saved = await savePasswordRules(db, rules);
        await auth.audit(actorOf(actor), 'staff.password-rules-saved', 'ok', { requireSpecial: rules.requireSpecial });
        return saved;
      });
    },

    /** Creates the first organisation administrator and logs them in; refused once any account exists. */
    async firstRun(session: Session, input: FirstRun): Promise<OtpEnrolment> {
      if ((await store.count()) > 0) throw new AppError('setup-already-done', 'The station already has staff');
      const passwordHash = await acceptedPasswordHash(db, store, null, input.admin.password);
      const seed = newOtpSeed();
      // the re-count inside: two first runs racing on two tabs can't both see an empty table
      let joined: JoinResult | undefined;
      const id = await db.transaction(async () => {
        if ((await store.count()) > 0) throw new AppError('setup-already-done', 'The station already has staff');
        const newId = await insertAccount({ ...input.admin, role: 'org-admin' }, passwordHash, seed);
        if (input.organisationName) {
          await store.setSetting(ORGANISATION_NAME_SETTING, input.organisationName);
          // the organisation running a card station is usually the region; an administrator can add the others
          await db.run("INSERT INTO organisation (name, kind) VALUES (?, 'region') ON CONFLICT DO NOTHING", [input.organisationName]);
        }
        if (db.engine === 'sqlite') {
          await store.setSetting(STATION_NAME_SETTING, input.stationName);
          // this kiosk is a station in the register (cards photographed here are collected here); site and address come later
          await db.run("INSERT INTO station (name, site, address) VALUES (?, '', '') ON CONFLICT DO NOTHING", [input.stationName]);
        } else if (db.station === undefined) {
          // the shared settings would name every station of the region alike: the kiosk keeps its name in its data folder
          joined = await registerStation(db, { name: input.stationName, ...(input.organisationName ? { organisation: input.organisationName } : {}) }, String(newId));
        }
        await auth.audit(String(newId), 'setup.first-run', 'ok', { staffId: newId, username: input.admin.username, stationName: db.station ?? input.stationName });
        return newId;
      });
      if (joined) firstStationJoined?.({ name: joined.name, organisation: joined.organisation });
      await auth.startSession(session, await existing(id));
      return { otpauthUri: otpauthUri(input.admin.username, seed) };
    },
  };
}

export type StaffService = ReturnType<typeof createStaffService>;
