import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import type { CardTestState, Envelope, ProcedureInput, ProcedureName, ProcedureOutput } from '@shared/contract';
import { cardsCommand } from '../../src-main/cli/cards';
import type { Session } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/verify';
import { createPerson, updatePerson } from '../../src-main/people/people';
import { createStation, FULL_SCOPE } from '../../src-main/organisation/organisation';
import { STATION_NAME_SETTING } from '../../src-main/organisation/station-label';
import { openStation, type Station } from '../../src-main/station';
import { personnummerFor } from '../people-data';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL, type ScenarioName } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { testRegisterLocation } from '../support/register-location';
import { writeTrustDir } from '../support/trust-dir';

const HERE = 'Akademiska Ing 70';
const ELSEWHERE = 'Enköpings lasarett';
const operator: Session = { id: 'staff', operator: { id: 1, role: 'operator', unitIds: [] } };
const unitAdmin: Session = { id: 'unit', operator: { id: 2, role: 'unit-admin', unitIds: [] } };
const nobody: Session = { id: 'kiosk', operator: null };
const validId = { type: 'pass' as const, lastFour: '12ab', expiry: '2099-12-31', note: null };

let station: Station;
let dataDir: string;

async function call<N extends ProcedureName>(name: N, input: ProcedureInput<N>, session: Session = operator): Promise<Envelope<ProcedureOutput<N>>> {
  return (await station.router.call(session, name, input)) as Envelope<ProcedureOutput<N>>;
}

