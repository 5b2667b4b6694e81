// Copies a station's register into the region's, all or nothing: rows matched to the region's by their natural keys, new ids from the region, every foreign key translated.
import { AUDIT_KEY_ID_SETTING, auditKeyMatches } from '../../audit/audit';
import { auditKeyId } from '../../audit/hash';
import { sealStaffSeed } from '../../staff/otp';
import { openSeed, SeedCryptoError, type DataKeySource } from '../../tokens/seed-crypto';
import type { Db } from '../data-layer';
import { readSetting } from '../settings';
import { alreadyCopied, appendStationTrail, stationHead, stationTrailIntact, type CopiedBy } from './audit';
import { findConflicts, type CopyConflict } from './conflicts';
import { readStation, type Ids, type StationRows } from './rows';

export type { CopyConflict };

export interface CopyReport {
  /** The station's people now in the region: new ones and those merged with the region's same person. */
  people: number;
  peopleMerged: number;
  orders: number;
  tokens: number;
  auditRows: number;
  /** Non-empty means nothing was written. */
  conflicts: CopyConflict[];
}

export type CopyRefusalCode = 'data-key-differs' | 'station-key-unknown' | 'station-trail-broken' | 'already-copied';

export class CopyRefusal extends Error {
  constructor(readonly code: CopyRefusalCode, message: string) {
    super(message);
    this.name = 'CopyRefusal';
  }
}

export interface CopyOptions {
  /** The station's data key: its seeds are sealed under it, and it must be the region's. */
  dataKey: DataKeySource;
  by: CopiedBy;
}

/**
 * One key for the whole region: the station's seeds are copied sealed as they are, so its key must be the region's. The
 * region's key is never in the database; its audit key's fingerprint and its seeds are, and both must open with this key.
 * Re-sealing here instead would need the region's key at hand too, and `cli keys import` already is the one place keys change.
 */
async function checkSameKey(target: Db, dataKey: DataKeySource): Promise<void> {
  const refuse = () =>
    new CopyRefusal('data-key-differs', "The station's data key is not the region's: run `cli keys import` with the region's key file for this data folder (it re-seals the station's token seeds), then copy again. Nothing was written.");
  const regionKeyId = await readSetting(target, AUDIT_KEY_ID_SETTING);
  if (regionKeyId !== undefined && regionKeyId !== auditKeyId(target.auditKey())) throw refuse();
  const probe = await target.one<{ serial: string; sealed_seed: Uint8Array }>('SELECT serial, sealed_seed FROM token ORDER BY id LIMIT 1');
  if (!probe) return;
  try {
    openSeed(dataKey(), probe.serial, probe.sealed_seed);
  } catch (error) {
    if (error instanceof SeedCryptoError) throw refuse();
    throw error;
  }
}

/** Inserts a row with the given columns and returns its new id from the target. */
async function insertRow(target: Db, table: string, row: Record<string, unknown>): Promise<number> {
  const columns = Object.keys(row);
  return target.insert(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row));
}

async function insertPlain(target: Db, table: string, row: Record<string, unknown>, onConflict = ''): Promise<void> {
  const columns = Object.keys(row);
  await target.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${onConflict}`, Object.values(row));
}

const withoutId = <T extends { id: number }>({ id: _id, ...rest }: T): Omit<T, 'id'> => rest;

/** Translates a station id through a map; a station row naming a row that is not there is a broken file, and stops the copy. */
function mapped(map: Map<number, number>, id: number | null, what: string): number | null {
  if (id === null) return null;
  const translated = map.get(Number(id));
  if (translated === undefined) throw new Error(`The station's register names ${what} ${id}, which it does not hold; nothing was written.`);
  return translated;
}

