// Matches the station's rows to the region's by their natural keys and lists what cannot be merged; no writes.
import type { Selectable } from 'kysely';
import { openSeed, type DataKeySource } from '../../tokens/seed-crypto';
import type { Db } from '../data-layer';
import type { PersonTable, TokenTable } from '../schema';
import { emptyIds, type Ids, type StationRows } from './rows';

export interface CopyConflict {
  kind: 'organisation' | 'unit' | 'person' | 'staff' | 'token' | 'card' | 'charge';
  reason: string;
  /** The region's row it collides with. */
  regionId?: number;
  /** Birth date only: a conflict list is shown and logged, the full personnummer is not. */
  personnummer?: string;
  /** Which fields differ; never their values. */
  fields?: string[];
  name?: string;
  reference?: string;
  serial?: string;
  cardNumber?: string;
  month?: string;
}

export const maskPersonnummer = (personnummer: string): string => `${personnummer.slice(0, 8)}-****`;

// what makes a person that person; created_at and the search columns are the register's own bookkeeping
const PERSON_FIELDS = ['first_name', 'surname', 'hsa_id', 'username', 'email', 'mobile', 'employment_type', 'employment_end', 'employee_number'] as const;
// a token is the same token when it opens the same and is in the same hands; its history stays the region's
const TOKEN_FIELDS = ['kind', 'algorithm', 'digits', 'period', 't0', 'state', 'category'] as const;

const differing = <T extends object>(fields: readonly (keyof T & string)[], a: T, b: T): string[] => fields.filter((field) => (a[field] ?? null) !== (b[field] ?? null));

interface Matching {
  conflicts: CopyConflict[];
  ids: Ids;
  merged: number;
}

async function matchOrganisation(target: Db, rows: StationRows, found: Matching): Promise<void> {
  for (const organisation of rows.organisation) {
    const existing = await target.one<{ id: number; kind: string }>('SELECT id, kind FROM organisation WHERE name = ?', [organisation.name]);
    if (!existing) continue;
    found.ids.organisation.set(organisation.id, existing.id);
    if (existing.kind !== organisation.kind) found.conflicts.push({ kind: 'organisation', reason: 'different-data', regionId: existing.id, name: organisation.name, fields: ['kind'] });
  }
  for (const unit of rows.unit) {
    const organisation = found.ids.organisation.get(unit.organisation_id);
    if (organisation === undefined) continue;
    // the reference is what invoices go to, so it names the unit within its organisation
    const existing = await target.one<{ id: number; name: string }>('SELECT id, name FROM unit WHERE organisation_id = ? AND reference = ?', [organisation, unit.reference]);
    if (!existing) continue;
    found.ids.unit.set(unit.id, existing.id);
    found.ids.matchedUnits.add(unit.id);
    if (existing.name !== unit.name) found.conflicts.push({ kind: 'unit', reason: 'different-data', regionId: existing.id, reference: unit.reference, fields: ['name'] });
  }
  for (const station of rows.station) {
    const existing = await target.value<number>('SELECT id FROM station WHERE name = ?', [station.name]);
    if (existing !== undefined) found.ids.station.set(station.id, existing);
  }
}

