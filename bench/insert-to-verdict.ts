// The headline: from pcscd's card event to the card test's verdict painted in Chromium (browser mode), step by step; the virtual reader's own delay apart.
import type { Page } from '@playwright/test';
import { eventTime } from '@shared/event-time';
import { createScenario, type Personality } from '../test/sim/scenarios';
import { insertCard } from '../test/sim/vpcd';
import { runTool } from '../test/support/opensc';
import { READER_0 } from '../test/support/pcscd';
import { writeTrustDir } from '../test/support/trust-dir';
import { apiSession } from '../test/support/staff-session';
import { admit, startWebHostProcess, type RunningWebHost } from '../test/support/web-host-process';
import { launchChromium } from './browser';
import { clearPaintStamps, clockOffset, installPaintProbe, paintStamp } from './paint-probe';
import { StationEventLog } from './station-events';
import { summary } from './stats';

const INSERTIONS = 20;
const PROFILES: readonly Personality[] = ['pkcs15', 'piv'];

interface Insertion {
  /** The virtual card's socket to vpcd is up → pcscd's card event reaches the station: vpcd and pcscd polling, not ours. */
  virtualReader: number;
  eventToConnected: number;
  cardTest: number;
  /** From the card's first command to its last: the APDU round trips through pcsclite, pcscd and vpcd, with the certificate check overlapping. */
  firstToLastApdu: number;
  reportToInDom: number;
  inDomToPainted: number;
  eventToVerdictPainted: number;
  /** undefined when the verdict came within the same frame, so "Kortet testas…" never reached the screen. */
  eventToRunningPainted: number | undefined;
  apdusByReport: number;
  apdusSeenByCard: number;
  openscMs: number;
  openscApdus: number;
}

interface Removal {
  virtualReader: number;
  eventToPainted: number;
}

/** One number when all samples agree, the range when they don't. */
function counts(samples: readonly number[]): string {
  const low = Math.min(...samples);
  const high = Math.max(...samples);
  return low === high ? `${low}` : `${low}–${high}`;
}

async function insertAndWatch(page: Page, log: StationEventLog, applet: Parameters<typeof insertCard>[0]): Promise<{ insertion: Insertion; removal: Removal }> {
  await clearPaintStamps(page);
  const from = log.events.length;
  const commandTimes: number[] = [];
  const card = await insertCard(applet, { reader: 0, onCommand: () => commandTimes.push(eventTime()) });
  const verdict = await paintStamp(page, 'verdict');
  const running = await page.evaluate<{ paintedAt?: number } | undefined>('window.paintStamps.running');
  const inserted = await log.find(from, 'card-inserted', (event) => event.reader === READER_0);
  const connected = await log.find(from, 'card-test', (event) => event.reader === READER_0 && event.state === 'running');
  const done = await log.find(from, 'card-test', (event) => event.reader === READER_0 && event.state === 'done');
  if (done.state !== 'done') throw new Error('unreachable');
  if (done.report.verdict !== 'ok') console.log(`  verdict ${done.report.verdict}: ${done.report.findings.map((finding) => finding.code).join(', ')}`);
  const cardTestCommands = [...commandTimes];

  // OpenSC reads the same card once the verdict is up, as an outside yardstick for the card test
  const openscStart = performance.now();
  const opensc = await runTool('pkcs15-tool', ['--reader', READER_0, '--list-certificates', '--list-pins']);
  const openscMs = performance.now() - openscStart;
  if (opensc.code !== 0) console.log(`  pkcs15-tool exited ${opensc.code}: ${opensc.stderr.trim()}`);

  await clearPaintStamps(page);
  const beforeRemoval = log.events.length;
  const removedAt = eventTime();
  await card.remove();
  const cleared = await paintStamp(page, 'insert-card');
  const removed = await log.find(beforeRemoval, 'card-removed', (event) => event.reader === READER_0);
  return {
    insertion: {
      virtualReader: inserted.at - card.connectedAt,
      eventToConnected: connected.at - inserted.at,
      cardTest: done.at - connected.at,
      firstToLastApdu: cardTestCommands.at(-1)! - cardTestCommands[0]!,
      reportToInDom: verdict.inDomAt - done.at,
      inDomToPainted: verdict.paintedAt - verdict.inDomAt,
      eventToVerdictPainted: verdict.paintedAt - inserted.at,
      eventToRunningPainted: running?.paintedAt === undefined ? undefined : running.paintedAt - inserted.at,
      apdusByReport: done.report.apduCount,
      apdusSeenByCard: cardTestCommands.length,
      openscMs,
      openscApdus: commandTimes.length - cardTestCommands.length,
    },
    removal: { virtualReader: removed.at - removedAt, eventToPainted: cleared.paintedAt - removed.at },
  };
}

