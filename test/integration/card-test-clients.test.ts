// Two PC/SC clients test the same card at insertion (two stations here; the kiosk and the CLI or middleware at a counter): neither may see the other's APDUs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CardTestReport } from '@shared/card-report';
import { openStation, type Station } from '../../src-main/station';
import { createScenario } from '../sim/scenarios';
import { insertCard } from '../sim/vpcd';
import { READER_1 } from '../support/pcscd';
import { writeTrustDir } from '../support/trust-dir';

// unguarded, about half of all insertions gave one of the two a "corrupt data" verdict: eight make a miss unlikely
const INSERTIONS = 8;

const stations: Station[] = [];
beforeAll(async () => {
  const { trustedRoots } = await createScenario('healthy');
  const trustDir = writeTrustDir(trustedRoots);
  for (const name of ['a', 'b']) {
    const station = await openStation({ dataDir: mkdtempSync(join(tmpdir(), `kortstation-client-${name}-`)), host: 'web', trustDirs: [trustDir], allowVirtualReaders: true });
    stations.push(station);
    await station.readers.ready();
  }
});
afterAll(async () => {
  await Promise.all(stations.map((station) => station.close()));
});

function nextReport(station: Station): Promise<CardTestReport> {
  return new Promise((resolve) => {
    const stop = station.onEvent((event) => {
      if (event.type === 'card-test' && event.reader === READER_1 && event.state === 'done') {
        stop();
        resolve(event.report);
      }
    });
  });
}

it('gives both clients the healthy card’s true verdict at every insertion', async () => {
  const { applet } = await createScenario('healthy');
  const verdicts: string[] = [];
  for (let insertion = 0; insertion < INSERTIONS; insertion++) {
    const reports = Promise.all(stations.map(nextReport));
    const card = await insertCard(applet, { reader: 1 });
    for (const report of await reports) verdicts.push(`${report.outcome} ${report.verdict} ${report.findings.map((finding) => finding.code).join(',')}`);
    await card.remove();
    for (const station of stations) await expect.poll(() => station.readers.snapshot().readers.find((reader) => reader.name === READER_1)?.atr ?? null).toBeNull();
  }
  expect(verdicts).toEqual(Array(INSERTIONS * stations.length).fill('complete ok revocation-unknown,card-ok'));
}, 120_000);
