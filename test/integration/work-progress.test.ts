// Issue 17 item 3 on the station's side: a long import or export reports its progress only to the session that started it, and a cancel from that session (not another) rolls the one transaction back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { WorkProgressEvent } from '@shared/contract';
import type { OpenRegister } from '../../src-main/db/data-layer';
import { createRouter, type Handlers, type Session } from '../../src-main/router';
import { peopleHandlers } from '../../src-main/people/handlers';
import { auditHandlers } from '../../src-main/audit/handlers';
import { reportHandlers } from '../../src-main/reports/handlers';
import { appendAudit } from '../../src-main/audit/audit';
import { WorkJobs } from '../../src-main/work/jobs';
import { csvLine, testPerson, TEMPLATE_HEADER } from '../people-data';
import { openTestRegister } from '../support/register';

const PEOPLE = 3_000;

let db: OpenRegister;
let jobs: WorkJobs;
let router: ReturnType<typeof createRouter>;
const admin = (id: string): Session => ({ id, operator: { id: 1, role: 'org-admin', unitIds: [] } });
const file = (): string => Buffer.from([TEMPLATE_HEADER, ...Array.from({ length: PEOPLE }, (_, n) => csvLine(testPerson(n)))].join('\r\n')).toString('base64');
const count = async (table: string, where = ''): Promise<number> => Number(await db.value(`SELECT count(*) FROM ${table} ${where}`));

beforeEach(async () => {
  db = await openTestRegister(mkdtempSync(join(tmpdir(), 'kortstation-work-')));
  jobs = new WorkJobs();
  const station = async (): Promise<string> => 'Akademiska';
  const handlers = { ...peopleHandlers(db, station, jobs), ...auditHandlers(db, station, jobs), ...reportHandlers({ db, station, now: () => new Date(), work: jobs }) };
  router = createRouter({ ...handlers, 'work.cancel': ({ jobId }, context) => ({ cancelled: jobs.cancel(context.session.id, jobId) }) } as Handlers);
});
afterEach(async () => {
  await db.close();
});

it('tells the starting session how many people are saved, up to all of them', async () => {
  const heard: [string, WorkProgressEvent][] = [];
  jobs.on('progress', (sessionId, event) => heard.push([sessionId, event]));
  const result = await router.call(admin('a'), 'people.import', { fileName: 'p.csv', contentBase64: file(), jobId: 'job-000001' });
  expect(result).toMatchObject({ ok: true, value: { created: PEOPLE } });
  expect(heard.every(([sessionId, event]) => sessionId === 'a' && event.jobId === 'job-000001' && event.total === PEOPLE)).toBe(true);
  const counts = heard.map(([, event]) => event.done);
  expect(counts.at(-1)).toBe(PEOPLE);
  expect(counts).toEqual([...counts].sort((x, y) => x - y));
  expect(await count('person')).toBe(PEOPLE);
});

it('a cancel mid-save from the starting session leaves no person and no import in the audit trail; another session cannot cancel it', async () => {
  let cancels: Promise<unknown>[] = [];
  jobs.on('progress', (_sessionId, event) => {
    if (cancels.length > 0 || event.done === 0) return;
    // some people are written inside the transaction when the cancel comes
    cancels = [router.call(admin('b'), 'work.cancel', { jobId: event.jobId }), router.call(admin('a'), 'work.cancel', { jobId: event.jobId })];
  });
  const result = await router.call(admin('a'), 'people.import', { fileName: 'p.csv', contentBase64: file(), jobId: 'job-000002' });
  expect(await Promise.all(cancels)).toEqual([
    { ok: true, value: { cancelled: false } },
    { ok: true, value: { cancelled: true } },
  ]);
  expect(result).toMatchObject({ ok: false, code: 'work-cancelled' });
  expect(await count('person')).toBe(0);
  expect(await count('person_unit')).toBe(0);
  expect(await count('audit_entry', "WHERE action = 'people.imported'")).toBe(0);
  // a job that is over cannot be cancelled, and the same id may start again
  expect(await router.call(admin('a'), 'work.cancel', { jobId: 'job-000002' })).toEqual({ ok: true, value: { cancelled: false } });
});

/** Cancels each job at its first progress event, from the session that started it. */
function cancelAtOnce(sessionId: string): void {
  jobs.on('progress', (_sessionId, event) => void router.call(admin(sessionId), 'work.cancel', { jobId: event.jobId }));
}

it('an audit export counts its rows for the session; cancelled, it hands out nothing and the trail records no export', async () => {
  for (let n = 0; n < 40; n++) await appendAudit(db, { station: 'Akademiska', actor: null, action: 'pin.changed', outcome: 'ok' });
  const heard: WorkProgressEvent[] = [];
  jobs.on('progress', (_sessionId, event) => heard.push(event));
  const done = await router.call(admin('a'), 'audit.export', { action: 'pin', jobId: 'export-0001' });
  expect(done).toMatchObject({ ok: true, value: { rows: 40 } });
  expect(heard.at(-1)).toEqual({ type: 'work-progress', jobId: 'export-0001', done: 40, total: 40 });
  expect(await count('audit_entry', "WHERE action = 'audit.exported'")).toBe(1);

  cancelAtOnce('a');
  expect(await router.call(admin('a'), 'audit.export', { action: 'pin', jobId: 'export-0002' })).toMatchObject({ ok: false, code: 'work-cancelled' });
  expect(await count('audit_entry', "WHERE action = 'audit.exported'")).toBe(1);
});

it('a cancelled report export hands out no file and the trail records no export', async () => {
  cancelAtOnce('a');
  expect(await router.call(admin('a'), 'reports.export', { report: 'stock', filters: {}, format: 'xlsx', jobId: 'report-0001' })).toMatchObject({ ok: false, code: 'work-cancelled' });
  expect(await count('audit_entry', "WHERE action = 'report.exported'")).toBe(0);
  // without a job id nobody can cancel it
  expect(await router.call(admin('a'), 'reports.export', { report: 'stock', filters: {}, format: 'csv' })).toMatchObject({ ok: true });
  expect(await count('audit_entry', "WHERE action = 'report.exported'")).toBe(1);
});
