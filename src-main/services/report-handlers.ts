// The report, invoicing and outbox procedures: each runs as the logged-in administrator, a unit administrator within their units.
import type BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../app-error';
import type { CallContext, Handlers, Operator } from '../router';
import { closeInvoiceMonth, exportInvoiceMonth, invoiceMonth } from './invoices';
import { listOutbox, listTemplates, resendMessage, saveTemplate } from './outbox';
import { scopeOf } from './organisation';
import { exportReport, runReport } from './reports';

type ReportProcedure = Extract<keyof Handlers, `reports.${string}` | `invoices.${string}` | `outbox.${string}` | `templates.${string}`>;

export interface ReportHandlerContext {
  sqlite: BetterSqlite3.Database;
  station: () => string;
  now: () => Date;
}

function operatorOf({ session }: CallContext): Operator {
  // the router lets only logged-in roles through to these; this guards against a handler wired to 'anyone'
  if (!session.operator) throw new AppError('not-logged-in', 'Log in first');
  return session.operator;
}

export function reportHandlers({ sqlite, station, now }: ReportHandlerContext): Pick<Handlers, ReportProcedure> {
  const actorOf = (call: CallContext) => ({ actor: String(operatorOf(call).id), station: station(), now: now() });
  return {
    'reports.run': (input, call) => runReport(sqlite, input, scopeOf(operatorOf(call)), now()),
    'reports.export': (input, call) => exportReport(sqlite, input, scopeOf(operatorOf(call)), actorOf(call)),
    'invoices.month': ({ month }, call) => invoiceMonth(sqlite, month, scopeOf(operatorOf(call)), now()),
    'invoices.close': ({ month }, call) => closeInvoiceMonth(sqlite, month, actorOf(call)),
    'invoices.export': ({ month, format }, call) => exportInvoiceMonth(sqlite, month, scopeOf(operatorOf(call)), format, actorOf(call)),
    'outbox.list': ({ state }) => listOutbox(sqlite, state),
    'outbox.resend': ({ id }) => resendMessage(sqlite, id, now()),
    'templates.list': () => listTemplates(sqlite),
    'templates.save': (input, call) => saveTemplate(sqlite, input, actorOf(call)),
  };
}
