// What the copy reads from the station (every register table but settings and the audit trail) and the id maps it builds.
import type { Selectable } from 'kysely';
import type { Db } from '../data-layer';
import type { Database } from '../schema';

/** In foreign-key order: a table comes after every table it names. */
export const COPIED_TABLES = [
  'organisation', 'unit', 'station', 'person', 'person_unit', 'staff_account', 'staff_password_history', 'staff_unit', 'token', 'token_event',
  'charge', 'unit_token_order', 'card_order', 'card_event', 'block_request', 'invoice_month', 'outbox', 'mail_template', 'mail_reminder', 'crl',
] as const;

export type StationRows = { [T in (typeof COPIED_TABLES)[number]]: Selectable<Database[T]>[] };

/** Station id → region id, per table; a matched row maps to the region's existing row. */
export interface Ids {
  organisation: Map<number, number>;
  unit: Map<number, number>;
  /** Units the region already had: their parent stays the region's. */
  matchedUnits: Set<number>;
  station: Map<number, number>;
  person: Map<number, number>;
  staff: Map<number, number>;
  token: Map<number, number>;
  charge: Map<number, number>;
  order: Map<number, number>;
}

export const emptyIds = (): Ids => ({ organisation: new Map(), unit: new Map(), matchedUnits: new Set(), station: new Map(), person: new Map(), staff: new Map(), token: new Map(), charge: new Map(), order: new Map() });

export async function readStation(source: Db): Promise<StationRows> {
  const rows: Partial<Record<(typeof COPIED_TABLES)[number], unknown[]>> = {};
  // ordered by the first column (the id, or the key), so parents come first and every run copies the same way
  for (const table of COPIED_TABLES) rows[table] = await source.all(`SELECT * FROM ${table} ORDER BY 1`);
  return rows as StationRows;
}