async function value<N extends ProcedureName>(name: N, input: ProcedureInput<N>): Promise<ProcedureOutput<N>> {
  const reply = await call(name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.code} ${reply.message}`);
  return reply.value;
}

const setStationName = async (name: string): Promise<void> => void (await station.database.run('UPDATE setting SET value = ? WHERE key = ?', [name, STATION_NAME_SETTING]));
const stateOf = async (orderId: number): Promise<string | undefined> => station.database.value<string>('SELECT state FROM card_order WHERE id = ?', [orderId]);

/** Inserts a scenario card in reader 1 and waits for its automatic card test, the one the counter sees. */
async function insert(name: ScenarioName): Promise<{ card: InsertedCard; report: CardTestReport }> {
  const { applet } = await createScenario(name);
  const done = new Promise<CardTestReport>((resolve) => {
    const stop = station.onEvent((event) => {
      const state = event.type === 'card-test' ? (event as CardTestState) : null;
      if (state?.reader === READER_1 && state.state === 'done') {
        stop();
        resolve(state.report);
      }
    });
  });
  const card = await insertCard(applet, { reader: 1 });
  const report = await done;
  // every scenario card is whole: corrupt data here would be a race in reading it, and the counter would be told a lie
  expect(report.findings.map((finding) => finding.code)).not.toContain('card-data-corrupt');
  return { card, report };
}

async function removeCard(card: InsertedCard): Promise<void> {
  await card.remove();
  await expect.poll(() => station.readers.snapshot().readers.find((reader) => reader.name === READER_1)?.atr ?? null).toBeNull();
}

let annaId: number;
let trustDir: string;

beforeAll(async () => {
  trustDir = writeTrustDir((await createScenario('healthy')).trustedRoots);
});

// a station of its own for every test: card numbers are unique, and no test may lean on another's orders
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-lifecycle-'));
  station = await openStation({ dataDir, database: testRegisterLocation(dataDir), host: 'web', trustDirs: [trustDir], allowVirtualReaders: true });
  await station.readers.ready();
  await station.database.run('INSERT INTO setting (key, value) VALUES (?, ?)', [STATION_NAME_SETTING, HERE]);
  await createStation(station.database, { name: HERE, site: 'Ingång 70', address: 'Sjukhusvägen 1' });
  await createStation(station.database, { name: ELSEWHERE, site: 'Huvudentrén', address: 'Kungsgatan 1' });
  const [firstName, surname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
  // the register holds another HSA-ID at first, so the card's own one is a mismatch
  const anna = await createPerson(station.database, FULL_SCOPE, {
    firstName, surname, personnummer: personnummerFor(11), hsaId: 'SE2321000016-9z9z', username: null, email: 'anna@example.se', mobile: null, employmentType: 'region', employmentEnd: null, unitIds: [],
  });
  annaId = anna.id;
});

afterEach(async () => {
  await station.close();
});

/** Anna's order for the scenario card, walked to ready at this station. */
async function readyOrder(): Promise<number> {
  const { id } = await value('cardOrders.create', { personId: annaId, orderDate: '2026-11-01', orderReference: 'BEST-1' });
  await value('cardOrders.photograph', { orderId: id });
  await value('cardOrders.produce', { orderId: id, cardNumber: SCENARIO_SERIAL });
  await value('cardOrders.markReady', { orderId: id });
  return id;
}

/** The register learns the card's HSA-ID, so the scenario card is Anna's. */
async function annaOwnsTheCard(): Promise<void> {
  const person = await value('people.get', { id: annaId });
  await updatePerson(station.database, FULL_SCOPE, annaId, { ...person, personnummer: person.personnummer.replace('-', ''), hsaId: SCENARIO_HOLDER.hsaId, unitIds: [] });
}

/** Anna's order, handed over with the healthy scenario card, which is out of the reader again. */
async function handedOverOrder(): Promise<number> {
  const orderId = await readyOrder();
  await annaOwnsTheCard();
  const healthy = await insert('healthy');
  try {
    await value('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true });
  } finally {
    await removeCard(healthy.card);
  }
  return orderId;
}

const handoverRefusals = async (): Promise<unknown[]> =>
  (await station.database.column<string>("SELECT details FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'refused' ORDER BY id")).map((details) => (JSON.parse(details) as { refusal: unknown }).refusal);

describe('card lifecycle over the router, the real register and pcscd', () => {
  it('walks an order to ready, refusing steps out of turn, and queues the ready notice', async () => {
    const order = await value('cardOrders.create', { personId: annaId, orderDate: '2026-11-01', orderReference: 'BEST-1' });
    const orderId = order.id;
    expect(order.state).toBe('ordered');
    expect(await call('cardOrders.produce', { orderId, cardNumber: SCENARIO_SERIAL })).toMatchObject({ ok: false, code: 'card-too-early' });
    await setStationName('Ej registrerad');
    try {
      expect(await call('cardOrders.photograph', { orderId })).toMatchObject({ ok: false, code: 'station-not-registered' });
    } finally {
      await setStationName(HERE);
    }
    expect(await value('cardOrders.photograph', { orderId })).toMatchObject({ state: 'photographed', photoStation: { name: HERE }, photographedHere: true });
    expect(await call('cardOrders.photograph', { orderId })).toMatchObject({ ok: false, code: 'card-already-done' });
    expect(await value('cardOrders.produce', { orderId, cardNumber: SCENARIO_SERIAL })).toMatchObject({ state: 'produced', cardNumber: SCENARIO_SERIAL });
    expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true })).toMatchObject({ ok: false, code: 'card-too-early' });
    expect(await value('cardOrders.markReady', { orderId })).toMatchObject({ state: 'ready' });
    const [history] = await value('cardOrders.forPerson', { personId: annaId });
    expect(history!.events.map((event) => event.action)).toEqual(['order', 'photograph', 'produce', 'mark-ready', 'notify.ready']);
    expect(await call('cardOrders.forPerson', { personId: annaId }, unitAdmin)).toMatchObject({ ok: false, code: 'not-found' });
    expect(await handoverRefusals()).toEqual(['card-too-early']);
  });

  it('refuses a handover with an expired ID, at the wrong station, or without a card, leaving the order ready', async () => {
    const orderId = await readyOrder();
    const expired = { ...validId, expiry: '2020-01-01' };
    expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: expired, photoMatchesFace: true, pinLetterBrought: true })).toMatchObject({ ok: false, code: 'id-document-expired' });
    await setStationName(ELSEWHERE);
    try {
      const reply = await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true });
      expect(reply).toMatchObject({ ok: false, code: 'wrong-station' });
      expect(!reply.ok && reply.message).toContain(HERE);
    } finally {
      await setStationName(HERE);
    }
    expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true })).toMatchObject({ ok: false, code: 'no-card' });
    // without the staff's confirmations the call does not even reach the service
    expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: false, pinLetterBrought: true } as never)).toMatchObject({ ok: false, code: 'invalid-input' });
    expect(await stateOf(orderId)).toBe('ready');
    expect(await handoverRefusals()).toEqual(['id-document-expired', 'wrong-station']);
  });

  it('refuses a card whose test fails, and one whose HSA-ID is not the person’s', async () => {
    const orderId = await readyOrder();
    const failing = await insert('sign-expired');
    try {
      expect(failing.report.verdict).toBe('error');
      expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true })).toMatchObject({ ok: false, code: 'card-test-failed' });
    } finally {
      await removeCard(failing.card);
    }

    const healthy = await insert('healthy');
    try {
      const reply = await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true });
      expect(reply).toMatchObject({ ok: false, code: 'card-mismatch' });
      expect(!reply.ok && reply.message).toContain('hsaId');
      expect(await stateOf(orderId)).toBe('ready');
    } finally {
      await removeCard(healthy.card);
    }
    expect(await handoverRefusals()).toEqual(['card-test-failed', 'card-mismatch']);
  });

  it('hands over the matching card, keeps only type, last four and expiry of the ID, and refuses a second handover', async () => {
    const orderId = await readyOrder();
    await annaOwnsTheCard();
    const healthy = await insert('healthy');
    try {
      const receipt = await value('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true });
      expect(receipt).toMatchObject({ kind: 'handover', cardNumber: SCENARIO_SERIAL, personName: SCENARIO_HOLDER.name, station: HERE, idDocument: { type: 'pass', lastFour: '12AB', expiry: '2099-12-31' } });
      expect(await stateOf(orderId)).toBe('handed-over');
      const stored = (await station.database.one<{ certificates_not_after: string | null }>('SELECT certificates_not_after FROM card_order WHERE id = ?', [orderId]))!;
      expect(stored.certificates_not_after).toBe([...healthy.report.certificates.map((c) => c.notAfter)].sort()[0]);
      expect(await call('cardOrders.handover', { orderId, reader: READER_1, idDocument: validId, photoMatchesFace: true, pinLetterBrought: true })).toMatchObject({ ok: false, code: 'card-already-done' });
      expect(await value('cardOrders.lookup', { reader: READER_1 })).toMatchObject({ id: orderId, state: 'handed-over' });
      // the ID document's facts stay in the card's event, which erasure clears; the hashed trail keeps only its type
      const trailed = await station.database.value<string>("SELECT details FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok'");
      expect(JSON.parse(trailed!)).toMatchObject({ documentType: 'pass' });
      expect(trailed).not.toMatch(/12AB|2099-12-31|documentLastFour|documentExpiry|documentNote/);
    } finally {
      await removeCard(healthy.card);
    }
    expect((await verifyAudit(station.database)).ok).toBe(true);
  });

  it('puts a card whose certificates expire within 90 days on the worklist after its next card test', async () => {
    const orderId = await handedOverOrder();
    expect((await value('cardOrders.worklist', {})).expiring).toEqual([]);
    const expiring = await insert('auth-expiring');
    await removeCard(expiring.card);
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await station.database.run('UPDATE person SET employment_end = ? WHERE id = ?', [inTenDays, annaId]);
    const worklist = await value('cardOrders.worklist', {});
    expect(worklist.expiring.map((card) => [card.id, card.daysLeft])).toEqual([[orderId, 40]]);
    expect(worklist.employmentEnding.map((card) => [card.id, card.employmentEnd])).toEqual([[orderId, inTenDays]]);
  });

  it('blocks a handed-over card, flags it at its next card test, and exports the block request', async () => {
    const orderId = await handedOverOrder();
    const request = await value('cardOrders.block', { orderId, reason: 'lost', reportedBy: 'Anna själv', note: null });
    expect(request).toMatchObject({ cardNumber: SCENARIO_SERIAL, reason: 'lost', station: HERE });
    expect(request.keepUntil.slice(0, 4)).toBe(String(new Date(request.at).getUTCFullYear() + 10));
    // who reported it is free text that may name the holder: kept with the block request, not in the hashed trail
    expect(await station.database.value<string>("SELECT details FROM audit_entry WHERE action = 'card.block'")).not.toContain('Anna');
    expect(await call('cardOrders.block', { orderId, reason: 'lost', reportedBy: 'Anna', note: null })).toMatchObject({ ok: false, code: 'card-already-done' });
    const inserted = await insert('healthy');
    try {
      expect(await call('cards.flags', { cardSerial: inserted.report.cardSerial! }, nobody)).toMatchObject({ ok: true, value: { blockState: 'requested', confirmedAt: null, orderId } });
    } finally {
      await removeCard(inserted.card);
    }
    const { csv } = await value('blockRequests.csv', {});
    expect(csv).toContain(`${SCENARIO_SERIAL};${SCENARIO_HOLDER.name}`);
    expect(csv).toContain('Förlorat');
    const file = join(dataDir, 'sparrbegaran.csv');
    expect(await cardsCommand.run({ positionals: ['block-requests', file], values: {}, dataDir, database: testRegisterLocation(dataDir), json: true, allowVirtualReaders: false })).toMatchObject({ output: { file, rows: 1 } });
    expect(readFileSync(file, 'utf8')).toBe(csv);
    expect(await value('cards.flags', { cardSerial: '123456789' })).toEqual({ blockState: null, requestedAt: null, confirmedAt: null, orderId: null });
  });

  it('records a block request for a card not registered here, confirms it with the portal’s reference, closes it, and exports each state', async () => {
    const elsewhere = '97522690000099999999';
    const request = await value('blockRequests.create', { cardNumber: elsewhere, reason: 'lost', reportedBy: 'Kalle Kortlös', note: 'utfärdat i Västerås' });
    expect(request).toMatchObject({ orderId: null, cardNumber: elsewhere, personName: null, state: 'requested', confirmedAt: null, portalReference: null, station: HERE });
    expect(await call('blockRequests.create', { cardNumber: elsewhere, reason: 'stolen', reportedBy: 'Kalle', note: null })).toMatchObject({ ok: false, code: 'block-request-done' });
    expect(await call('cards.flags', { cardSerial: elsewhere }, nobody)).toMatchObject({ ok: true, value: { blockState: 'requested', requestedAt: request.at, confirmedAt: null } });
    // closing a request nobody blocked in the portal would hide a card still in use
    expect(await call('blockRequests.close', { requestId: request.id })).toMatchObject({ ok: false, code: 'block-request-not-confirmed' });
    expect((await value('blockRequests.csv', {})).csv).toContain(`${elsewhere};;;;Förlorat;Kalle Kortlös;utfärdat i Västerås;`);

    const confirmed = await value('blockRequests.confirm', { requestId: request.id, portalReference: 'SP-2026-0042' });
    expect(confirmed).toMatchObject({ state: 'blocked', confirmedBy: '1', portalReference: 'SP-2026-0042' });
    expect(confirmed.confirmedAt).not.toBeNull();
    expect(await call('blockRequests.confirm', { requestId: request.id, portalReference: 'SP-2' })).toMatchObject({ ok: false, code: 'block-request-done' });
    expect(await value('cards.flags', { cardSerial: elsewhere })).toMatchObject({ blockState: 'blocked', confirmedAt: confirmed.confirmedAt });
    expect((await value('blockRequests.list', { openOnly: true })).map((open) => [open.id, open.state])).toEqual([[request.id, 'blocked']]);
    expect((await value('blockRequests.csv', {})).csv).toContain(`;Spärrad i SITHS eID-portalen;1;${confirmed.confirmedAt};SP-2026-0042;`);

    const closed = await value('blockRequests.close', { requestId: request.id });
    expect(closed).toMatchObject({ state: 'closed', closedBy: '1' });
    expect(await value('blockRequests.list', { openOnly: true })).toEqual([]);
    expect((await value('blockRequests.list', {})).map((entry) => entry.state)).toEqual(['closed']);
    // the card stays blocked in the portal after the request is closed
    expect(await value('cards.flags', { cardSerial: elsewhere })).toMatchObject({ blockState: 'closed' });
    expect((await value('blockRequests.csv', {})).csv).toContain(`;Avslutad;1;${confirmed.confirmedAt};SP-2026-0042;${closed.closedAt}`);
    expect(await station.database.column<string>("SELECT action FROM audit_entry WHERE action LIKE 'block-request.%' ORDER BY id")).toEqual([
      'block-request.recorded',
      'block-request.confirmed',
      'block-request.closed',
    ]);
    expect((await verifyAudit(station.database)).ok).toBe(true);
  });

  it('records a block request by HSA-ID alone, found at the card test through the card’s holder', async () => {
    const request = await value('blockRequests.create', { hsaId: 'se2321000016-abc1', reason: 'stolen', reportedBy: 'Chef', note: null });
    expect(request).toMatchObject({ orderId: null, cardNumber: null, hsaId: 'SE2321000016-abc1', state: 'requested' });
    expect(await call('blockRequests.create', { hsaId: 'SE2321000016-abc1', reason: 'lost', reportedBy: 'Chef', note: null })).toMatchObject({ ok: false, code: 'block-request-done' });
    expect(await value('cards.flags', { cardSerial: '97522690000011111111', hsaId: 'SE2321000016-abc1' })).toMatchObject({ blockState: 'requested' });
    expect(await value('cards.flags', { cardSerial: '97522690000011111111' })).toMatchObject({ blockState: null });
    expect(await call('blockRequests.create', { hsaId: 'SE2321000016-nope-', reason: 'lost', reportedBy: 'Chef', note: null })).toMatchObject({ ok: false, code: 'invalid-input' });
  });

  it('blocks a card registered here through its order when its number is typed', async () => {
    const orderId = await readyOrder();
    const request = await value('blockRequests.create', { cardNumber: SCENARIO_SERIAL.toLowerCase(), reason: 'uncollected', reportedBy: 'Kortstationen', note: null });
    expect(request).toMatchObject({ orderId, cardNumber: SCENARIO_SERIAL, personName: SCENARIO_HOLDER.name, state: 'requested' });
    expect(await stateOf(orderId)).toBe('blocked');
    await value('blockRequests.confirm', { requestId: request.id, portalReference: 'SP-7' });
    const history = await value('cardOrders.forPerson', { personId: annaId });
    expect(history[0]!.events.map((event) => event.action)).toEqual(['order', 'photograph', 'produce', 'mark-ready', 'notify.ready', 'block', 'block-confirmed']);
  });

  it('takes the card back by its typed number once, then refuses returning or blocking it again', async () => {
    const orderId = await handedOverOrder();
    expect(await value('cardOrders.lookup', { cardNumber: SCENARIO_SERIAL })).toMatchObject({ id: orderId });
    const receipt = await value('cardOrders.return', { orderId, reason: 'employment-ended', cutInTwo: true });
    expect(receipt).toMatchObject({ kind: 'return', returnReason: 'employment-ended', cardNumber: SCENARIO_SERIAL });
    expect(await call('cardOrders.return', { orderId, reason: 'employment-ended', cutInTwo: true })).toMatchObject({ ok: false, code: 'card-already-done' });
    expect(await call('cardOrders.block', { orderId, reason: 'stolen', reportedBy: 'Chef', note: null })).toMatchObject({ ok: false, code: 'card-closed' });
    expect(await stateOf(orderId)).toBe('returned');
    const replacement = await value('cardOrders.orderReplacement', { orderId, orderReference: 'BEST-2' });
    expect(replacement).toMatchObject({ state: 'ordered', replacesOrderId: orderId, personId: annaId });
  });

  it('imports card orders all or nothing', async () => {
    const good = `personnummer;beställningsdatum;beställningsreferens\r\n${personnummerFor(11)};2026-11-20;IMP-1\r\n`;
    const bad = `${good}${personnummerFor(12)};2026-11-20;IMP-2\r\n${personnummerFor(11)};20-11-2026;IMP-3\r\n`;
    const refused = await value('cardOrders.import', { fileName: 'orders.csv', contentBase64: Buffer.from(bad).toString('base64') });
    expect(refused).toEqual({ created: 0, errors: [{ line: 3, field: 'personnummer', code: 'unknown-person' }, { line: 4, field: 'orderDate', code: 'format' }] });
    expect(await value('cardOrders.import', { fileName: 'orders.csv', contentBase64: Buffer.from(good).toString('base64') })).toEqual({ created: 1, errors: [] });
    expect(await value('cardOrders.import', { fileName: 'orders.csv', contentBase64: Buffer.from(good).toString('base64') })).toMatchObject({ created: 0, errors: [{ code: 'duplicate' }] });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Beställningar');
    sheet.addRow(['Personnummer', 'Beställningsdatum', 'Beställningsreferens']);
    sheet.addRow([personnummerFor(11), new Date('2026-11-21T00:00:00Z'), 'XLSX-1']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    expect(await value('cardOrders.import', { fileName: 'orders.xlsx', contentBase64: xlsx })).toEqual({ created: 1, errors: [] });
    expect((await value('cardOrders.forPerson', { personId: annaId })).map((order) => `${order.orderReference} ${order.orderDate}`)).toEqual(['XLSX-1 2026-11-21', 'IMP-1 2026-11-20']);
  });

  it('tells the importing session how far a card-order import has come, and a cancel from it writes no order', async () => {
    const orders = `personnummer;beställningsdatum;beställningsreferens\r\n${personnummerFor(11)};2026-11-20;JOB-1\r\n${personnummerFor(11)};2026-11-20;JOB-2\r\n`;
    const heard: unknown[] = [];
    const stop = station.onEvent((event) => heard.push(event));
    station.work.once('progress', (sessionId, event) => {
      heard.push({ sessionId, ...event });
      void station.router.call(operator, 'work.cancel', { jobId: event.jobId });
    });
    const cancelled = await call('cardOrders.import', { fileName: 'orders.csv', contentBase64: Buffer.from(orders).toString('base64'), jobId: 'orders-0001' });
    stop();
    expect(cancelled).toMatchObject({ ok: false, code: 'work-cancelled' });
    // the progress went to the importing session only, never to every window
    expect(heard).toEqual([{ sessionId: 'staff', type: 'work-progress', jobId: 'orders-0001', done: 0, total: 2 }]);
    expect(await value('cardOrders.forPerson', { personId: annaId })).toEqual([]);
    expect(await station.database.value("SELECT count(*) FROM audit_entry WHERE action = 'card.ordered'")).toBe(0);
    expect(await value('cardOrders.import', { fileName: 'orders.csv', contentBase64: Buffer.from(orders).toString('base64'), jobId: 'orders-0001' })).toEqual({ created: 2, errors: [] });
  });

  it('lists a ready card left for three months as "ska spärras"', async () => {
    await readyOrder();
    const order = await value('cardOrders.create', { personId: annaId, orderDate: '2026-01-01', orderReference: 'OLD-1' });
    await value('cardOrders.photograph', { orderId: order.id });
    // a refusal inside the step's transaction leaves no trace: state, event list and audit trail as before
    const auditRows = (): Promise<number | undefined> => station.database.value<number>('SELECT count(*) FROM audit_entry');
    const before = await auditRows();
    expect(await call('cardOrders.produce', { orderId: order.id, cardNumber: SCENARIO_SERIAL })).toMatchObject({ ok: false, code: 'card-number-taken' });
    expect([await stateOf(order.id), await auditRows()]).toEqual(['photographed', before]);
    await value('cardOrders.produce', { orderId: order.id, cardNumber: '97522690000099999999' });
    await value('cardOrders.markReady', { orderId: order.id });
    await station.database.run("UPDATE card_order SET ready_at = '2020-01-01T00:00:00.000Z' WHERE id = ?", [order.id]);
    const worklist = await value('cardOrders.worklist', {});
    expect(worklist.toBlock.map((card) => [card.id, card.uncollected])).toEqual([[order.id, true]]);
  });
});
