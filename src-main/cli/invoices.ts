// `cli invoices --month YYYY-MM`: the month's invoice basis per reference; `close`, `correct` and `export` act on it.
import { writeFileSync } from 'node:fs';
import type { InvoiceBasis, SalaryDeductions } from '@shared/contract';
import { isInvoiceMonth } from '@shared/domain/invoice-month';
import { AppError } from '../app-error';
import type { Db } from '../db/data-layer';
import { closeInvoiceMonth, correctCharge, exportInvoiceMonth, invoiceMonth } from '../reports/invoices';
import { FULL_SCOPE } from '../organisation/organisation';
import { CliError, type CliCommand, type CliInvocation, type CliResult } from './command';
import { withRegister } from './database';
import { cliCaller } from './identity';

const USAGE = `Usage: cli invoices [show] --month YYYY-MM      the invoice basis per reference
       cli invoices close --month YYYY-MM       freeze an ended month
       cli invoices correct --charge ID --amount SEK   a correcting charge in the first open month
       cli invoices export --month YYYY-MM --format xlsx|csv --out FILE`;

const text = (value: CliInvocation['values'][string]): string | undefined => (typeof value === 'string' ? value : undefined);

function monthOf(values: CliInvocation['values']): string {
  const month = text(values.month);
  if (!month || !isInvoiceMonth(month)) throw new CliError('usage', `Give --month YYYY-MM.\n${USAGE}`, 64);
  return month;
}

/** What the CLI prints per reference and for salary deduction: the lines' public fields only. */
function printable(bases: InvoiceBasis[], deductions: SalaryDeductions) {
  return {
    bases: bases.map(({ reference, unit, lines, total }) => ({ reference, unit, lines: lines.map(({ date, kind, serial, amount }) => ({ date, kind, serial, amount })), total })),
    salaryDeductions: { lines: deductions.lines.map(({ date, kind, name, employeeNumber, serial, amount }) => ({ date, kind, name, employeeNumber, serial, amount })), total: deductions.total },
  };
}

function describe(bases: InvoiceBasis[], deductions: SalaryDeductions, month: string): string {
  if (bases.length === 0 && deductions.lines.length === 0) return `Nothing was charged in ${month}.`;
  const invoices = bases.map((basis) =>
    [`${basis.reference ?? '(no reference)'} ${basis.unit ?? ''}: ${basis.total.toFixed(2)} kr`, ...basis.lines.map((line) => `  ${line.date} ${line.kind} ${line.serial ?? ''} ${line.amount.toFixed(2)}`)].join('\n'),
  );
  const salary = deductions.lines.length === 0
    ? []
    : [[`Löneavdrag (salary deduction): ${deductions.total.toFixed(2)} kr`, ...deductions.lines.map((line) => `  ${line.date} ${line.kind} ${line.name} ${line.employeeNumber ?? '(no employee number)'} ${line.serial ?? ''} ${line.amount.toFixed(2)}`)].join('\n')];
  return [...invoices, ...salary].join('\n');
}

/** The register of --database or --data; a refusal of the service becomes the CLI's error. */
async function withInvoices<T>(invocation: CliInvocation, work: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await withRegister(invocation, work);
  } catch (error) {
    if (error instanceof AppError) throw new CliError(error.code, error.message, 1);
    throw error;
  }
}

async function run(invocation: CliInvocation): Promise<CliResult> {
  const { positionals, values } = invocation;
  const [action = 'show'] = positionals;
  if (action === 'show') {
    const month = monthOf(values);
    return withInvoices(invocation, async (db) => {
      const { bases, salaryDeductions } = await invoiceMonth(db, month, FULL_SCOPE, new Date());
      return { output: printable(bases, salaryDeductions), text: describe(bases, salaryDeductions, month) };
    });
  }
  if (action === 'close') {
    const month = monthOf(values);
    return withInvoices(invocation, async (db) => {
      const closed = await closeInvoiceMonth(db, month, await cliCaller(db));
      return { output: { month, closedAt: closed.closedAt }, text: `Closed ${month}: ${closed.bases.length} invoice bases.` };
    });
  }
  if (action === 'correct') {
    const chargeId = Number(text(values.charge));
    const amount = Number(text(values.amount)?.replace(',', '.'));
    if (!Number.isInteger(chargeId) || chargeId < 1 || !Number.isFinite(amount)) throw new CliError('usage', USAGE, 64);
    return withInvoices(invocation, async (db) => {
      const correction = await correctCharge(db, chargeId, Math.round(amount * 100), await cliCaller(db));
      return { output: correction, text: `Correction ${correction.id} of charge ${chargeId} in ${correction.month}.` };
    });
  }
  if (action === 'export') {
    const month = monthOf(values);
    const format = text(values.format);
    const out = text(values.out);
    if ((format !== 'xlsx' && format !== 'csv') || !out) throw new CliError('usage', USAGE, 64);
    return withInvoices(invocation, async (db) => {
      const file = await exportInvoiceMonth(db, month, FULL_SCOPE, format, await cliCaller(db));
      writeFileSync(out, Buffer.from(file.contentBase64, 'base64'));
      return { output: { file: out }, text: `Wrote ${out}.` };
    });
  }
  throw new CliError('usage', USAGE, 64);
}

export const invoicesCommand: CliCommand = {
  summary: 'invoices [show|close|correct|export] --month YYYY-MM: monthly invoice basis per reference',
  options: { month: { type: 'string' }, charge: { type: 'string' }, amount: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  run,
};
