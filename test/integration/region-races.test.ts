// Two station processes on one region database acting at the same moment on the same order, token, invoice month and people: exactly one wins, the other is refused in words the counter shows, nothing half-written.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sv } from '@shared/i18n/sv';
import { csvLine, personnummerFor, TEMPLATE_HEADER, testPerson } from '../people-data';
import { createScenario, SCENARIO_HOLDER, SCENARIO_SERIAL } from '../sim/scenarios';
import { insertCard, type InsertedCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { freshPostgresDatabase } from '../support/postgres';
import { attempt, joinRegion, regionCount, regionKeyFile, regionQuery, startRegionStation, type Outcome } from '../support/region-stations';
import { apiLogin, apiSession, firstRunByApi, type Api } from '../support/staff-session';
import { createMunicipalityUnits, createPerson, readyCardOrder } from '../support/station-scene';
import { hotpBatch, importBatch } from '../support/token-batch';
import { writeTrustDir } from '../support/trust-dir';
import type { RunningWebHost } from '../support/web-host-process';

const batch = hotpBatch('RACE', 3);
let region = '';
let hosts: RunningWebHost[] = [];
let apis: [Api, Api];
let card: InsertedCard | undefined;
let orderId = 0;
let people: [number, number, number];

/** The one success and the one refusal, whichever station got which. */
function oneWinner<T>(outcomes: Outcome[]): { won: T; refused: { code: string; message: string } } {
  const won = outcomes.filter((outcome) => outcome.ok);
  const refused = outcomes.filter((outcome) => !outcome.ok);
  expect(won, JSON.stringify(outcomes)).toHaveLength(1);
  expect(refused).toHaveLength(1);
  return { won: (won[0] as { value: T }).value, refused: refused[0] as { code: string; message: string } };
}

/** What the counter shows for a refusal code: its screen's own Swedish text. */
const counterText = (section: 'lifecycle' | 'tokens' | 'reports' | 'people', code: string): string | undefined => (sv[section].errors as Record<string, string>)[code];

async function until(done: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await done()); waited += 100) {
    if (waited > 30_000) throw new Error('the card was never tested');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const previousMonth = (now: Date): string => {
  const first = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${first.getFullYear()}-${String(first.getMonth() + 1).padStart(2, '0')}`;
};

const STATION = 'Akademiska, ingång 70';

beforeAll(async () => {
  region = await freshPostgresDatabase(inject('postgresUrl'));
  const key = regionKeyFile();
  const dataDirs = [joinRegion(region, key), joinRegion(region, key)];
  const scenario = await createScenario('healthy');
  const trust = writeTrustDir(scenario.trustedRoots);
  // two kiosks at one counter: the first sets the region up under the station's name, the second joins that station
  hosts = [await startRegionStation(region, dataDirs[0]!, ['--trust', trust])];
  const first = await apiSession(hosts[0]!);
  const secret = await firstRunByApi(first, STATION);
  hosts.push(await startRegionStation(region, dataDirs[1]!, ['--trust', trust], STATION));
  apis = [first, await apiLogin(hosts[1]!, secret)];

  const [unit] = await createMunicipalityUnits(first, [{ name: 'Hemtjänst Öst', reference: 'K4711' }]);
  const [holderFirst, holderSurname] = SCENARIO_HOLDER.name.split(' ') as [string, string];
  const holder = await createPerson(first, { firstName: holderFirst, surname: holderSurname, personnummer: personnummerFor(30), hsaId: SCENARIO_HOLDER.hsaId, employmentType: 'region' });
  orderId = await readyCardOrder(first, holder, SCENARIO_SERIAL);
  people = [
    await createPerson(first, { firstName: 'Bo', surname: 'Ek', personnummer: personnummerFor(31), unitIds: [unit!] }),
    await createPerson(first, { firstName: 'Cilla', surname: 'Holm', personnummer: personnummerFor(32), unitIds: [unit!] }),
    await createPerson(first, { firstName: 'Dan', surname: 'Berg', personnummer: personnummerFor(33), unitIds: [unit!] }),
  ];
  await importBatch(first, batch, 'K4711');
  card = await insertCard(scenario.applet, { reader: 1 });
  // both counters have tested the card at insertion, as a kiosk has by the time staff press "Lämna ut"
  for (const api of apis) await until(async () => (await api<{ reader: string; state: string }[]>('card.results', {})).some((result) => result.reader === READER_1 && result.state === 'done'));
}, 120_000);

afterAll(async () => {
  await card?.remove();
  await Promise.all(hosts.map((host) => host.stop()));
});

describe('two station processes on one region database at the same moment', () => {
  it('hand over the same card once: one receipt, one "already done", one event and one audit row', async () => {
    const idDocument = { type: 'pass', lastFour: '12ab', expiry: '2099-12-31', note: null };
    const outcomes = await Promise.all(apis.map((api) => attempt(api, 'cardOrders.handover', { orderId, reader: READER_1, idDocument, photoMatchesFace: true, pinLetterBrought: true })));
    const { won, refused } = oneWinner<{ kind: string; orderId: number }>(outcomes);
    expect(won).toMatchObject({ kind: 'handover', orderId });
    expect(refused.code).toBe('card-already-done');
    expect(counterText('lifecycle', refused.code)).toMatch(/redan/);
    expect(await regionQuery(region, 'SELECT state, handed_over_at IS NOT NULL AS stamped FROM card_order WHERE id = $1', [orderId])).toEqual([{ state: 'handed-over', stamped: true }]);
    expect(await regionCount(region, "SELECT count(*) FROM card_event WHERE order_id = $1 AND action = 'hand-over'", [orderId])).toBe(1);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'card.hand-over' AND outcome = 'ok'")).toBe(1);
  }, 60_000);

  it('issue the same token to two people once: the token has one holder, one event, one audit row', async () => {
    const serial = batch.serials[0]!;
    const code = batch.firstCode(serial);
    const outcomes = await Promise.all(apis.map((api, index) => attempt(api, 'tokens.issue', { personId: people[index], category: 'kommunal', serial, code, idDocument: { type: 'pass', lastFour: '1234', expiry: '2099-12-31', note: null }, kindOverrideReason: 'Anställningsformen saknas i testdata' })));
    const { won, refused } = oneWinner<{ personId: number; state: string }>(outcomes);
    expect(won.state).toBe('issued');
    expect(refused.code).toBe('token-already-issued');
    expect(counterText('tokens', refused.code)).toMatch(/redan utlämnad/);
    expect(await regionQuery(region, 'SELECT state, person_id::int AS holder FROM token WHERE serial = $1', [serial])).toEqual([{ state: 'issued', holder: won.personId }]);
    expect(await regionCount(region, "SELECT count(*) FROM token_event e JOIN token t ON t.id = e.token_id WHERE t.serial = $1 AND e.action = 'issued'", [serial])).toBe(1);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'token.issued' AND subject_id = $1", [serial])).toBe(1);
  });

  it('issue two kommunal tokens to one person at once: one is issued, the other refused, since a person holds one kommunal token', async () => {
    const person = people[2];
    const serials = [batch.serials[1]!, batch.serials[2]!];
    const outcomes = await Promise.all(apis.map((api, index) => attempt(api, 'tokens.issue', { personId: person, category: 'kommunal', serial: serials[index], code: batch.firstCode(serials[index]!), idDocument: { type: 'pass', lastFour: '1234', expiry: '2099-12-31', note: null }, kindOverrideReason: 'Anställningsformen saknas i testdata' })));
    const { won, refused } = oneWinner<{ serial: string; state: string }>(outcomes);
    expect(won.state).toBe('issued');
    expect(refused.code).toBe('token-category-taken');
    expect(counterText('tokens', refused.code)).toMatch(/en kommunal och en LOV-dosa/);
    expect(await regionQuery(region, 'SELECT serial, state FROM token WHERE serial = ANY($1) ORDER BY serial', [serials])).toEqual(
      serials.map((serial) => ({ serial, state: serial === won.serial ? 'issued' : 'in-stock' })),
    );
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'token.issued' AND subject_id = ANY($1)", [serials])).toBe(1);
  });

  it('close the same invoice month once: one closing row, one audit row, the other told the month is closed', async () => {
    const month = previousMonth(new Date());
    const outcomes = await Promise.all(apis.map((api) => attempt(api, 'invoices.close', { month })));
    const { won, refused } = oneWinner<{ month: string; closedAt: string | null }>(outcomes);
    expect(won).toMatchObject({ month, closedAt: expect.any(String) });
    expect(refused.code).toBe('invoice-month-closed');
    expect(counterText('reports', refused.code)).toMatch(/stängd/);
    expect(await regionCount(region, 'SELECT count(*) FROM invoice_month WHERE month = $1', [month])).toBe(1);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'invoice.month-closed'")).toBe(1);
  });

  it('import overlapping people files: everyone once, each import whole or refused, and the counts add up', async () => {
    const file = (from: number, to: number) => {
      const lines = [TEMPLATE_HEADER];
      for (let n = from; n < to; n++) lines.push(csvLine(testPerson(n)));
      return { fileName: 'personal.csv', contentBase64: Buffer.from(lines.join('\r\n')).toString('base64') };
    };
    const before = await regionCount(region, 'SELECT count(*) FROM person');
    // 300 each, 150 of them in both files
    const outcomes = await Promise.all([attempt<{ created: number; unchanged: number }>(apis[0], 'people.import', file(5000, 5300)), attempt<{ created: number; unchanged: number }>(apis[1], 'people.import', file(5150, 5450))]);
    const done = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
    // a refusal must say why in the import screen's words; 'internal' is a crash, not a refusal
    for (const outcome of outcomes) if (!outcome.ok) expect(counterText('people', outcome.code), JSON.stringify(outcome)).toBeTruthy();
    expect(done.length).toBeGreaterThanOrEqual(1);
    const people = await regionCount(region, 'SELECT count(*) FROM person');
    expect(people - before).toBe(done.reduce((sum, report) => sum + report.created, 0));
    // the winner created its 300; a second import that also went through found the overlap already there
    expect(people - before).toBe(done.length === 2 ? 450 : 300);
    if (done.length === 2) expect(done.map((report) => report.unchanged).sort()).toEqual([0, 150]);
    expect(await regionCount(region, "SELECT count(*) FROM audit_entry WHERE action = 'people.imported' AND outcome = 'ok'")).toBe(done.length);
    expect(await regionCount(region, 'SELECT count(*) FROM (SELECT personnummer FROM person GROUP BY personnummer HAVING count(*) > 1) doubled')).toBe(0);
  });

  it('leave an audit trail that verifies as one chain', async () => {
    for (const api of apis) expect(await api('audit.verify', {})).toMatchObject({ ok: true, firstBadRow: null });
  });
});
