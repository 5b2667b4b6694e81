// Issue 15's benchmark: for each virtual card layout, our card test's APDUs and time beside OpenSC's pkcs15-tool on the same card, and the goal check.
import { ReaderService } from '../src-main/card/readers';
import { READER_0, READER_1 } from '../test/support/pcscd';
import {
  HEALTHY_SITHS_CARDS,
  type LayoutReading,
  MAX_PROBING_APDUS_ON_HEALTHY_SITHS,
  OPENSC_LISTING,
  YARDSTICK_CARDS,
  type YardstickCard,
  createYardstickCard,
  readLayoutBothWays,
} from '../test/support/layout-yardstick';
import { percentile } from './stats';

const READINGS = 5;
/** Two readers taken in turn: vpcd needs a pause before a card goes back into the reader it just left. */
const READERS = [
  { index: 0, name: READER_0 },
  { index: 1, name: READER_1 },
] as const;

/** One number when all readings agree, the range when they don't. */
function counts(samples: readonly number[]): string {
  const low = Math.min(...samples);
  const high = Math.max(...samples);
  return low === high ? `${low}` : `${low}–${high}`;
}

const ms = (samples: readonly number[]): string => `${percentile(samples, 50).toFixed(1)} ms`;

function row(name: YardstickCard, readings: readonly LayoutReading[]): string {
  const ours = readings.map((reading) => reading.ours);
  const opensc = readings.map((reading) => reading.opensc);
  const of = <T>(list: readonly T[], key: (item: T) => number): string => counts(list.map(key));
  return [
    name.padEnd(22),
    `${of(ours, (r) => r.apdus).padStart(4)} (${of(ours, (r) => r.missed)} missed)`.padEnd(16),
    ms(ours.map((r) => r.ms)).padStart(9),
    `${of(ours, (r) => r.certificates)} certs`.padEnd(9),
    '|',
    `${of(opensc, (r) => r.apdus).padStart(4)} (${of(opensc, (r) => r.missed)} missed)`.padEnd(16),
    ms(opensc.map((r) => r.ms)).padStart(9),
    `${of(opensc, (r) => r.certificates)} certs${opensc.some((r) => r.exitCode !== 0) ? `, exit ${of(opensc, (r) => r.exitCode)}` : ''}`,
  ].join(' ');
}

export async function benchCardLayouts(): Promise<void> {
  const readers = new ReaderService({ allowVirtualReaders: true });
  readers.start();
  await readers.ready();
  const all = new Map<YardstickCard, LayoutReading[]>();
  try {
    let turn = 0;
    for (const name of YARDSTICK_CARDS) {
      const readings: LayoutReading[] = [];
      for (let n = 0; n < READINGS; n++) {
        const reader = READERS[turn++ % READERS.length]!;
        readings.push(await readLayoutBothWays(readers, reader.index, reader.name, await createYardstickCard(name)));
      }
      all.set(name, readings);
    }
  } finally {
    readers.stop();
  }

  console.log(`card layouts: our card test beside OpenSC's pkcs15-tool ${OPENSC_LISTING.join(' ')} on the same virtual card, ${READINGS} readings each`);
  console.log('  APDUs as the card received them; "missed": commands other than VERIFY answered neither 9000 nor 61xx; time p50 (OpenSC: its process included)');
  console.log(`  ${'layout'.padEnd(22)} ${'our card test'.padEnd(36)} | OpenSC`);
  for (const [name, readings] of all) console.log(`  ${row(name, readings)}`);

  const overOpensc = [...all].filter(([, readings]) => readings.some((reading) => reading.ours.apdus > reading.opensc.apdus)).map(([name]) => name);
  console.log(
    `  goal: never more APDUs than OpenSC — ${overOpensc.length === 0 ? `met on all ${all.size} layouts` : `NOT MET on ${overOpensc.join(', ')}`}`,
  );
  const probing = [...HEALTHY_SITHS_CARDS].map((name) => ({ name, missed: Math.max(...all.get(name)!.map((reading) => reading.ours.missed)) }));
  const probingMet = probing.every((card) => card.missed <= MAX_PROBING_APDUS_ON_HEALTHY_SITHS);
  console.log(
    `  goal: the probing for other layouts costs a healthy SITHS card at most ${MAX_PROBING_APDUS_ON_HEALTHY_SITHS} APDUs — ${probingMet ? 'met' : 'NOT MET'}: ${probing.map((card) => `${card.name} ${card.missed}`).join(', ')}`,
  );
}