function printProfile(profile: Personality, insertions: readonly Insertion[], removals: readonly Removal[]): void {
  const of = (key: Exclude<keyof Insertion, 'eventToRunningPainted'>): number[] => insertions.map((insertion) => insertion[key]);
  const runningPainted = insertions.flatMap((insertion) => insertion.eventToRunningPainted ?? []);
  console.log(`insert → verdict, ${profile} healthy card (${insertions.length} insertions, its CA's CRL imported): pcscd card event → verdict painted ${summary(of('eventToVerdictPainted'))}`);
  console.log(`  event → card connected ${summary(of('eventToConnected'))}`);
  console.log(`  → report ready (card test) ${summary(of('cardTest'))}`);
  console.log(`    of which first → last of its ${counts(of('apdusByReport'))} APDUs at the card (round trips through pcscd and vpcd; the certificate check runs meanwhile) ${summary(of('firstToLastApdu'))}`);
  console.log(`  → verdict in the DOM (event to the tab, store, Vue) ${summary(of('reportToInDom'))}`);
  console.log(`  → verdict painted (style, layout, paint, frame presented) ${summary(of('inDomToPainted'))}`);
  console.log(`  meanwhile, event → "Kortet testas…" painted ${summary(runningPainted)} (the other insertions showed the verdict first)`);
  console.log(`  not ours: virtual card connects → pcscd card event (vpcd and pcscd presence polling) ${summary(of('virtualReader'))}`);
  console.log(`  card removed: pcscd event → "Sätt i kortet" painted ${summary(removals.map((removal) => removal.eventToPainted))}; not ours: socket closed → pcscd event ${summary(removals.map((removal) => removal.virtualReader))}`);
  console.log(`  APDUs seen by the card ${counts(of('apdusSeenByCard'))}; OpenSC pkcs15-tool --list-certificates --list-pins on the same card ${summary(of('openscMs'))} (process included), ${counts(of('openscApdus'))} APDUs`);
}

/** The station holds its issuing CA's CRL, as one in service does, so every test checks revocation too. */
async function importCrls(host: RunningWebHost, crls: readonly Uint8Array[]): Promise<void> {
  const api = await apiSession(host);
  for (const crl of crls) await api('crl.import', { contentBase64: Buffer.from(crl).toString('base64') });
}

export async function benchInsertToVerdict(): Promise<void> {
  const scenarios = await Promise.all(PROFILES.map((profile) => createScenario('healthy', profile)));
  const host = await startWebHostProcess({ args: ['--trust', writeTrustDir(scenarios[0]!.trustedRoots)] });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  let log: StationEventLog | undefined;
  try {
    const cookie = await admit(host);
    if (!cookie) throw new Error('the host refused its own launch token');
    log = await StationEventLog.open(host.origin, cookie);
    await importCrls(host, scenarios[0]!.crls);
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(host.url);
    await page.locator(`[data-test="reader"][data-reader="${READER_0}"]`).waitFor();
    await installPaintProbe(page);
    const clocks = await clockOffset(page);
    console.log(`insert → verdict: the page's clock is ${clocks.offset.toFixed(1)} ± ${clocks.within.toFixed(1)} ms from Node's`);
    const first = await insertAndWatch(page, log, scenarios[0]!.applet);
    console.log(`insert → verdict, first card after start (not counted below): pcscd card event → verdict painted ${first.insertion.eventToVerdictPainted.toFixed(1)} ms, of which card test ${first.insertion.cardTest.toFixed(1)} ms`);
    for (const [index, profile] of PROFILES.entries()) {
      const insertions: Insertion[] = [];
      const removals: Removal[] = [];
      for (let n = 0; n < INSERTIONS; n++) {
        const { insertion, removal } = await insertAndWatch(page, log, scenarios[index]!.applet);
        insertions.push(insertion);
        removals.push(removal);
      }
      printProfile(profile, insertions, removals);
    }
  } finally {
    log?.close();
    await browser.close();
    await host.stop();
  }
}
