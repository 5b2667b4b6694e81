// The register extract (GDPR art. 15): every kind of data held about one person with history, nothing of anyone else, and the extract itself in the trail.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RegisterExtract } from '@shared/contract';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { testPerson } from '../people-data';
import { runCliAsync } from '../support/cli';
import { anna, ANNA_EMPLOYEE_NUMBER, AT, bo, BO_EMPLOYEE_NUMBER, international, seedTwoPeople, STATION } from '../support/person-history';
import { openTestRegister } from '../support/register';

let dataDir: string;
let db: OpenRegister;
let annaId: number;
let boId: number;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kortstation-extract-'));
  db = await openTestRegister(dataDir);
  ({ annaId, boId } = await seedTwoPeople(db));
});

afterEach(async () => {
  await db.close();
});

const extract = (args: string[], input: string) => runCliAsync(['people', 'extract', ...args, '--data', dataDir, '--json'], { input });

describe('register extract', () => {
  it('holds every kind of data about the person, nothing of anyone else, and is itself audited', async () => {
    const result = await extract([], `${anna.personnummer}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const got = JSON.parse(result.stdout) as RegisterExtract;
    expect(got.person).toMatchObject({ id: annaId, firstName: anna.firstName, surname: anna.surname, hsaId: anna.hsaId, username: anna.username, email: anna.email, mobile: international(anna.mobile), employmentType: 'region', employeeNumber: ANNA_EMPLOYEE_NUMBER });
    expect(got.person.personnummer.replace('-', '')).toBe(anna.personnummer);
    expect(got.units.map((unit) => unit.reference)).toEqual(['K100']);
    expect(got.cards).toHaveLength(1);
    expect(got.cards[0]).toMatchObject({ cardNumber: '9752269000000001', state: 'blocked' });
    expect(got.cards[0]!.events.map((event) => [event.action, event.actor])).toEqual([['order', 'Kalle Kortsson'], ['hand-over', 'Kalle Kortsson']]);
    expect(got.cards[0]!.blockRequests).toEqual([expect.objectContaining({ reason: 'lost', reportedBy: `${anna.firstName} själv`, keepUntil: '2036-03-02T09:00:00.000Z' })]);
    expect(got.idDocuments).toEqual([{ at: AT, orderId: got.cards[0]!.orderId, type: 'passport', lastFour: '0001', expiry: '2030-01-01', note: null }]);
    expect(got.tokens).toEqual([expect.objectContaining({ serial: `OTP-${annaId}`, held: true, events: [expect.objectContaining({ action: 'token.issued', actor: 'Kalle Kortsson' })] })]);
    expect(got.charges).toEqual([expect.objectContaining({ kind: 'lost-token', amountOre: 20000, tokenSerial: `OTP-${annaId}` })]);
    expect(got.mails).toEqual([expect.objectContaining({ to: anna.email, body: `Hej ${anna.firstName}!`, state: 'sent' })]);
    const actions = got.auditEntries.map((entry) => entry.action);
    // viewed, card blocked, PIN changed on her card, token issued, and this extract; person.created is recorded by the router, not the service
    expect(actions).toEqual(['card.block', 'pin.changed', 'token.issued', 'person.viewed', 'person.extracted']);
    expect(got.auditEntries.find((entry) => entry.action === 'person.viewed')).toMatchObject({ actor: 'Kalle Kortsson', at: AT, station: STATION });
    expect(got.auditEntries.at(-1)).toMatchObject({ subjectType: 'person', subjectId: String(annaId), actor: expect.stringMatching(/^cli:/), outcome: 'ok' });

    const text = result.stdout;
    for (const foreign of [bo.firstName, bo.surname, bo.personnummer, bo.personnummer.slice(2), bo.email, bo.mobile, international(bo.mobile), bo.hsaId, bo.username, BO_EMPLOYEE_NUMBER, '9752269000000002', `OTP-${boId}`, 'token.returned']) expect(text).not.toContain(foreign);
    const trail = await db.all<{ action: string; subject_id: string }>("SELECT action, subject_id FROM audit_entry WHERE action = 'person.extracted'");
    expect(trail).toEqual([{ action: 'person.extracted', subject_id: String(annaId) }]);
  });

  it('refuses a personnummer on the command line, where every user of the machine can read it', async () => {
    const result = await extract([anna.personnummer], '');
    expect(result.status).toBe(64);
    expect(result.stdout).not.toContain(anna.firstName);
    expect(JSON.parse(result.stdout).error.message).toContain('standard input');
    expect(await db.value("SELECT count(*) FROM audit_entry WHERE action = 'person.extracted'")).toBe(0);
  });

  it('says so when nobody has the personnummer', async () => {
    const result = await extract([], `${testPerson(99).personnummer}\n`);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe('not-found');
  });
});
