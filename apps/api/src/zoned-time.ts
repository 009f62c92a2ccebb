// Wall-clock times of an IANA time zone, from Intl (no database): the scheduler's daily slots
// and the messages that show an instant in the business time zone both read them here.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached en-US 24-hour formatter of every field down to the second in `zone` (throws RangeError for an unknown zone). */
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(zone, f);
  }
  return f;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock in `zone` shows at an instant. */
export function wallTime(instantMs: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instantMs))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's UTC offset at an instant, in ms (Tokyo: +9 h). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  const w = wallTime(instantMs, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** An instant as `2026-12-06 10:00:00+09:00`: the wall time in `zone` with its offset. */
export function formatInZone(instantMs: number, zone: string): string {
  const w = wallTime(instantMs, zone);
  const offsetMinutes = Math.round(zoneOffsetMs(instantMs, zone) / 60_000);
  const two = (n: number) => String(n).padStart(2, "0");
  const abs = Math.abs(offsetMinutes);
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}:${two(w.second)}${offsetMinutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
