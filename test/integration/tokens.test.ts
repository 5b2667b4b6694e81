import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import type { OpenRegister } from '../../src-main/db/data-layer';
import type { Operator } from '../../src-main/router';
import { verifyAudit } from '../../src-main/audit/verify';
import { checkToken, issueToken, swapDefectiveToken } from '../../src-main/tokens/counter';
import { importTokens } from '../../src-main/tokens/import';
import { WorkCancelled, type WorkProgress } from '../../src-main/work/jobs';
import { defectiveTokens, markSentToSupport, reportLostToken, returnToken, tokenHistory, tokensOfPerson, tokenStock } from '../../src-main/tokens/stock';
import type { TokenServiceContext } from '../../src-main/tokens/store';
import { readTokenTerms, saveTokenTerms } from '../../src-main/tokens/terms';
import { keyFileDataKeySource } from '../../src-main/tokens/seed-crypto';
import { DATABASE_FILE } from '../../src-main/station';
import { openTestRegister } from '../support/register';
import { registerEnv, testEngine } from '../support/register-location';
import { generatePskc, generatePskcTokens, GENERATOR_PASSWORD, GENERATOR_PRE_SHARED_KEY } from '../sim/pskc-generator';
import { runCli } from '../support/cli';
import { createI18n } from 'vue-i18n';
import { en } from '@shared/i18n/en';
import { sv } from '@shared/i18n/sv';
import { wordTokenRefusalDetail } from '@shared/i18n/token-files';

const opened: OpenRegister[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

const operator: Operator = { id: 7, role: 'operator', unitIds: [] };
const admin: Operator = { id: 1, role: 'station-admin', unitIds: [] };
let clock = new Date('2026-11-23T10:00:00Z');

async function freshStation() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kortstation-tokens-'));
  const db = await openTestRegister(dataDir);
  opened.push(db);
  await db.run("INSERT INTO organisation (id, name, kind) VALUES (1, 'Uppsala kommun', 'kommun')");
  await db.run("INSERT INTO unit (id, organisation_id, name, reference) VALUES (10, 1, 'Hemtjänst Öst', 'K4711'), (11, 1, 'Hemtjänst Väst', 'K4712')");
  const addPerson = (id: number, firstName: string, surname: string, personnummer: string) =>
    db.run(
      "INSERT INTO person (id, first_name, surname, personnummer, employment_type, search_name, search_name_reversed, search_personnummer10, created_at, updated_at) VALUES (?, ?, ?, ?, 'kommunal', '', '', '', '', '')",
      [id, firstName, surname, personnummer],
    );
  await addPerson(100, 'Anna', 'Berg', '19850709-9805');
  await addPerson(101, 'Bo', 'Ek', '19791231-2383');
  await db.run('INSERT INTO person_unit (person_id, unit_id) VALUES (100, 10), (101, 11)');
  clock = new Date('2026-11-23T10:00:00Z');
  const context: TokenServiceContext = { db, dataKey: keyFileDataKeySource(dataDir), station: async () => 'Test', now: () => clock };
  return { dataDir, db, context, path: join(dataDir, DATABASE_FILE) };
}

const generated = (kind: 'hotp' | 'totp', count: number, prefix: string) => generatePskcTokens({ count, kind, serialPrefix: prefix });
const seedOf = (kind: 'hotp' | 'totp', prefix: string, index: number) => generated(kind, index, prefix)[index - 1]!.secret;
const hotpCode = (secret: Uint8Array, counter: number) => generateSync({ strategy: 'hotp', secret, counter });
const totpCode = (secret: Uint8Array, at: Date) => generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
const pskc = (kind: 'hotp' | 'totp', count: number, prefix: string, encryption: 'none' | 'psk' | 'pbkdf2' = 'none') =>
  Buffer.from(generatePskc({ count, kind, serialPrefix: prefix, encryption }));