async function matchPeople(target: Db, rows: StationRows, found: Matching): Promise<void> {
  for (const person of rows.person) {
    const existing = await target.one<Selectable<PersonTable>>('SELECT * FROM person WHERE personnummer = ?', [person.personnummer]);
    const personnummer = maskPersonnummer(person.personnummer);
    if (existing) {
      const fields = differing(PERSON_FIELDS, person, existing);
      if (fields.length > 0) found.conflicts.push({ kind: 'person', reason: 'different-data', regionId: existing.id, personnummer, fields });
      else found.merged++;
      found.ids.person.set(person.id, existing.id);
      continue;
    }
    // HSA-id and username are unique in the region as at the station: another person there holding one is a conflict
    for (const [column, field] of [['search_hsa_id', 'hsa_id'], ['search_username', 'username']] as const) {
      if (person[column] === null) continue;
      const holder = await target.value<number>(`SELECT id FROM person WHERE ${column} = ?`, [person[column]]);
      if (holder !== undefined) found.conflicts.push({ kind: 'person', reason: `${field}-taken`, regionId: holder, personnummer, fields: [field] });
    }
  }
  for (const staff of rows.staff_account) {
    const existing = await target.value<number>('SELECT id FROM staff_account WHERE username = ?', [staff.username]);
    if (existing !== undefined) {
      found.ids.staff.set(staff.id, existing);
      continue;
    }
    const holder = staff.hsa_id === null ? undefined : await target.value<number>('SELECT id FROM staff_account WHERE hsa_id = ?', [staff.hsa_id]);
    if (holder !== undefined) found.conflicts.push({ kind: 'staff', reason: 'hsa_id-taken', regionId: holder, name: staff.username, fields: ['hsa_id'] });
  }
}

async function matchTokens(target: Db, rows: StationRows, found: Matching, dataKey: DataKeySource): Promise<void> {
  const sameSeed = (a: Selectable<TokenTable>, b: Selectable<TokenTable>) => openSeed(dataKey(), a.serial, a.sealed_seed).equals(openSeed(dataKey(), b.serial, b.sealed_seed));
  for (const token of rows.token) {
    const existing = await target.one<Selectable<TokenTable>>('SELECT * FROM token WHERE serial = ?', [token.serial]);
    const person = token.person_id === null ? null : (found.ids.person.get(token.person_id) ?? null);
    const unit = token.unit_id === null ? null : (found.ids.unit.get(token.unit_id) ?? null);
    if (existing) {
      const fields = differing(TOKEN_FIELDS, token, existing);
      if ((existing.person_id ?? null) !== person) fields.push('person');
      if ((existing.unit_id ?? null) !== unit) fields.push('unit');
      if (!sameSeed(token, existing)) fields.push('seed');
      if (fields.length > 0) found.conflicts.push({ kind: 'token', reason: 'different-data', regionId: existing.id, serial: token.serial, fields });
      else found.ids.token.set(token.id, existing.id);
      continue;
    }
    // one kommunal and one LOV token per person, across the region
    if (token.state === 'issued' && person !== null) {
      const held = await target.value<number>("SELECT id FROM token WHERE person_id = ? AND category = ? AND state = 'issued'", [person, token.category]);
      if (held !== undefined) found.conflicts.push({ kind: 'token', reason: 'person-has-token', regionId: held, serial: token.serial });
    }
  }
}

async function matchCardsAndCharges(target: Db, rows: StationRows, found: Matching): Promise<void> {
  for (const order of rows.card_order) {
    if (order.card_number === null) continue;
    const existing = await target.value<number>('SELECT id FROM card_order WHERE card_number = ?', [order.card_number]);
    if (existing !== undefined) found.conflicts.push({ kind: 'card', reason: 'card-number-taken', regionId: existing, cardNumber: order.card_number });
  }
  // a charge cannot go into a month the region has invoiced: it would be on no invoice, or on one twice
  const months = [...new Set(rows.charge.map((charge) => charge.month))];
  for (const month of months) {
    if ((await target.value<string>('SELECT month FROM invoice_month WHERE month = ?', [month])) !== undefined) found.conflicts.push({ kind: 'charge', reason: 'month-closed-in-region', month });
  }
}

/** The station's rows matched to the region's (their region ids in ids) and every conflict, read inside the copy's transaction. */
export async function findConflicts(target: Db, rows: StationRows, dataKey: DataKeySource): Promise<Matching> {
  const found: Matching = { conflicts: [], ids: emptyIds(), merged: 0 };
  await matchOrganisation(target, rows, found);
  await matchPeople(target, rows, found);
  await matchTokens(target, rows, found, dataKey);
  await matchCardsAndCharges(target, rows, found);
  return found;
}
