// The nightly schedule's clock: a local time of the business zone, across DST transitions.
import { describe, expect, it } from "vitest";
import { latestDailyRun, localToInstant, nextDailyRun, parseLocalTime, zoneOffsetMs } from "./schedule.time.ts";

const iso = (d: Date) => d.toISOString();
/** Successive runs starting after `from`. */
function runs(localTime: string, zone: string, from: string, count: number): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (let i = 0; i < count; i++) {
    at = nextDailyRun(localTime, zone, at);
    out.push(iso(at));
  }
  return out;
}

describe("daily schedule in the business time zone", () => {
  it("Asia/Tokyo has no DST: 03:00 JST is 18:00 UTC the day before, every day of the year", () => {
    expect(runs("03:00", "Asia/Tokyo", "2026-03-27T00:00:00Z", 4)).toEqual([
      "2026-03-27T18:00:00.000Z",
      "2026-03-28T18:00:00.000Z",
      "2026-03-29T18:00:00.000Z",
      "2026-03-30T18:00:00.000Z",
    ]);
    // Across the dates other zones change clocks, Tokyo's runs stay 24 h apart.
    const year = runs("03:00", "Asia/Tokyo", "2026-01-01T00:00:00Z", 365);
    for (let i = 1; i < year.length; i++) expect(Date.parse(year[i]!) - Date.parse(year[i - 1]!)).toBe(86_400_000);
    expect(zoneOffsetMs(Date.parse("2026-07-01T00:00:00Z"), "Asia/Tokyo")).toBe(9 * 3_600_000);
  });

  it("Europe/Berlin: 03:00 local moves from 02:00 UTC (CET) to 01:00 UTC (CEST) at the spring change and back in autumn", () => {
    // DST 2026: clocks go 02:00 → 03:00 on 29 March and 03:00 → 02:00 on 25 October.
    expect(runs("03:00", "Europe/Berlin", "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T02:00:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T01:00:00.000Z",
    ]);
    expect(runs("03:00", "Europe/Berlin", "2026-10-23T12:00:00Z", 3)).toEqual([
      "2026-10-24T01:00:00.000Z",
      "2026-10-25T02:00:00.000Z",
      "2026-10-26T02:00:00.000Z",
    ]);
  });

  it("Europe/Berlin: a time inside the spring gap runs after the jump; a repeated autumn time runs once, at its first occurrence", () => {
    // 02:30 does not exist on 29 March 2026: it runs at 03:30 CEST (01:30 UTC), and the next day at 02:30 CEST.
    expect(runs("02:30", "Europe/Berlin", "2026-03-27T12:00:00Z", 3)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
    // 02:30 happens twice on 25 October 2026 (CEST then CET): once, at 00:30 UTC.
    expect(runs("02:30", "Europe/Berlin", "2026-10-23T12:00:00Z", 3)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("America/New_York: 8 March and 1 November 2026 transitions", () => {
    expect(runs("01:30", "America/New_York", "2026-03-06T12:00:00Z", 3)).toEqual([
      "2026-03-07T06:30:00.000Z",
      "2026-03-08T06:30:00.000Z", // 01:30 EST, before the 02:00 jump
      "2026-03-09T05:30:00.000Z",
    ]);
    expect(runs("02:15", "America/New_York", "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-08T07:15:00.000Z", // 02:15 does not exist: 03:15 EDT
      "2026-03-09T06:15:00.000Z",
    ]);
    expect(runs("01:30", "America/New_York", "2026-10-31T12:00:00Z", 2)).toEqual([
      "2026-11-01T05:30:00.000Z", // the first 01:30 (EDT)
      "2026-11-02T06:30:00.000Z",
    ]);
  });

  it("runs exactly once per local day across a DST year (no day skipped, none doubled)", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Asia/Tokyo"]) {
      for (const time of ["00:00", "01:30", "02:30", "03:00", "23:59"]) {
        const year = runs(time, zone, "2025-12-31T12:00:00Z", 366);
        const days = year.map((t) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, dateStyle: "short" }).format(new Date(t)));
        expect(new Set(days).size, `${zone} ${time}`).toBe(366);
      }
    }
  });

  it("latestDailyRun is the slot due now; nextDailyRun is strictly after", () => {
    const at = new Date("2026-03-29T01:00:00Z"); // 03:00 CEST exactly
    expect(iso(latestDailyRun("03:00", "Europe/Berlin", at))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(nextDailyRun("03:00", "Europe/Berlin", at))).toBe("2026-03-30T01:00:00.000Z");
    expect(iso(latestDailyRun("03:00", "Europe/Berlin", new Date("2026-03-29T00:59:59Z")))).toBe("2026-03-28T02:00:00.000Z");
    expect(iso(localToInstant(2026, 1, 15, 9, 0, "Asia/Tokyo"))).toBe("2026-01-15T00:00:00.000Z");
  });

  it("refuses a malformed time", () => {
    expect(parseLocalTime("3:00")).toBeNull();
    expect(parseLocalTime("24:00")).toBeNull();
    expect(parseLocalTime("23:59")).toEqual({ hour: 23, minute: 59 });
    expect(() => nextDailyRun("25:00", "Asia/Tokyo", new Date())).toThrow(/HH:MM/);
  });
});
