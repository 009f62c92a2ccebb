// When a daily schedule at a local wall-clock time (HH:MM) of an IANA time zone next runs,
// computed per calendar day in that zone so daylight-saving changes move the UTC instant, not the
// local time. Two edge cases a DST zone has on its transition days:
// - a local time that does not exist (spring forward, 02:30 in Berlin on the last Sunday of
//   March) runs with the offset in force before the jump, i.e. as many minutes after the jump as
//   it was after the gap's start (02:30 → 03:30 CEST): the run is late by the gap, never skipped;
// - a local time that occurs twice (fall back, 02:30 on the last Sunday of October) runs once,
//   at its first occurrence.
// Pure functions over Intl (zoned-time.ts), no database: the scheduler and its tests share them.
import { wallTime, zoneOffsetMs } from "../../zoned-time.ts";

export { zoneOffsetMs };

const DAY_MS = 86_400_000;

/** The instant a local wall time of `zone` happens (see the header for gaps and repeats). */
export function localToInstant(year: number, month: number, day: number, hour: number, minute: number, zone: string): Date {
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  const before = zoneOffsetMs(wallMs - DAY_MS, zone);
  const after = zoneOffsetMs(wallMs + DAY_MS, zone);
  const valid = [...new Set([before, after])].map((offset) => wallMs - offset).filter((instant) => wallMs - zoneOffsetMs(instant, zone) === instant);
  if (valid.length > 0) return new Date(Math.min(...valid));
  // In a gap: keep the offset from before the jump, which lands after it.
  return new Date(wallMs - before);
}

export function parseLocalTime(value: string): { hour: number; minute: number } | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

function slotOnDay(dayMs: number, time: { hour: number; minute: number }, zone: string): Date {
  const d = new Date(dayMs);
  return localToInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), time.hour, time.minute, zone);
}

/** The calendar days around an instant in `zone`, as UTC-midnight ms of that date. */
function daysAround(instant: Date, zone: string): number[] {
  const w = wallTime(instant.getTime(), zone);
  const today = Date.UTC(w.year, w.month - 1, w.day);
  return [-2, -1, 0, 1, 2].map((k) => today + k * DAY_MS);
}

function requireTime(localTime: string): { hour: number; minute: number } {
  const time = parseLocalTime(localTime);
  if (!time) throw new Error(`The local time must be HH:MM (00:00–23:59); got "${localTime}".`);
  return time;
}

/** The first run strictly after `after`. */
export function nextDailyRun(localTime: string, zone: string, after: Date): Date {
  const time = requireTime(localTime);
  const slots = daysAround(after, zone).map((day) => slotOnDay(day, time, zone));
  return slots.find((slot) => slot.getTime() > after.getTime()) as Date;
}

/** The latest run at or before `at` (the slot that is due now, if it has not run yet). */
export function latestDailyRun(localTime: string, zone: string, at: Date): Date {
  const time = requireTime(localTime);
  const slots = daysAround(at, zone).map((day) => slotOnDay(day, time, zone));
  return slots.filter((slot) => slot.getTime() <= at.getTime()).pop() as Date;
}
