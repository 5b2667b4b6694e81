// Erasure that keeps the trail provable: after `people erase` the audit trail verifies and nothing of the erased person is left in the register's files (SQLite, WAL included) or text columns (PostgreSQL).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErasureReport, RegisterExtract } from '@shared/contract';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { DATABASE_FILE } from '../../src-main/db/location';
import { formatPersonalNumber } from '@shared/domain/personnummer';
import { FULL_SCOPE } from '../../src-main/organisation/organisation';
import { getPerson, searchPeople } from '../../src-main/people/people';
import { runCliAsync } from '../support/cli';
import { anna, ANNA_EMPLOYEE_NUMBER, bo, international, seedTwoPeople, type History } from '../support/person-history';
import { openTestRegister } from '../support/register';

let dataDir: string;
let db: OpenRegister;
let history: History;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-erasure-'));
  db = await openTestRegister(dataDir);
  history = await seedTwoPeople(db);
});

afterEach(async () => {
  await db.close();
});

const cli = (args: string[], input = '') => runCliAsync([...args, '--data', dataDir, '--json'], { input });

/** Everything that would tell who Anna is, in every form the register writes it. */
const annasTraces = (): string[] => [
  anna.personnummer,
  anna.personnummer.slice(2),
  formatPersonalNumber(anna.personnummer),
  anna.firstName,
  anna.surname,
  `${anna.firstName} ${anna.surname}`.toLowerCase(),
  anna.email,
  anna.mobile,
  international(anna.mobile),
  anna.hsaId,
  anna.username,
  ANNA_EMPLOYEE_NUMBER,
];

/** Which of these texts are anywhere in the register: the bytes of the SQLite file and its WAL, or every text column on PostgreSQL. */
async function foundInRegister(texts: string[]): Promise<string[]> {
  if (db.engine === 'sqlite') {
    const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-journal`].map((name) => join(dataDir, name)).filter(existsSync);
    const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
    return texts.filter((text) => bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text.toLowerCase(), 'utf8')));
  }
  const columns = await db.all<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')",
  );
  const found: string[] = [];
  for (const text of texts) {
    for (const { table_name, column_name } of columns) {
      const hits = await db.value<number>(`SELECT count(*) FROM "${table_name}" WHERE position(lower(?) in lower(CAST("${column_name}" AS text))) > 0`, [text]);
      if (Number(hits) > 0) found.push(`${text} in ${table_name}.${column_name}`);
    }
  }
  return found;
}

describe('erasure', () => {
  it('refuses while the person holds a token, then leaves no trace of them, a trail that verifies, and the other person whole', async () => {
    expect(await foundInRegister(annasTraces())).not.toEqual([]);
    const refused = await cli(['people', 'erase'], `${anna.personnummer}\n`);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('person-holds-card-or-token');

    await db.run("UPDATE token SET state = 'in-stock', person_id = NULL WHERE id = ?", [history.annasToken]);
    const erased = await cli(['people', 'erase'], `${anna.personnummer}\n`);
    expect(erased.stderr).toBe('');
    expect(erased.status).toBe(0);
    const report = JSON.parse(erased.stdout) as ErasureReport;
    expect(report).toMatchObject({ personId: history.annaId, cardEventsCleared: 1, blockRequestsCleared: 1, mailsRemoved: 1 });

    expect(await foundInRegister(annasTraces())).toEqual([]);
    const verified = await cli(['audit', 'verify']);
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    expect(await db.one("SELECT subject_id, outcome FROM audit_entry WHERE action = 'person.erased'")).toEqual({ subject_id: String(history.annaId), outcome: 'ok' });

    // the record stays readable under its pseudonym, and nobody finds it by the old name
    expect(await getPerson(db, FULL_SCOPE, history.annaId)).toMatchObject({ firstName: 'Borttagen', surname: `person ${history.annaId}`, email: null, mobile: null, hsaId: null });
    expect(await searchPeople(db, FULL_SCOPE, anna.surname)).toEqual([]);
    // what the region must keep stays: the block request (ten years, Inera), the charge, the card order, all by id
    expect(await db.one('SELECT card_number, reason FROM block_request WHERE order_id = ?', [history.annasOrder])).toEqual({ card_number: '9752269000000001', reason: 'lost' });
    expect(Number(await db.value('SELECT count(*) FROM charge WHERE person_id = ?', [history.annaId]))).toBe(1);

    const boExtract = await cli(['people', 'extract'], `${bo.personnummer}\n`);
    const bos = JSON.parse(boExtract.stdout) as RegisterExtract;
    expect(bos.person).toMatchObject({ firstName: bo.firstName, email: bo.email, mobile: international(bo.mobile) });
    expect(bos.mails).toHaveLength(1);
    expect(bos.idDocuments).toEqual([expect.objectContaining({ lastFour: '0002' })]);
    expect(bos.cards[0]!.blockRequests[0]).toMatchObject({ reportedBy: `${bo.firstName} själv` });
  });

  it('refuses a personnummer on the command line', async () => {
    const result = await cli(['people', 'erase', anna.personnummer]);
    expect(result.status).toBe(64);
    expect(await db.value('SELECT first_name FROM person WHERE id = ?', [history.annaId])).toBe(anna.firstName);
  });
});
