// The report, invoicing and outbox procedures: each runs as the logged-in administrator, a unit administrator within their units.
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../app-error';
import type { CallContext, Handlers, Operator } from '../router';
import { closeInvoiceMonth, exportInvoiceMonth, invoiceMonth } from './invoices';
import { listOutbox, listTemplates, outboxMessage, resendMessage, saveTemplate, type MailSender } from '../mail/outbox';
import { scopeOf } from '../organisation/organisation';
import { exportReport, runReport } from './reports';

type ReportProcedure = Extract<keyof Handlers, `reports.${string}` | `invoices.${string}` | `outbox.${string}` | `templates.${string}`>;

export interface ReportHandlerContext {
  sqlite: BetterSqlite3.Database;
  station: () => string;
  now: () => Date;
  /** The SMTP sender when one is configured: a re-send from the screen is tried at once. */
  mail?: Pick<MailSender, 'deliverQueuedNow'>;
}

function operatorOf({ session }: CallContext): Operator {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return session.operator;
}

export function reportHandlers({ sqlite, station, now, mail }: ReportHandlerContext): Pick<Handlers, ReportProcedure> {
  const actorOf = (call: CallContext) => ({ actor: String(operatorOf(call).id), station: station(), now: now() });
  return {
    'reports.run': (input, call) => runReport(sqlite, input, scopeOf(operatorOf(call)), now()),
    'reports.export': (input, call) => exportReport(sqlite, input, scopeOf(operatorOf(call)), actorOf(call)),
    'invoices.month': ({ month }, call) => invoiceMonth(sqlite, month, scopeOf(operatorOf(call)), now()),
    'invoices.close': ({ month }, call) => closeInvoiceMonth(sqlite, month, actorOf(call)),
    'invoices.export': ({ month, format }, call) => exportInvoiceMonth(sqlite, month, scopeOf(operatorOf(call)), format, actorOf(call)),
    'outbox.list': ({ state }) => listOutbox(sqlite, state),
    'outbox.resend': async ({ id }) => {
      const queued = resendMessage(sqlite, id, now());
      if (!mail) return queued;
      // the administrator sees whether it went out, not only that it waits for the next round
      await mail.deliverQueuedNow();
      return outboxMessage(sqlite, id);
    },
    'templates.list': () => listTemplates(sqlite),
    'templates.save': (input, call) => saveTemplate(sqlite, input, actorOf(call)),
  };
}
