// Invoice months: 'YYYY-MM' arithmetic and when a month has ended in Swedish time, so it may be closed.
import { INVOICE_TIME_ZONE } from './token-charges';

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isInvoiceMonth(text: string): boolean {
  return MONTH_PATTERN.test(text);
}

function parts(month: string): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`not a month: ${month}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function nextMonth(month: string): string {
  const { year, month: number } = parts(month);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' of the month's last day. */
export function lastDayOfMonth(month: string): string {
  const { year, month: number } = parts(month);
  const days = new Date(Date.UTC(year, number, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' of `at` in `timeZone`: invoices speak of Swedish calendar days. */
export function localDate(at: Date, timeZone: string = INVOICE_TIME_ZONE): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** A month may be closed on its last day or later: the invoice goes out on the first working day after. */
export function monthMayClose(month: string, now: Date): boolean {
  return localDate(now) >= lastDayOfMonth(month);
}

/** Öre to kronor without a float's stray digits: 20050 → 200.5. */
export function oreToKronor(ore: number): number {
  return Math.round(ore) / 100;
}
