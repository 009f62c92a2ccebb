// The dashboard's date range: whole months, kept in the URL (?from=2026-01&to=2026-11) so a
// link or reload shows the same period.
export interface MonthRange {
  /** First month, YYYY-MM. */
  from: string;
  /** Last month (inclusive), YYYY-MM. */
  to: string;
}

export const PRESETS = [3, 6, 12, 24] as const;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthOf(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(y, m - 1 + n, 1)));
}

export function monthStart(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1));
}

/** The last `months` months up to and including the running one. */
export function presetRange(months: number, now: Date): MonthRange {
  const to = monthOf(now);
  return { from: addMonths(to, -months), to };
}

export const defaultRange = (now: Date) => presetRange(12, now);

/** Reads ?from&to; a missing, malformed, reversed or future range falls back to the default. */
export function rangeFromQuery(query: Record<string, unknown>, now: Date): MonthRange {
  const from = typeof query["from"] === "string" ? query["from"] : "";
  const to = typeof query["to"] === "string" ? query["to"] : "";
  if (!MONTH.test(from) || !MONTH.test(to) || from > to || from > monthOf(now)) return defaultRange(now);
  return { from, to: to > monthOf(now) ? monthOf(now) : to };
}

export function queryFromRange(range: MonthRange, now: Date): Record<string, string> {
  const d = defaultRange(now);
  return range.from === d.from && range.to === d.to ? {} : { from: range.from, to: range.to };
}

/** The API's [from, to) instants: from the first month's start to the end of the last month or now, whichever is earlier. */
export function apiBounds(range: MonthRange, now: Date): { from: string; to: string } {
  const end = monthStart(addMonths(range.to, 1));
  return { from: monthStart(range.from).toISOString(), to: (end < now ? end : now).toISOString() };
}

/** The periods that have ended: all of them, unless the range reaches the running month (its last period is still open). */
export function completePeriods<T>(periods: readonly T[], range: MonthRange, now: Date): T[] {
  return range.to < monthOf(now) ? [...periods] : periods.slice(0, -1);
}
