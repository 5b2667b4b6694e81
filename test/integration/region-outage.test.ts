// A station on the region database while PostgreSQL is down: the card test still gives its verdict, a PIN change is refused before the card sees it, and the station finds the database again by itself.
// Opens a whole station with readers: run it inside scripts/private-pcscd.sh.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import type { AppInfo } from '@shared/contract';
import type { Session } from '../../src-main/router';
import { openStation, type Station } from '../../src-main/station';
import { createScenario, SCENARIO_PINS } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { freshPostgresDatabase, startPostgres, type PostgresCluster } from '../support/postgres';
import { writeTrustDir } from '../support/trust-dir';

const counter: Session = { id: 'counter', operator: null };
const NEW_PIN = '246801';

let cluster: PostgresCluster;
let station: Station;

beforeAll(async () => {
  // a cluster of its own: stopping it must not touch the other tests' databases
  cluster = startPostgres();
  const { trustedRoots } = await createScenario('healthy');
  station = await openStation({
    dataDir: mkdtempSync(join(tmpdir(), 'kortstation-outage-')),
    database: await freshPostgresDatabase(cluster.url),
    host: 'web',
    trustDirs: [writeTrustDir(trustedRoots)],
    allowVirtualReaders: true,
  });
  await station.readers.ready();
});
afterAll(async () => {
  await station?.close();
  cluster?.stop();
});

function nextReport(): Promise<CardTestReport> {
  return new Promise((resolve) => {
    const stop = station.onEvent((event) => {
      if (event.type === 'card-test' && event.reader === READER_1 && event.state === 'done') {
        stop();
        resolve(event.report);
      }
    });
  });
}

const registerReachable = async (): Promise<boolean> => {
  const info = await station.router.call(counter, 'app.info', {});
  return info.ok && (info.value as AppInfo).register.reachable;
};

it('tests the card, refuses the PIN change untouched, and carries on when the database is back', async () => {
  const { applet } = await createScenario('healthy');
  expect(await registerReachable()).toBe(true);
  cluster.pause();
  try {
    const report = nextReport();
    const card = await insertCard(applet, { reader: 1 });
    // the same verdict as with the database up: no revocation list was ever imported
    expect(await report).toMatchObject({ outcome: 'complete', verdict: 'ok' });

    const refused = await station.router.call(counter, 'pin.change', { reader: READER_1, pin: 'auth', current: SCENARIO_PINS.auth, next: NEW_PIN });
    expect(refused).toEqual({ ok: false, code: 'register-unavailable', message: 'Ingen kontakt med regiondatabasen' });
    expect(await registerReachable()).toBe(false);
    const status = await station.router.call(counter, 'pin.status', { reader: READER_1 });
    expect(status).toMatchObject({ ok: true, value: { pins: expect.arrayContaining([expect.objectContaining({ role: 'auth', triesLeft: 3 })]) } });
    await card.remove();
  } finally {
    cluster.resume();
  }
  await expect.poll(registerReachable, { timeout: 15_000 }).toBe(true);

  const tested = nextReport();
  const card = await insertCard(applet, { reader: 1 });
  await tested;
  // the old PIN still opens the card: the refused change never reached it
  const changed = await station.router.call(counter, 'pin.change', { reader: READER_1, pin: 'auth', current: SCENARIO_PINS.auth, next: NEW_PIN });
  expect(changed, JSON.stringify(changed)).toMatchObject({ ok: true, value: { ok: true, code: 'changed' } });
  await card.remove();
  const trail = await station.database.all<{ action: string; outcome: string }>("SELECT action, outcome FROM audit_entry WHERE action LIKE 'pin.%' ORDER BY id");
  expect(trail).toEqual([{ action: 'pin.changed', outcome: 'ok' }]);
}, 60_000);