// the ID document staff read at the counter, valid for years after the test clock
const atCounter = { idDocument: { type: 'pass', lastFour: '4711', expiry: '2030-01-31', note: null } } as const;
// the register holds one employment type; a kommunal employee who also works for a LOV contractor gets both tokens
const LOV_AS_WELL = 'Arbetar även hos en LOV-utförare';
const tokenRow = (context: TokenServiceContext, serial: string) =>
  context.db.one<{ state: string; person_id: number | null; counter: string | null; drift: number; last_step: number | null; unit_id: number | null }>('SELECT * FROM token WHERE serial = ?', [serial]);

describe('importing token files', () => {
  it('counts the tokens saved as it goes, and a cancel halfway rolls the whole file back', async () => {
    const { context } = await freshStation();
    const counts: [number, number][] = [];
    // as the station's job does when its window cancelled it: the next report after the first chunk throws
    const cancelAfterFirstChunk: WorkProgress = {
      step: async (done, total) => {
        counts.push([done, total]);
        if (done > 0) throw new WorkCancelled();
      },
    };
    await expect(importTokens(context, admin, { file: pskc('hotp', 1_200, 'CX'), decryption: {} }, cancelAfterFirstChunk)).rejects.toMatchObject({ code: 'work-cancelled' });
    expect(counts[0]).toEqual([0, 1_200]);
    expect(counts.at(-1)![0]).toBeGreaterThan(0);
    expect(counts.at(-1)![0]).toBeLessThan(1_200);
    expect(await context.db.value('SELECT count(*) FROM token')).toBe(0);
    expect(await context.db.value('SELECT count(*) FROM token_event')).toBe(0);
    expect(await context.db.value("SELECT count(*) FROM audit_entry WHERE action = 'token.imported'")).toBe(0);
  });

  it('imports plain, pre-shared-key and PBKDF2 PSKC files and vendor CSV into a unit or the station stock', async () => {
    const { context } = await freshStation();
    expect(await importTokens(context, admin, { file: pskc('hotp', 3, 'PL'), decryption: {} })).toMatchObject({ format: 'pskc', imported: 3, serials: ['PL000001', 'PL000002', 'PL000003'] });
    expect((await importTokens(context, admin, { file: pskc('totp', 2, 'PS', 'psk'), unitReference: 'K4711', decryption: { preSharedKey: GENERATOR_PRE_SHARED_KEY } })).imported).toBe(2);
    expect((await importTokens(context, admin, { file: pskc('hotp', 2, 'PB', 'pbkdf2'), unitReference: 'K4712', decryption: { password: GENERATOR_PASSWORD } })).imported).toBe(2);
    const csv = `serial,secret,type,digits,interval\nCSV001,${Buffer.from(seedOf('totp', 'X', 1)).toString('hex')},totp,6,30\n`;
    expect(await importTokens(context, admin, { file: Buffer.from(csv), unitReference: 'K4711', decryption: {} })).toMatchObject({ format: 'vendor-csv', imported: 1 });
    const stock = await tokenStock(context, admin);
    expect(stock.find((row) => row.unitId === null)?.counts['in-stock']).toBe(3);
    expect(stock.find((row) => row.reference === 'K4711')?.counts['in-stock']).toBe(3);
    expect((await tokenStock(context, { id: 2, role: 'unit-admin', unitIds: [11] })).map((row) => row.reference)).toEqual(['K4712']);
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });

  it('imports nothing when one serial is already in stock, or the file is hostile, or the key is wrong', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 2, 'DU'), decryption: {} });
    const count = () => context.db.value('SELECT COUNT(*) FROM token');
    await expect(importTokens(context, admin, { file: pskc('hotp', 5, 'DU'), decryption: {} })).rejects.toThrow(expect.objectContaining({ code: 'token-duplicate-serial' }));
    const hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><KeyContainer>&e;</KeyContainer>';
    await expect(importTokens(context, admin, { file: Buffer.from(hostile), decryption: {} })).rejects.toThrow(expect.objectContaining({ code: 'token-file-invalid' }));
    await expect(importTokens(context, admin, { file: pskc('hotp', 2, 'PW', 'pbkdf2'), decryption: { password: 'fel' } })).rejects.toThrow(expect.objectContaining({ code: 'token-file-invalid' }));
    await expect(importTokens(context, admin, { file: pskc('hotp', 1, 'UR'), unitReference: 'NOPE', decryption: {} })).rejects.toThrow(expect.objectContaining({ code: 'unknown-reference' }));
    expect(await count()).toBe(2);
  });

  it('words a refused import in the screen\'s language, without repeating its opening', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 2, 'DW'), decryption: {} });
    const hostile = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><KeyContainer>&e;</KeyContainer>';
    const refusalOf = async (refused: Promise<unknown>) => {
      try {
        await refused;
      } catch (error) {
        return error as { code: string; message: string };
      }
      throw new Error('the import was not refused');
    };
    const refusals = [
      await refusalOf(importTokens(context, admin, { file: pskc('hotp', 3, 'DW'), decryption: {} })),
      await refusalOf(importTokens(context, admin, { file: Buffer.from(hostile), decryption: {} })),
    ];
    const i18n = createI18n({ legacy: false, locale: 'sv', messages: { sv, en } });
    // what the token screens do with a refusal (src-renderer/src/tokens-errors.ts)
    const { t, locale } = i18n.global as unknown as { t: (key: string, values?: Record<string, string>) => string; locale: { value: string } };
    const shown = () => refusals.map(({ code, message }) => t(`tokens.errors.${code}`, { message: wordTokenRefusalDetail(t, code, message) }));
    const svTexts = shown();
    locale.value = 'en';
    const enTexts = shown();
    expect(svTexts[0]).toBe('Inget importerades: serienumren finns redan (DW000001, DW000002).');
    expect(svTexts[1]).toBe('Filen kunde inte läsas: Filen innehåller en DOCTYPE-deklaration. Sådana filer tas inte emot av säkerhetsskäl.');
    expect(enTexts[0]).toBe('Nothing was imported: these serial numbers exist already (DW000001, DW000002).');
    expect(enTexts[1]).not.toMatch(/[åäö]/i);
    expect(enTexts[1]).toContain('DOCTYPE');
  });

  // the file on disk is SQLite's; a PostgreSQL register holds the same sealed column
  it.skipIf(testEngine === 'postgres')('keeps seeds out of the database file: only the key file opens them', async () => {
    const { context, db, path } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 20, 'SE'), decryption: {} });
    // closing checkpoints the write-ahead log into the file
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const raw = Buffer.concat([readFileSync(path), ...(existsSync(`${path}-wal`) ? [readFileSync(`${path}-wal`)] : [])]);
    for (const token of generated('hotp', 20, 'SE')) {
      expect(raw.includes(Buffer.from(token.secret))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(token.secret).toString('hex')))).toBe(false);
      expect(raw.includes(Buffer.from(Buffer.from(token.secret).toString('base64')))).toBe(false);
    }
    expect(raw.includes(Buffer.from('SE000001'))).toBe(true);
  });
});

