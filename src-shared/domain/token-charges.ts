// Charges for tokens: the invoicing month of an instant, and the amount a setting names.

/** Charges are invoiced per calendar month in Swedish time, so 23:30 UTC on 31 January is February. */
export const INVOICE_TIME_ZONE = 'Europe/Stockholm';
export const DEFAULT_LOST_TOKEN_CHARGE_ORE = 20_000;

const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM' of `at` in `timeZone`. */
export function chargeMonth(at: Date, timeZone: string = INVOICE_TIME_ZONE): string {
  let format = monthFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    monthFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const year = parts.find((part) => part.type === 'year')?.value;
  const month = parts.find((part) => part.type === 'month')?.value;
  return `${year}-${month}`;
}

/** The lost-token charge from its setting; a missing or spoilt setting falls back to 200 SEK rather than charging nothing. */
export function lostTokenChargeOre(setting: string | undefined): number {
  const value = setting !== undefined && /^\d{1,9}$/.test(setting.trim()) ? Number(setting.trim()) : Number.NaN;
  return Number.isNaN(value) ? DEFAULT_LOST_TOKEN_CHARGE_ORE : value;
}

/** 20000 → '200,00 kr'. */
export function formatOre(ore: number): string {
  const sign = ore < 0 ? '−' : '';
  const absolute = Math.abs(ore);
  return `${sign}${Math.floor(absolute / 100)},${String(absolute % 100).padStart(2, '0')} kr`;
}
