// The report, invoicing and outbox procedures: each runs as the logged-in administrator, a unit administrator within their units.
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import type { CallContext, Handlers, Operator } from '../router';
import { closeInvoiceMonth, exportInvoiceMonth, invoiceMonth } from './invoices';
import { listOutbox, listTemplates, outboxMessage, resendMessage, saveTemplate, type MailSender } from '../mail/outbox';
import { scopeOf } from '../organisation/organisation';
import type { StationName } from '../organisation/station-label';
import { exportReport, runReport } from './reports';
import type { WorkJobs } from '../work/jobs';

type ReportProcedure = Extract<keyof Handlers, `reports.${string}` | `invoices.${string}` | `outbox.${string}` | `templates.${string}`>;

export interface ReportHandlerContext {
  db: Db;
  station: StationName;
  now: () => Date;
  /** The SMTP sender when one is configured: a re-send from the screen is tried at once. */
  mail?: Pick<MailSender, 'deliverQueuedNow'>;
  /** Long work under way: an export's progress and cancel. */
  work: WorkJobs;
}

function operatorOf({ session }: CallContext): Operator {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return session.operator;
}

export function reportHandlers({ db, station, now, mail, work }: ReportHandlerContext): Pick<Handlers, ReportProcedure> {
  const actorOf = async (call: CallContext) => ({ actor: String(operatorOf(call).id), station: await station(), now: now() });
  return {
    'reports.run': (input, call) => runReport(db, input, scopeOf(operatorOf(call)), now()),
    'reports.export': async ({ jobId, ...request }, call) => {
      const by = await actorOf(call);
      return work.run(call.session.id, jobId, (progress) => exportReport(db, request, scopeOf(operatorOf(call)), by, progress));
    },
    'invoices.month': ({ month }, call) => invoiceMonth(db, month, scopeOf(operatorOf(call)), now()),
    'invoices.close': async ({ month }, call) => closeInvoiceMonth(db, month, await actorOf(call)),
    'invoices.export': async ({ month, format }, call) => exportInvoiceMonth(db, month, scopeOf(operatorOf(call)), format, await actorOf(call)),
    'outbox.list': ({ state }) => listOutbox(db, state),
    'outbox.resend': async ({ id }) => {
      const queued = await resendMessage(db, id, now());
      if (!mail) return queued;
      // the administrator sees whether it went out, not only that it waits for the next round
      await mail.deliverQueuedNow();
      return outboxMessage(db, id);
    },
    'templates.list': () => listTemplates(db),
    'templates.save': async (input, call) => saveTemplate(db, input, await actorOf(call)),
  };
}
