// People at scale: 50,000 people, search as you type on every key, and importing a 10,000-row file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../src-main/db/data-layer';
import { openDatabase } from '../src-main/db/open';
import { createOrganisation, createUnit, FULL_SCOPE, type UnitScope } from '../src-main/organisation/organisation';
import { searchPeople } from '../src-main/people/people';
import { parsePeopleFile } from '../src-main/people/import';
import { importPeople } from '../src-main/people/import-apply';
import { csvLine, testPerson, TEMPLATE_HEADER, type TestPerson } from '../test/people-data';
import { summary } from './stats';

const PEOPLE = 50_000;
const IMPORTED = 10_000;
const UNITS = 50;
const SAMPLED_PEOPLE = 200;

const unitReference = (n: number): string => `K${1000 + (n % UNITS)}`;

function csvFile(first: number, count: number): Uint8Array {
  const lines = Array.from({ length: count }, (_, index) => csvLine(testPerson(first + index), unitReference(first + index), 'Region', '2030-06-30'));
  return new TextEncoder().encode([TEMPLATE_HEADER, ...lines].join('\r\n'));
}

async function timedImport(db: Db, label: string, bytes: Uint8Array): Promise<void> {
  const start = performance.now();
  const parsed = await parsePeopleFile(bytes, 'people.csv');
  const parsedAt = performance.now();
  const report = await importPeople(db, FULL_SCOPE, parsed);
  const end = performance.now();
  console.log(`people import ${label}: ${((end - start) / 1000).toFixed(2)} s (parse ${((parsedAt - start) / 1000).toFixed(2)} s, database ${((end - parsedAt) / 1000).toFixed(2)} s); created ${report.created}, updated ${report.updated}, unchanged ${report.unchanged}, faults ${report.errors.length}`);
}

/** Every prefix of every key, as a person types it one character at a time. */
const KEYS: Record<string, (person: TestPerson) => string> = {
  'first name + surname': (person) => `${person.firstName} ${person.surname}`,
  'surname + first name': (person) => `${person.surname} ${person.firstName}`,
  'personnummer (12 digits)': (person) => person.personnummer,
  'personnummer (YYMMDD-NNNN)': (person) => `${person.personnummer.slice(2, 8)}-${person.personnummer.slice(8)}`,
  'HSA-ID': (person) => person.hsaId,
  username: (person) => person.username,
};

async function benchSearch(db: Db, scopeLabel: string, scope: UnitScope): Promise<void> {
  for (const [label, keyOf] of Object.entries(KEYS)) {
    const samples: number[] = [];
    for (let sample = 0; sample < SAMPLED_PEOPLE; sample++) {
      const key = keyOf(testPerson(Math.floor((sample * PEOPLE) / SAMPLED_PEOPLE)));
      for (let length = 1; length <= key.length; length++) {
        const start = performance.now();
        await searchPeople(db, scope, key.slice(0, length));
        samples.push(performance.now() - start);
      }
    }
    console.log(`people search as you type, ${scopeLabel}, ${label}: ${summary(samples)}`);
  }
}

export async function benchPeople(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-bench-people-'));
  const db = await openDatabase(join(dataDir, 'kortstation.sqlite'));
  try {
    const region = await createOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
    const unitIds: number[] = [];
    for (let n = 0; n < UNITS; n++) unitIds.push((await createUnit(db, { organisationId: region.id, parentId: null, name: `Enhet ${n}`, reference: unitReference(n) })).id);

    await timedImport(db, `of ${(PEOPLE - IMPORTED).toLocaleString('en')} rows into an empty station`, csvFile(0, PEOPLE - IMPORTED));
    await timedImport(db, `of a ${IMPORTED.toLocaleString('en')}-row file (new people, ${(PEOPLE - IMPORTED).toLocaleString('en')} already there)`, csvFile(PEOPLE - IMPORTED, IMPORTED));
    await timedImport(db, `of the same ${IMPORTED.toLocaleString('en')}-row file again (all unchanged)`, csvFile(PEOPLE - IMPORTED, IMPORTED));

    await benchSearch(db, `${PEOPLE.toLocaleString('en')} people, all units`, FULL_SCOPE);
    await benchSearch(db, 'unit administrator of 1 unit', { kind: 'units', unitIds: unitIds.slice(0, 1) });
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
