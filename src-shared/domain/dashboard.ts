// The dashboard's figures from report rows: pure, so charts and their tables show the same numbers.
export interface Series {
  label: string;
  values: number[];
}

export interface ChartData {
  labels: string[];
  series: Series[];
}

type Row = Record<string, string | number | null>;

const count = (value: string | number | null | undefined): number => (typeof value === 'number' ? value : Number(value ?? 0) || 0);

/** Tokens per unit, one series per state (in stock, issued, lost…), units in name order. */
export function stockByUnit(rows: readonly Row[], states: readonly string[]): ChartData {
  const labels = [...new Set(rows.map((row) => String(row.unit ?? '')))].sort((a, b) => a.localeCompare(b, 'sv'));
  const series = states
    .map((state) => ({ label: state, values: labels.map((unit) => rows.filter((row) => row.unit === unit && row.state === state).reduce((sum, row) => sum + count(row.count), 0)) }))
    .filter((line) => line.values.some((value) => value > 0));
  return { labels, series };
}

/** The monthly report's counts, oldest month first, as a chart reads from left to right. */
export function activityPerMonth(rows: readonly Row[], keys: readonly string[]): ChartData {
  const ordered = [...rows].sort((a, b) => String(a.month).localeCompare(String(b.month)));
  return { labels: ordered.map((row) => String(row.month)), series: keys.map((key) => ({ label: key, values: ordered.map((row) => count(row[key])) })) };
}

/** Certificates expiring, counted per month of their end date. */
export function expiriesPerMonth(rows: readonly Row[]): ChartData {
  const perMonth = new Map<string, number>();
  for (const row of rows) {
    const month = String(row.notAfter ?? '').slice(0, 7);
    if (month) perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
  }
  const labels = [...perMonth.keys()].sort();
  return { labels, series: [{ label: 'expiring', values: labels.map((month) => perMonth.get(month) ?? 0) }] };
}