async function writeStation(target: Db, rows: StationRows, ids: Ids, dataKey: DataKeySource): Promise<void> {
  // matched rows already have their region id in ids; only the rest are inserted
  for (const organisation of rows.organisation) if (!ids.organisation.has(organisation.id)) ids.organisation.set(organisation.id, await insertRow(target, 'organisation', withoutId(organisation)));
  // parents are set after every unit exists, whatever their order in the file
  for (const unit of rows.unit) {
    if (ids.unit.has(unit.id)) continue;
    ids.unit.set(unit.id, await insertRow(target, 'unit', { ...withoutId(unit), organisation_id: mapped(ids.organisation, unit.organisation_id, 'organisation'), parent_id: null }));
  }
  for (const unit of rows.unit.filter((unit) => unit.parent_id !== null && !ids.matchedUnits.has(unit.id))) {
    await target.run('UPDATE unit SET parent_id = ? WHERE id = ?', [mapped(ids.unit, unit.parent_id, 'unit'), ids.unit.get(unit.id)]);
  }
  for (const station of rows.station) if (!ids.station.has(station.id)) ids.station.set(station.id, await insertRow(target, 'station', { ...withoutId(station), organisation_id: mapped(ids.organisation, station.organisation_id, 'organisation') }));
  for (const person of rows.person) if (!ids.person.has(person.id)) ids.person.set(person.id, await insertRow(target, 'person', withoutId(person)));
  // a merged person keeps the region's units and gains the station's
  for (const link of rows.person_unit) await insertPlain(target, 'person_unit', { person_id: mapped(ids.person, link.person_id, 'person'), unit_id: mapped(ids.unit, link.unit_id, 'unit') }, 'ON CONFLICT DO NOTHING');

  // an account of the same username is the region's account, kept as the region has it
  const newStaff = new Set<number>();
  for (const staff of rows.staff_account) {
    if (ids.staff.has(staff.id)) continue;
    const id = await insertRow(target, 'staff_account', { ...withoutId(staff), otp_seed: null });
    ids.staff.set(staff.id, id);
    newStaff.add(staff.id);
    // the OTP seed is bound to the account id, which changed: opened and sealed again under the same (the region's) key
    if (staff.otp_seed) await target.run('UPDATE staff_account SET otp_seed = ? WHERE id = ?', [sealStaffSeed(dataKey, id, openSeed(dataKey(), `staff-otp:${staff.id}`, staff.otp_seed)), id]);
  }
  for (const entry of rows.staff_password_history) if (newStaff.has(entry.staff_id)) await insertRow(target, 'staff_password_history', { ...withoutId(entry), staff_id: ids.staff.get(entry.staff_id) });
  for (const grant of rows.staff_unit) if (newStaff.has(grant.staff_id)) await insertPlain(target, 'staff_unit', { staff_id: ids.staff.get(grant.staff_id), unit_id: mapped(ids.unit, grant.unit_id, 'unit') });

  // seeds are sealed to the serial, which does not change: the blobs are copied as they are
  const newTokens = new Set<number>();
  for (const token of rows.token) {
    if (ids.token.has(token.id)) continue;
    const translated = { ...withoutId(token), unit_id: mapped(ids.unit, token.unit_id, 'unit'), station_id: mapped(ids.station, token.station_id, 'station'), person_id: mapped(ids.person, token.person_id, 'person') };
    ids.token.set(token.id, await insertRow(target, 'token', translated));
    newTokens.add(token.id);
  }
  // an identical token already in the region keeps the region's history
  for (const event of rows.token_event) {
    if (!newTokens.has(event.token_id)) continue;
    await insertRow(target, 'token_event', { ...withoutId(event), token_id: ids.token.get(event.token_id), person_id: mapped(ids.person, event.person_id, 'person') });
  }
  for (const charge of rows.charge) {
    const translated = { ...withoutId(charge), person_id: mapped(ids.person, charge.person_id, 'person'), unit_id: mapped(ids.unit, charge.unit_id, 'unit'), token_id: mapped(ids.token, charge.token_id, 'token'), correction_of: null };
    ids.charge.set(charge.id, await insertRow(target, 'charge', translated));
  }
  for (const charge of rows.charge.filter((charge) => charge.correction_of !== null)) await target.run('UPDATE charge SET correction_of = ? WHERE id = ?', [mapped(ids.charge, charge.correction_of, 'charge'), ids.charge.get(charge.id)]);
  for (const order of rows.unit_token_order) await insertRow(target, 'unit_token_order', { ...withoutId(order), unit_id: mapped(ids.unit, order.unit_id, 'unit') });

  for (const order of rows.card_order) {
    const translated = { ...withoutId(order), person_id: mapped(ids.person, order.person_id, 'person'), photo_station_id: mapped(ids.station, order.photo_station_id, 'station'), replaces_order_id: null };
    ids.order.set(order.id, await insertRow(target, 'card_order', translated));
  }
  for (const order of rows.card_order.filter((order) => order.replaces_order_id !== null)) await target.run('UPDATE card_order SET replaces_order_id = ? WHERE id = ?', [mapped(ids.order, order.replaces_order_id, 'card order'), ids.order.get(order.id)]);
  for (const event of rows.card_event) await insertRow(target, 'card_event', { ...withoutId(event), order_id: mapped(ids.order, event.order_id, 'card order') });
  for (const request of rows.block_request) await insertRow(target, 'block_request', { ...withoutId(request), order_id: mapped(ids.order, request.order_id, 'card order') });

  // after the charges: the station's invoiced months close in the region too, so its invoiced charges are never invoiced again
  for (const month of rows.invoice_month) await insertPlain(target, 'invoice_month', month, 'ON CONFLICT DO NOTHING');
  const outbox = new Map<number, number>();
  for (const message of rows.outbox) outbox.set(message.id, await insertRow(target, 'outbox', withoutId(message)));
  // a reminder the region already sent for the same occasion stays the one on record
  for (const reminder of rows.mail_reminder) await insertPlain(target, 'mail_reminder', { ...reminder, outbox_id: mapped(outbox, reminder.outbox_id, 'message') }, 'ON CONFLICT DO NOTHING');
  // templates are settings: the region's own wording is kept
  for (const template of rows.mail_template) await insertPlain(target, 'mail_template', template, 'ON CONFLICT DO NOTHING');
  // the newest list per issuer wins, as when a station imports one
  for (const crl of rows.crl) {
    await insertPlain(target, 'crl', crl, 'ON CONFLICT (issuer) DO UPDATE SET this_update = excluded.this_update, next_update = excluded.next_update, der = excluded.der, imported_at = excluded.imported_at WHERE excluded.this_update > crl.this_update');
  }
  // settings (station name, mail addresses, audit head) are the region's and are not copied
}