describe('the tokens CLI', () => {
  const cli = (dataDir: string, args: string[], stdin = '') =>
    runCli(['tokens', 'import', ...args, '--data', dataDir, '--json'], { input: stdin, env: { ...process.env, ...registerEnv(dataDir) } });

  it('imports with the key or password on stdin and refuses a duplicate file with nothing imported', async () => {
    const { dataDir, db } = await freshStation();
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const pskFile = join(dataDir, 'psk.xml');
    writeFileSync(pskFile, pskc('totp', 3, 'CK', 'psk'));
    const byKey = cli(dataDir, [pskFile, '--unit', 'K4711', '--key-stdin'], `${GENERATOR_PRE_SHARED_KEY.toString('hex')}\n`);
    expect(byKey.status, byKey.stderr).toBe(0);
    expect(JSON.parse(byKey.stdout)).toEqual({ imported: 3, serials: ['CK000001', 'CK000002', 'CK000003'] });
    const pbkdf2File = join(dataDir, 'pbkdf2.xml');
    writeFileSync(pbkdf2File, pskc('hotp', 2, 'CP', 'pbkdf2'));
    const byPassword = cli(dataDir, [pbkdf2File, '--password-stdin'], `${GENERATOR_PASSWORD}\n`);
    expect(JSON.parse(byPassword.stdout)).toEqual({ imported: 2, serials: ['CP000001', 'CP000002'] });
    const again = cli(dataDir, [pbkdf2File, '--password-stdin'], `${GENERATOR_PASSWORD}\n`);
    expect(again.status).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'token-duplicate-serial' } });
    const hostileFile = join(dataDir, 'hostile.xml');
    writeFileSync(hostileFile, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><KeyContainer>&e;</KeyContainer>');
    const hostile = cli(dataDir, [hostileFile]);
    expect(hostile.status).toBe(1);
    expect(JSON.parse(hostile.stdout).error.code).toBe('token-file-invalid');
    const wrongPassword = cli(dataDir, [pbkdf2File, '--password-stdin'], 'fel\n');
    expect(JSON.parse(wrongPassword.stdout).error.code).toBe('token-file-invalid');
    expect(wrongPassword.stdout).not.toContain('fel\n');
    const check = await openTestRegister(dataDir);
    expect(await check.value('SELECT COUNT(*) FROM token')).toBe(5);
    await check.close();
  }, 60_000);
});

