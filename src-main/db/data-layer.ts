// The one data layer every service uses: async queries through Kysely on either engine, written once with ? placeholders, in transactions the queries inside join by themselves.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { AuditKeySource } from '../audit/key';
import type { Engine } from './migrations/engine';
import type { Database } from './schema';

export type { Engine };
export type SqlParams = readonly unknown[];

/** The register as services see it: the same calls on the station's SQLite file and on the region's PostgreSQL. */
export interface Db {
  readonly engine: Engine;
  /** Kysely for typed queries: inside `transaction` it is the transaction's, so a query built from it joins. */
  readonly kysely: Kysely<Database>;
  /** Every row of a query written with ? placeholders. */
  all<T>(text: string, params?: SqlParams): Promise<T[]>;
  /** The first row, or undefined. */
  one<T>(text: string, params?: SqlParams): Promise<T | undefined>;
  /** The first column of the first row, or undefined. */
  value<T>(text: string, params?: SqlParams): Promise<T | undefined>;
  /** The first column of every row. */
  column<T>(text: string, params?: SqlParams): Promise<T[]>;
  /** An INSERT, UPDATE or DELETE; resolves to how many rows it changed. */
  run(text: string, params?: SqlParams): Promise<number>;
  /** An INSERT of one row into a table with an id column; resolves to the new id. */
  insert(text: string, params?: SqlParams): Promise<number>;
  /**
   * Runs `work` in one transaction, all or nothing; every query of this Db made inside it (however deep) joins it, and a
   * transaction inside a transaction is the outer one. On PostgreSQL it is SERIALIZABLE and re-run when the server
   * reports a conflict with another station, so `work` must do nothing but database work and be safe to repeat.
   */
  transaction<T>(work: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Whether the caller is inside a transaction of this Db. */
  inTransaction(): boolean;
  /** Whether that transaction runs on row locks (READ COMMITTED on PostgreSQL): then it takes no predicate locks. */
  inRowLockedTransaction(): boolean;
  /** The key the audit trail is chained under; never stored in the database. */
  auditKey(): Buffer;
  /**
   * This kiosk's own station name on a register many stations share (kept in its data folder); unset on the SQLite file,
   * where the station.name setting names it. Set by the opener, or once by the first run that sets up a new region.
   */
  station?: string;
}

export interface TransactionOptions {
  /**
   * The work locks every row it decides on (`lockForUpdate`) before it reads it, and writes only rows it locked or new
   * ones: on PostgreSQL it then runs READ COMMITTED, waiting for those rows instead of failing on the predicate locks
   * SERIALIZABLE takes on whatever other stations' work touched nearby. Constraints still hold it to every rule.
   */
  rowLocks?: boolean;
}

/** The register as its opener holds it: the data layer plus what only the host needs. */
export interface OpenRegister extends Db {
  /** Where it is, fit for a message: the file path or the URL without its password. */
  readonly location: string;
  readonly appliedMigrations: number;
  close(): Promise<void>;
}

/**
 * What a retried transaction takes first: it queues the retries behind one another, so with many stations writing one
 * that lost is not thrown back again and again by the others that lost. LOCK TABLE takes no snapshot, so as the first
 * statement it is held before the snapshot is. It locks the settings, which stations seldom write, so first tries pass
 * by it; a first try takes nothing, since each station appends to an audit chain of its own.
 */
const RETRY_QUEUE_LOCK = 'LOCK TABLE setting IN SHARE ROW EXCLUSIVE MODE';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';
// twenty stations on a few hot rows can throw a first try back many times; the retries queue, so more of them still end
const MAX_ATTEMPTS = 16;

const isRetryable = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
};

/** PostgreSQL numbers its parameters: ? becomes $1, $2 … outside quoted text, identifiers and comments. */
export function numberedPlaceholders(text: string): string {
  let result = '';
  let index = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = null;
      result += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      result += char;
    } else if (char === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      result += text.slice(i, stop);
      i = stop - 1;
    } else if (char === '?') {
      result += `$${++index}`;
    } else {
      result += char;
    }
  }
  return result;
}