/**
 * The whole copy in one transaction of the region: conflicts are looked for first and, if any, the transaction writes
 * nothing; otherwise tables go in foreign-key order and the station's audit trail last. The station's file is only read.
 */
export async function copyStation(source: Db, target: Db, { dataKey, by }: CopyOptions): Promise<CopyReport> {
  // told apart from a changed trail: the folder's key file is not the key the station chained (and sealed) under, e.g. a kiosk's sealed key
  if (!(await auditKeyMatches(source))) throw new CopyRefusal('station-key-unknown', "The station's audit trail is chained under another key than the key file of its data folder (a kiosk keeps its key sealed): run the copy where the station's key is. Nothing was written.");
  if (!(await stationTrailIntact(source))) throw new CopyRefusal('station-trail-broken', "The station's audit trail does not verify (`cli audit verify`): it is not copied into the region's chain. Nothing was written.");
  const head = await stationHead(source);
  const rows = await readStation(source);
  return target.transaction(async () => {
    await checkSameKey(target, dataKey);
    if (head && (await alreadyCopied(target, head))) throw new CopyRefusal('already-copied', "This station's register is already in the region (its audit trail's last entry is there). Nothing was written.");
    const { conflicts, ids, merged } = await findConflicts(target, rows, dataKey);
    const counts = { people: rows.person.length, peopleMerged: merged, orders: rows.card_order.length, tokens: rows.token.length };
    if (conflicts.length > 0) return { ...counts, auditRows: 0, conflicts };
    await writeStation(target, rows, ids, dataKey);
    const auditRows = await appendStationTrail(source, target, by, { people: counts.people, orders: counts.orders, tokens: counts.tokens });
    return { ...counts, auditRows, conflicts };
  });
}