describe('issuing a token after a live code', () => {
  it('checks the ID document and the kind against the employment type before linking, and audits an override with its reason', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 3, 'ID'), unitReference: 'K4711', decryption: {} });
    const code = (index: number) => hotpCode(seedOf('hotp', 'ID', index), 0);
    const issue = (request: Partial<Parameters<typeof issueToken>[2]>) =>
      issueToken(context, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'ID000001', code: code(1), ...request });
    // an ID document that expired yesterday (test clock 2026-11-23) is no ID document
    await expect(issue({ idDocument: { type: 'pass', lastFour: '4711', expiry: '2026-11-22', note: null } })).rejects.toThrow(expect.objectContaining({ code: 'id-document-expired' }));
    await expect(issue({ idDocument: { type: 'other', lastFour: '4711', expiry: '2030-01-01', note: null } })).rejects.toThrow(expect.objectContaining({ code: 'id-document-note-missing' }));
    // Anna is employed by the municipality: a LOV token needs a reason
    await expect(issue({ category: 'lov' })).rejects.toThrow(expect.objectContaining({ code: 'token-kind-mismatch' }));
    // nobody without a known employment type gets a token unchecked either
    await context.db.run('UPDATE person SET employment_type = NULL WHERE id = 101');
    await expect(issue({ personId: 101 })).rejects.toThrow(expect.objectContaining({ code: 'token-kind-mismatch' }));
    expect((await tokenRow(context, 'ID000001'))?.state).toBe('in-stock');

    await issue({ idDocument: { type: 'svenskt-korkort', lastFour: 'ab12', expiry: '2026-11-23', note: null } });
    await issue({ category: 'lov', serial: 'ID000002', code: code(2), kindOverrideReason: 'Timanställd hos Omsorg AB (LOV)' });
    const issued = (await context.db.column<string>("SELECT details FROM audit_entry WHERE action = 'token.issued' ORDER BY id")).map((details) => JSON.parse(details));
    expect(issued[0]).toMatchObject({ category: 'kommunal', documentType: 'svenskt-korkort', documentLastFour: 'AB12', documentExpiry: '2026-11-23' });
    expect(issued[0].kindOverride).toBeUndefined();
    expect(issued[1]).toMatchObject({ category: 'lov', documentType: 'pass', kindOverride: { employmentType: 'kommunal', reason: 'Timanställd hos Omsorg AB (LOV)' } });
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });

  it('links an HOTP token only on a right code, stores the counter, and keeps it on return', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 3, 'HO'), unitReference: 'K4711', decryption: {} });
    const seed = seedOf('hotp', 'HO', 1);
    const before = await tokenRow(context, 'HO000001');
    const auditRows = () => context.db.value('SELECT COUNT(*) FROM audit_entry');
    const rowsBefore = await auditRows();
    const wrong = hotpCode(seed, 0) === '000000' ? '111111' : '000000';
    await expect(issueToken(context, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'HO000001', code: wrong })).rejects.toThrow(expect.objectContaining({ code: 'token-code-wrong' }));
    expect(await tokenRow(context, 'HO000001')).toEqual(before);
    expect(await auditRows()).toBe(rowsBefore);

    // the person pressed ON a few times before typing: the look-ahead finds counter 3 and stores 4
    const issued = await issueToken(context, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'HO000001', code: hotpCode(seed, 3) });
    expect(issued).toMatchObject({ serial: 'HO000001', state: 'issued', category: 'kommunal', personId: 100, personName: 'Anna Berg', reference: 'K4711' });
    expect((await tokenRow(context, 'HO000001'))?.counter).toBe('4');
    expect((await checkToken(context, operator, { serial: 'HO000001', code: hotpCode(seed, 3) })).valid).toBe(false);
    expect(await checkToken(context, operator, { serial: 'HO000001', code: hotpCode(seed, 4) })).toMatchObject({ valid: true, matches: [{ serial: 'HO000001' }] });

    expect(await returnToken(context, operator, 'HO000001')).toMatchObject({ state: 'in-stock', personId: null, unitId: 10 });
    expect(await tokenRow(context, 'HO000001')).toMatchObject({ counter: '5', unit_id: 10, person_id: null });
    expect((await tokenHistory(context, operator, 'HO000001')).events.map((event) => event.action)).toEqual(['imported', 'issued', 'checked', 'returned']);
    const audit = (await context.db.column<string>("SELECT COALESCE(details, '') || action FROM audit_entry")).join('\n');
    expect(audit).not.toContain(hotpCode(seed, 3));
  });

  it('links a TOTP token on a live code, refuses a replay, and finds the token from the code alone', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('totp', 4, 'TO'), decryption: {} });
    const seed = seedOf('totp', 'TO', 2);
    // the token's clock runs two steps ahead: the drift found is stored
    const code = totpCode(seed, new Date(clock.getTime() + 60_000));
    await issueToken(context, operator, { ...atCounter, personId: 101, category: 'lov', kindOverrideReason: LOV_AS_WELL, serial: 'TO000002', code });
    expect(await tokenRow(context, 'TO000002')).toMatchObject({ state: 'issued', drift: 2 });
    // the code that linked it is spent: a replay is not a working token
    expect((await checkToken(context, operator, { serial: 'TO000002', code })).valid).toBe(false);
    clock = new Date(clock.getTime() + 30_000);
    const found = await checkToken(context, operator, { code: totpCode(seed, new Date(clock.getTime() + 60_000)) });
    expect(found).toMatchObject({ valid: true, matches: [{ serial: 'TO000002', personId: 101 }] });
    expect((await tokensOfPerson(context, operator, 101)).map((token) => token.serial)).toEqual(['TO000002']);
  });

  it('allows one token of each kind per person and refuses a third with the reason', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 3, 'LI'), decryption: {} });
    const code = (index: number) => hotpCode(seedOf('hotp', 'LI', index), 0);
    await issueToken(context, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'LI000001', code: code(1) });
    await expect(issueToken(context, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'LI000002', code: code(2) })).rejects.toThrow(expect.objectContaining({ code: 'token-category-taken' }));
    await issueToken(context, operator, { ...atCounter, personId: 100, category: 'lov', kindOverrideReason: LOV_AS_WELL, serial: 'LI000002', code: code(2) });
    await expect(issueToken(context, operator, { ...atCounter, personId: 100, category: 'lov', kindOverrideReason: LOV_AS_WELL, serial: 'LI000003', code: code(3) })).rejects.toThrow(expect.objectContaining({ code: 'token-both-taken' }));
    expect((await tokenRow(context, 'LI000003'))?.state).toBe('in-stock');
  });

  it("keeps a unit administrator to their own units' tokens and people", async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 1, 'OW'), unitReference: 'K4711', decryption: {} });
    const otherUnitAdmin: Operator = { id: 3, role: 'unit-admin', unitIds: [11] };
    const code = hotpCode(seedOf('hotp', 'OW', 1), 0);
    await expect(issueToken(context, otherUnitAdmin, { ...atCounter, personId: 101, category: 'kommunal', serial: 'OW000001', code })).rejects.toThrow(expect.objectContaining({ code: 'token-not-found' }));
    await expect(tokensOfPerson(context, otherUnitAdmin, 100)).rejects.toThrow(expect.objectContaining({ code: 'not-found' }));
    const ownUnitAdmin: Operator = { id: 4, role: 'unit-admin', unitIds: [10] };
    expect((await issueToken(context, ownUnitAdmin, { ...atCounter, personId: 100, category: 'kommunal', serial: 'OW000001', code })).state).toBe('issued');
  });
});

