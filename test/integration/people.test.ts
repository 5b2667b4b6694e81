import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersonInput } from '@shared/contract';
import type { Db, OpenRegister } from '../../src-main/db/data-layer';
import { createRouter, type Handlers, type Session } from '../../src-main/router';
import { createOrganisation, createStation, createUnit, FULL_SCOPE, listUnits, type UnitScope } from '../../src-main/organisation/organisation';
import { createPerson, getPerson, searchPeople, updatePerson } from '../../src-main/people/people';
import { peopleHandlers } from '../../src-main/people/handlers';
import { WorkJobs } from '../../src-main/work/jobs';
import { parsePeopleFile } from '../../src-main/people/import';
import { importPeople, previewImport } from '../../src-main/people/import-apply';
import { csvLine, testPerson, TEMPLATE_HEADER, withWrongCheckDigit, type TestPerson } from '../people-data';
import { runCli } from '../support/cli';
import { openTestRegister } from '../support/register';
import { registerEnv } from '../support/register-location';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'kortstation-people-'));

function inputFor(person: TestPerson, unitIds: number[] = []): PersonInput {
  return { ...person, employmentType: 'region', employmentEnd: null, unitIds };
}

const fileOf = (...lines: string[]): Uint8Array => new TextEncoder().encode([TEMPLATE_HEADER, ...lines].join('\r\n'));
const countPeople = async (db: Db): Promise<number> => Number((await db.kysely.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

let db: OpenRegister;
let akuten: number;
let ortopedi: number;
let kommunensHemtjanst: number;

beforeEach(async () => {
  db = await openTestRegister(freshDir());
  const region = await createOrganisation(db, { name: 'Region Uppsala', kind: 'region' });
  const kommun = await createOrganisation(db, { name: 'Uppsala kommun', kind: 'kommun' });
  const sjukhus = await createUnit(db, { organisationId: region.id, parentId: null, name: 'Akademiska sjukhuset', reference: 'R1' });
  akuten = (await createUnit(db, { organisationId: region.id, parentId: sjukhus.id, name: 'Akuten', reference: 'K100' })).id;
  ortopedi = (await createUnit(db, { organisationId: region.id, parentId: sjukhus.id, name: 'Ortopedi', reference: 'K200' })).id;
  kommunensHemtjanst = (await createUnit(db, { organisationId: kommun.id, parentId: null, name: 'Hemtjänst', reference: 'H1' })).id;
});

afterEach(async () => {
  await db.close();
});

describe('organisation', () => {
  it('keeps references unique per organisation and parents inside it', async () => {
    const [region] = await db.kysely.selectFrom('organisation').select('id').where('name', '=', 'Region Uppsala').execute();
    await expect(createUnit(db, { organisationId: region!.id, parentId: null, name: 'Annan', reference: 'K100' })).rejects.toMatchObject({ code: 'duplicate-reference' });
    await expect(createUnit(db, { organisationId: region!.id, parentId: kommunensHemtjanst, name: 'Fel', reference: 'K300' })).rejects.toMatchObject({ code: 'unknown-unit' });
    await expect(createUnit(db, { organisationId: 999, parentId: null, name: 'Ingen', reference: 'X' })).rejects.toMatchObject({ code: 'unknown-organisation' });
    await expect(createOrganisation(db, { name: 'Region Uppsala', kind: 'region' })).rejects.toMatchObject({ code: 'duplicate-name' });
    await createStation(db, { name: 'Akademiska', site: 'Ingång 70', address: 'Sjukhusvägen 1, Uppsala' });
    await expect(createStation(db, { name: 'Akademiska', site: '-', address: '-' })).rejects.toMatchObject({ code: 'duplicate-name' });
    expect((await listUnits(db, { kind: 'units', unitIds: [ortopedi] })).map((unit) => unit.name)).toEqual(['Ortopedi']);
  });
});

describe('people', () => {
  it('creates, reads unmasked, finds masked by every key as you type, and updates', async () => {
    const anna = testPerson(0);
    const created = await createPerson(db, FULL_SCOPE, inputFor(anna, [akuten, ortopedi]));
    expect(created).toMatchObject({ firstName: 'Anna', surname: 'Andersson', personnummer: `${anna.personnummer.slice(0, 8)}-${anna.personnummer.slice(8)}`, mobile: `+46${anna.mobile.slice(1)}` });
    expect(created.units.map((unit) => unit.reference)).toEqual(['K100', 'K200']);
    await createPerson(db, FULL_SCOPE, inputFor(testPerson(1), [akuten]));

    const hits = async (query: string) => (await searchPeople(db, FULL_SCOPE, query)).map((hit) => hit.firstName);
    expect(await hits('an')).toEqual(['Anna', 'Erik']);
    expect(await hits('ANNA and')).toEqual(['Anna']);
    expect(await hits('andersson an')).toEqual(['Anna']);
    expect(await hits(anna.personnummer.slice(0, 6))).toEqual(['Anna']);
    expect(await hits(`${anna.personnummer.slice(2, 8)}-${anna.personnummer.slice(8, 10)}`)).toEqual(['Anna']);
    expect(await hits(anna.hsaId.toLowerCase())).toEqual(['Anna']);
    expect(await hits(anna.username.toUpperCase())).toEqual(['Anna']);
    expect(await hits('zz')).toEqual([]);
    const [hit] = await searchPeople(db, FULL_SCOPE, 'anna');
    expect(hit!.personnummerMasked).toBe(`${anna.personnummer.slice(0, 8)}-****`);

    const updated = await updatePerson(db, FULL_SCOPE, created.id, { ...inputFor(anna, [ortopedi]), surname: 'Öberg', email: null });
    expect(updated).toMatchObject({ surname: 'Öberg', email: null });
    expect(updated.units.map((unit) => unit.reference)).toEqual(['K200']);
    expect(await hits('öberg')).toEqual(['Anna']);
    expect(await hits('anna and')).toEqual([]);
  });

  it('refuses bad and duplicate values with their own codes', async () => {
    await createPerson(db, FULL_SCOPE, inputFor(testPerson(0)));
    const other = testPerson(1);
    await expect(createPerson(db, FULL_SCOPE, inputFor({ ...other, personnummer: testPerson(0).personnummer }))).rejects.toMatchObject({ code: 'duplicate-personnummer' });
    await expect(createPerson(db, FULL_SCOPE, inputFor({ ...other, hsaId: testPerson(0).hsaId.toUpperCase() }))).rejects.toMatchObject({ code: 'duplicate-hsa-id' });
    await expect(createPerson(db, FULL_SCOPE, inputFor({ ...other, username: testPerson(0).username.toUpperCase() }))).rejects.toMatchObject({ code: 'duplicate-username' });
    await expect(createPerson(db, FULL_SCOPE, inputFor({ ...other, personnummer: withWrongCheckDigit(other.personnummer) }))).rejects.toMatchObject({ code: 'invalid-person', message: 'personnummer: check-digit' });
    await expect(createPerson(db, FULL_SCOPE, inputFor(other, [9999]))).rejects.toMatchObject({ code: 'unknown-unit' });
    await expect(getPerson(db, FULL_SCOPE, 9999)).rejects.toMatchObject({ code: 'not-found' });
    expect(await countPeople(db)).toBe(1);
  });

  it('lets a unit administrator see and change only the people of the units granted', async () => {
    const inAkuten = await createPerson(db, FULL_SCOPE, inputFor(testPerson(0), [akuten]));
    const inBoth = await createPerson(db, FULL_SCOPE, inputFor(testPerson(1), [akuten, kommunensHemtjanst]));
    const inKommun = await createPerson(db, FULL_SCOPE, inputFor(testPerson(2), [kommunensHemtjanst]));
    const akutensAdmin: UnitScope = { kind: 'units', unitIds: [akuten] };

    expect((await searchPeople(db, akutensAdmin, '')).map((hit) => hit.id).sort()).toEqual([inAkuten.id, inBoth.id]);
    expect(await searchPeople(db, akutensAdmin, testPerson(2).personnummer)).toEqual([]);
    await expect(getPerson(db, akutensAdmin, inKommun.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(updatePerson(db, akutensAdmin, inKommun.id, inputFor(testPerson(2), [akuten]))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createPerson(db, akutensAdmin, inputFor(testPerson(3), [ortopedi]))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(createPerson(db, akutensAdmin, inputFor(testPerson(3), []))).rejects.toMatchObject({ code: 'forbidden' });
    expect((await createPerson(db, akutensAdmin, inputFor(testPerson(3), [akuten]))).units).toHaveLength(1);

    // moving a shared person out of Akuten leaves the municipality's unit as it was
    const moved = await updatePerson(db, akutensAdmin, inBoth.id, inputFor(testPerson(1), []));
    expect(moved.units.map((unit) => unit.id)).toEqual([kommunensHemtjanst]);
    await expect(getPerson(db, akutensAdmin, inBoth.id)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('applies roles and the session’s units through the router', async () => {
    const router = createRouter(peopleHandlers(db, async () => 'Test', new WorkJobs()) as Handlers);
    const session = (role: 'operator' | 'unit-admin' | 'org-admin', unitIds: number[] = []): Session => ({ id: 's', operator: { id: 1, role, unitIds } });
    await createPerson(db, FULL_SCOPE, inputFor(testPerson(0), [kommunensHemtjanst]));
    expect(await router.call(session('operator'), 'organisations.create', { name: 'Vårdbolaget AB', kind: 'privat' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await router.call(session('org-admin'), 'organisations.create', { name: 'Vårdbolaget AB', kind: 'privat' })).toMatchObject({ ok: true });
    expect(await router.call(session('unit-admin', [akuten]), 'people.search', { query: 'anna' })).toEqual({ ok: true, value: [] });
    expect(await router.call(session('operator'), 'people.search', { query: 'anna' })).toMatchObject({ ok: true, value: [{ firstName: 'Anna' }] });
    const bad = Buffer.from([TEMPLATE_HEADER, csvLine({ ...testPerson(5), surname: '' })].join('\n')).toString('base64');
    expect(await router.call(session('org-admin'), 'people.import', { fileName: 'p.csv', contentBase64: bad })).toMatchObject({ ok: false, code: 'import-invalid' });
    expect(await router.call(session('org-admin'), 'people.importPreview', { fileName: 'p.csv', contentBase64: bad })).toMatchObject({ ok: true, value: { errors: [{ line: 2, field: 'surname', code: 'missing' }] } });
  });
});

describe('import', () => {
  const runImport = async (bytes: Uint8Array, scope: UnitScope = FULL_SCOPE) => importPeople(db, scope, await parsePeopleFile(bytes, 'people.csv'));

  it('writes nothing when one row is bad, and lists database faults by line', async () => {
    await createPerson(db, FULL_SCOPE, inputFor(testPerson(9)));
    const file = fileOf(
      csvLine(testPerson(0), 'K100'),
      csvLine(testPerson(1), 'K999'),
      csvLine({ ...testPerson(2), hsaId: testPerson(9).hsaId }),
      csvLine({ ...testPerson(3), username: testPerson(9).username }),
      csvLine(testPerson(4)),
    );
    const report = await runImport(file);
    expect(report).toEqual({
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [
        { line: 3, field: 'unit', code: 'unknown' },
        { line: 4, field: 'hsaId', code: 'taken' },
        { line: 5, field: 'username', code: 'taken' },
      ],
    });
    expect(await countPeople(db)).toBe(1);
  });

  it('keeps an optional employee number from the form and the template; a form or file without it leaves it as it is', async () => {
    const person = testPerson(40);
    const created = await createPerson(db, FULL_SCOPE, { ...inputFor(person, [akuten]), employeeNumber: '004711' });
    expect(created.employeeNumber).toBe('004711');
    expect((await updatePerson(db, FULL_SCOPE, created.id, { ...inputFor(person, [akuten]), email: 'ny@example.se' })).employeeNumber).toBe('004711');
    await expect(createPerson(db, FULL_SCOPE, { ...inputFor(testPerson(41)), employeeNumber: 'nr 1;' })).rejects.toMatchObject({ code: 'invalid-person' });
    const file = (number: string) => new TextEncoder().encode(`${TEMPLATE_HEADER};Anställningsnummer\r\n${csvLine(person, 'K100')};${number}\r\n`);
    expect(await runImport(file('A-2002'))).toMatchObject({ updated: 1, errors: [] });
    expect((await getPerson(db, FULL_SCOPE, created.id)).employeeNumber).toBe('A-2002');
    expect(await runImport(fileOf(csvLine(person, 'K100')))).toMatchObject({ errors: [] });
    expect((await getPerson(db, FULL_SCOPE, created.id)).employeeNumber).toBe('A-2002');
  });

  it('creates, then on re-import counts unchanged and updated people matched by personnummer', async () => {
    const people = [0, 1, 2].map(testPerson);
    expect(await runImport(fileOf(...people.map((person) => csvLine(person, 'K100'))))).toEqual({ created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await runImport(fileOf(...people.map((person) => csvLine(person, 'K100'))))).toEqual({ created: 0, updated: 0, unchanged: 3, errors: [] });

    const again = fileOf(csvLine(people[0]!, 'K100'), csvLine({ ...people[1]!, email: 'ny@example.se' }, 'K100'), csvLine(people[2]!, 'K200'), csvLine(testPerson(3)));
    expect(await previewImport(db, FULL_SCOPE, await parsePeopleFile(again))).toEqual({ created: 1, updated: 2, unchanged: 1, errors: [] });
    expect(await countPeople(db)).toBe(3);
    expect(await runImport(again)).toEqual({ created: 1, updated: 2, unchanged: 1, errors: [] });
    const found = async (person: TestPerson) => getPerson(db, FULL_SCOPE, (await searchPeople(db, FULL_SCOPE, person.personnummer))[0]!.id);
    expect((await found(people[1]!)).email).toBe('ny@example.se');
    expect((await found(people[2]!)).units.map((unit) => unit.reference).sort()).toEqual(['K100', 'K200']);

    // a file without the e-mail column leaves e-mail addresses as they are
    const narrow = new TextEncoder().encode(`Förnamn;Efternamn;Personnummer\n${people[1]!.firstName};${people[1]!.surname};${people[1]!.personnummer}\n`);
    expect(await runImport(narrow)).toEqual({ created: 0, updated: 0, unchanged: 1, errors: [] });
  });

  it('keeps a unit administrator’s import inside their units', async () => {
    await createPerson(db, FULL_SCOPE, inputFor(testPerson(0), [kommunensHemtjanst]));
    const scope: UnitScope = { kind: 'units', unitIds: [akuten] };
    const report = await runImport(fileOf(csvLine(testPerson(0), 'K100'), csvLine(testPerson(1), 'K200'), csvLine(testPerson(2)), csvLine(testPerson(3), 'K100')), scope);
    expect(report.errors).toEqual([
      { line: 2, field: 'personnummer', code: 'forbidden' },
      { line: 3, field: 'unit', code: 'forbidden' },
      { line: 4, field: 'unit', code: 'missing' },
    ]);
    expect(await runImport(fileOf(csvLine(testPerson(3), 'K100')), scope)).toMatchObject({ created: 1 });
  });

  it('runs from the CLI: template, dry run, import, and exit 1 with nothing written for a bad file', () => {
    const dataDir = freshDir();
    const cli = (...args: string[]) => {
      // on the PostgreSQL run the CLI finds this folder's region database through the environment
      const result = runCli(['people', ...args, '--data', dataDir, '--json'], { env: { ...process.env, ...registerEnv(dataDir) } });
      return { status: result.status, json: JSON.parse(result.stdout || 'null') as unknown, stderr: result.stderr };
    };
    const template = join(dataDir, 'mall.csv');
    expect(cli('template', template).status).toBe(0);
    // the employee number is the template's last, optional column: files written before it still import
    expect(readFileSync(template, 'utf8')).toBe(`\uFEFF${TEMPLATE_HEADER};Anställningsnummer\r\n`);

    const good = join(dataDir, 'good.csv');
    writeFileSync(good, fileOf(csvLine(testPerson(0)), csvLine(testPerson(1))));
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(bad, fileOf(csvLine(testPerson(2)), csvLine({ ...testPerson(3), personnummer: withWrongCheckDigit(testPerson(3).personnummer) })));

    expect(cli('import', good, '--dry-run')).toMatchObject({ status: 0, json: { created: 2, updated: 0, unchanged: 0, errors: [] } });
    expect(cli('import', bad)).toMatchObject({ status: 1, json: { created: 0, updated: 0, unchanged: 0, errors: [{ line: 3, field: 'personnummer', code: 'check-digit' }] } });
    expect(cli('import', good)).toMatchObject({ status: 0, json: { created: 2, updated: 0, unchanged: 0, errors: [] } });
    expect(cli('import', good)).toMatchObject({ status: 0, json: { created: 0, updated: 0, unchanged: 2, errors: [] } });
    expect(cli('import', join(dataDir, 'missing.csv'))).toMatchObject({ status: 1, json: { error: { code: 'file-unreadable' } } });
  });
});
