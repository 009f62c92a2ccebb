// Rule dates are business days (YYYY-MM-DD in the settings' time zone); the API compares
// instants (timestamptz). These helpers turn a day into its first or last instant in that
// zone, with the zone's offset written out, and an instant back into its business day.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(ms: number, timeZone: string): Record<string, number> {
  const out: Record<string, number> = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** The zone's offset from UTC in minutes at an instant (Asia/Tokyo: +540). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const wall = Date.UTC(p["year"] ?? 1970, (p["month"] ?? 1) - 1, p["day"] ?? 1, p["hour"] ?? 0, p["minute"] ?? 0, p["second"] ?? 0);
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

export const isBusinessDay = (day: string | null | undefined): day is string => {
  const m = day ? DAY.exec(day) : null;
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
};

/**
 * The first (`start`) or last (`end`, …23:59:59.999) instant of a business day as ISO 8601
 * with the zone's offset at that instant, e.g. 2024-04-01T00:00:00.000+09:00.
 */
export function dayBoundary(day: string, timeZone: string, edge: "start" | "end"): string {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  const wall = edge === "start" ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  // The offset at the wall time, corrected once for a DST change between the guess and the answer.
  let offset = zoneOffsetMinutes(wall, timeZone);
  const corrected = zoneOffsetMinutes(wall - offset * 60_000, timeZone);
  if (corrected !== offset) offset = corrected;
  const time = edge === "start" ? "00:00:00.000" : "23:59:59.999";
  return `${day}T${time}${offsetText(offset)}`;
}

/** The business day (YYYY-MM-DD) an instant falls on; null for an unreadable value. */
export function businessDay(iso: string, timeZone: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const p = parts(ms, timeZone);
  const pad = (n: number | undefined, width = 2) => String(n ?? 0).padStart(width, "0");
  return `${pad(p["year"], 4)}-${pad(p["month"])}-${pad(p["day"])}`;
}

/** Today in the business time zone (YYYY-MM-DD). */
export function businessToday(timeZone: string, now = Date.now()): string {
  return businessDay(new Date(now).toISOString(), timeZone) as string;
}

/**
 * The instant a business day ends, as ISO 8601 in UTC: 00:00 of the next day in the zone (a
 * day that is the last one of something — valid through, complete through — ends there).
 */
export function endOfBusinessDay(day: string, timeZone: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return new Date(dayBoundary(next, timeZone, "start")).toISOString();
}

/** The calendar day (YYYY-MM-DD) of a date picker's cell, which the picker hands over as the browser's local midnight. */
export function pickerCellDay(cellMs: number): string {
  const d = new Date(cellMs);
  return `${String(d.getFullYear()).padStart(4, "0")}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * The last instant before `end`, for showing the last day of something that ends there: a
 * half-open [from, end) period, or validity that expires at `end` (an expiry at 00:00 leaves the
 * day before as the last valid one, any other instant its own day).
 */
export function lastDay(end: string): string {
  return new Date(Date.parse(end) - 1).toISOString();
}