describe('two stations at the counter at once', () => {
  const refusalCodes = (results: PromiseSettledResult<unknown>[]) => results.flatMap((result) => (result.status === 'rejected' ? [(result.reason as { code?: string }).code] : []));

  it('lets only one of them issue a token, and gives a person only one token of a kind', async () => {
    const { context } = await freshStation();
    // two kiosks of one region share the register; each has its own name in the trail
    const first: TokenServiceContext = { ...context, station: async () => 'Disk 1' };
    const second: TokenServiceContext = { ...context, station: async () => 'Disk 2' };
    await importTokens(context, admin, { file: pskc('hotp', 3, 'RA'), decryption: {} });
    const code = (index: number) => hotpCode(seedOf('hotp', 'RA', index), 0);

    const sameToken = await Promise.allSettled([
      issueToken(first, operator, { ...atCounter, personId: 100, category: 'kommunal', serial: 'RA000001', code: code(1) }),
      issueToken(second, operator, { ...atCounter, personId: 101, category: 'kommunal', serial: 'RA000001', code: code(1) }),
    ]);
    expect(refusalCodes(sameToken)).toEqual(['token-already-issued']);
    expect(await context.db.value("SELECT COUNT(*) FROM token_event WHERE action = 'issued'")).toBe(1);

    // the person who did not get it tries again at both counters with two tokens
    const other = (await context.db.value<number>("SELECT person_id FROM token WHERE serial = 'RA000001'")) === 100 ? 101 : 100;
    const samePerson = await Promise.allSettled([
      issueToken(first, operator, { ...atCounter, personId: other, category: 'kommunal', serial: 'RA000002', code: code(2) }),
      issueToken(second, operator, { ...atCounter, personId: other, category: 'kommunal', serial: 'RA000003', code: code(3) }),
    ]);
    expect(refusalCodes(samePerson)).toEqual(['token-category-taken']);
    expect(await context.db.value("SELECT COUNT(*) FROM token WHERE person_id = ? AND category = 'kommunal' AND state = 'issued'", [other])).toBe(1);
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });
});