/** Locks rows to the end of the transaction (FOR UPDATE); a no-op on SQLite, whose one writer holds the whole file. */
export async function lockForUpdate(db: Db, table: 'card_order' | 'person', ids: readonly number[]): Promise<void> {
  if (db.engine !== 'postgres' || ids.length === 0) return;
  await db.all(`SELECT id FROM ${table} WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id FOR UPDATE`, ids);
}

export interface DataLayerOptions {
  engine: Engine;
  kysely: Kysely<Database>;
  auditKey: AuditKeySource;
  station?: string;
}

interface OpenTransaction {
  trx: Transaction<Database>;
  rowLocks: boolean;
}

/**
 * The transactions the current call is inside, by the data layer that opened each: one store for every register in the
 * process, since each AsyncLocalStorage adds its own work to every promise made, and a process may hold many registers.
 */
const openTransactions = new AsyncLocalStorage<ReadonlyMap<symbol, OpenTransaction>>();

/** The data layer over an opened Kysely instance of either engine. */
export function createDataLayer({ engine, kysely: root, auditKey, station }: DataLayerOptions): Db {
  const layer = Symbol('data layer');
  const current = (): OpenTransaction | undefined => openTransactions.getStore()?.get(layer);
  const inside = <T>(open: OpenTransaction, work: () => Promise<T>): Promise<T> => openTransactions.run(new Map(openTransactions.getStore()).set(layer, open), work);
  const placeholders = new Map<string, string>();
  const sqlFor = (text: string): string => {
    if (engine === 'sqlite') return text;
    let numbered = placeholders.get(text);
    if (numbered === undefined) placeholders.set(text, (numbered = numberedPlaceholders(text)));
    return numbered;
  };
  const executor = (): Kysely<Database> => current()?.trx ?? root;
  const execute = <T>(text: string, params: SqlParams = []) => executor().executeQuery<T>(CompiledQuery.raw(sqlFor(text), [...params]));
  const firstColumn = (row: object | undefined): unknown => (row === undefined ? undefined : Object.values(row)[0]);

  const once = <T>(work: () => Promise<T>, retried: boolean, rowLocks: boolean): Promise<T> => {
    if (engine === 'sqlite') return root.transaction().execute((trx) => inside({ trx, rowLocks }, work));
    return root
      .transaction()
      .setIsolationLevel(rowLocks ? 'read committed' : 'serializable')
      .execute(async (trx) => {
        if (retried) await trx.executeQuery(CompiledQuery.raw(RETRY_QUEUE_LOCK));
        return inside({ trx, rowLocks }, work);
      });
  };

  return {
    engine,
    get kysely() {
      return executor();
    },
    all: async <T>(text: string, params?: SqlParams) => (await execute<T>(text, params)).rows,
    one: async <T>(text: string, params?: SqlParams) => (await execute<T>(text, params)).rows[0],
    value: async <T>(text: string, params?: SqlParams) => firstColumn((await execute<object>(text, params)).rows[0]) as T | undefined,
    column: async <T>(text: string, params?: SqlParams) => (await execute<object>(text, params)).rows.map((row) => firstColumn(row) as T),
    run: async (text: string, params?: SqlParams) => Number((await execute(text, params)).numAffectedRows ?? 0n),
    insert: async (text: string, params?: SqlParams) => {
      const { rows } = await execute<{ id: number }>(`${text} RETURNING id`, params);
      return Number(rows[0]!.id);
    },
    async transaction<T>(work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      // a migration's data layer is born inside the migration's transaction
      if (current() || root.isTransaction) return work();
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(work, attempt > 1, options.rowLocks === true);
        } catch (error) {
          if (!isRetryable(error) || attempt === MAX_ATTEMPTS) throw error;
          // another station's transaction won; back off a little, by chance, so the two don't collide again
          await sleep(Math.random() * 5 * attempt);
        }
      }
    },
    inTransaction: () => current() !== undefined || root.isTransaction,
    inRowLockedTransaction: () => current()?.rowLocks === true,
    auditKey,
    station,
  };
}