describe('lost and defective tokens', () => {
  it('charges 200 SEK to the person, or to the unit when nobody can be traced, with the reference and the month; the organisation administrator changes the amount', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 2, 'LO'), unitReference: 'K4712', decryption: {} });
    await issueToken(context, operator, { ...atCounter, personId: 101, category: 'kommunal', serial: 'LO000001', code: hotpCode(seedOf('hotp', 'LO', 1), 0) });
    clock = new Date('2026-11-30T23:30:00Z'); // already December in Sweden
    expect(await reportLostToken(context, operator, { serial: 'LO000001', chargeTo: 'person' })).toMatchObject({
      token: { state: 'lost', personId: null },
      charge: { amountOre: 20000, month: '2026-12', personId: 101, unitId: 11, reference: 'K4712' },
    });
    const orgAdmin: Operator = { id: 3, role: 'org-admin', unitIds: [] };
    expect(await readTokenTerms(context.db)).toEqual({ lostChargeOre: 20000, supportContact: null });
    expect(await saveTokenTerms(context, orgAdmin, { lostChargeOre: 25000, supportContact: '  Dossupporten, 018-611 00 00 ' })).toEqual({ lostChargeOre: 25000, supportContact: 'Dossupporten, 018-611 00 00' });
    const changed = await context.db.one<{ actor: string; details: string }>("SELECT actor, details FROM audit_entry WHERE action = 'tokens.terms-changed'");
    expect(changed?.actor).toBe('3');
    expect(JSON.parse(changed!.details)).toEqual({ before: { lostChargeOre: 20000, supportContact: null }, after: { lostChargeOre: 25000, supportContact: 'Dossupporten, 018-611 00 00' } });
    expect((await reportLostToken(context, operator, { serial: 'LO000002', chargeTo: 'unit' })).charge).toEqual({ amountOre: 25000, month: '2026-12', personId: null, unitId: 11, reference: 'K4712' });
    const charges = await context.db.all('SELECT kind, amount_ore, person_id, reference, month FROM charge ORDER BY id');
    expect(charges).toEqual([
      { kind: 'lost-token', amount_ore: 20000, person_id: 101, reference: 'K4712', month: '2026-12' },
      { kind: 'lost-token', amount_ore: 25000, person_id: null, reference: 'K4712', month: '2026-12' },
    ]);
    await expect(reportLostToken(context, operator, { serial: 'LO000001', chargeTo: 'person' })).rejects.toThrow(expect.objectContaining({ code: 'token-wrong-state' }));
    // an emptied contact is the default wording again
    expect((await saveTokenTerms(context, orgAdmin, { lostChargeOre: 25000, supportContact: ' ' })).supportContact).toBeNull();
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });

  it('swaps a token that will not start in one transaction, then sends it to support', async () => {
    const { context } = await freshStation();
    await importTokens(context, admin, { file: pskc('hotp', 3, 'SW'), unitReference: 'K4711', decryption: {} });
    await issueToken(context, operator, { ...atCounter, personId: 100, category: 'lov', kindOverrideReason: LOV_AS_WELL, serial: 'SW000001', code: hotpCode(seedOf('hotp', 'SW', 1), 0) });
    // a wrong code on the new token rolls the old one's defect back too
    await expect(swapDefectiveToken(context, operator, { ...atCounter, oldSerial: 'SW000001', newSerial: 'SW000002', code: hotpCode(seedOf('hotp', 'SW', 3), 0) })).rejects.toThrow(
      expect.objectContaining({ code: 'token-code-wrong' }),
    );
    // the replacement is linked to the holder only after a valid ID document, as a new token is
    const expired = { type: 'pass', lastFour: '4711', expiry: '2026-11-01', note: null } as const;
    await expect(swapDefectiveToken(context, operator, { idDocument: expired, oldSerial: 'SW000001', newSerial: 'SW000002', code: hotpCode(seedOf('hotp', 'SW', 2), 0) })).rejects.toThrow(
      expect.objectContaining({ code: 'id-document-expired' }),
    );
    expect(await tokenRow(context, 'SW000001')).toMatchObject({ state: 'issued', person_id: 100 });
    expect((await tokenRow(context, 'SW000002'))?.state).toBe('in-stock');
    expect(await swapDefectiveToken(context, operator, { ...atCounter, oldSerial: 'SW000001', newSerial: 'SW000002', code: hotpCode(seedOf('hotp', 'SW', 2), 0) })).toMatchObject({
      serial: 'SW000002',
      state: 'issued',
      category: 'lov',
      personId: 100,
    });
    expect((await defectiveTokens(context, admin)).map((token) => token.serial)).toEqual(['SW000001']);
    await expect(markSentToSupport(context, admin, ['SW000001', 'SW000003'])).rejects.toThrow(expect.objectContaining({ code: 'token-wrong-state' }));
    expect(await markSentToSupport(context, admin, ['SW000001'])).toEqual({ marked: 1 });
    expect((await tokenRow(context, 'SW000001'))?.state).toBe('sent-to-support');
    expect((await tokenHistory(context, operator, 'SW000001')).events.map((event) => [event.action, event.personName])).toEqual([
      ['imported', null],
      ['issued', 'Anna Berg'],
      ['defective', 'Anna Berg'],
      ['sent-to-support', null],
    ]);
    const swapped = await context.db.value<string>("SELECT details FROM audit_entry WHERE action = 'token.issued' AND subject_id = 'SW000002'");
    expect(JSON.parse(swapped!)).toMatchObject({ replaces: 'SW000001', documentType: 'pass', documentLastFour: '4711' });
    expect((await verifyAudit(context.db)).ok).toBe(true);
  });
});
