import { describe, expect, it } from "vitest";
import { completeThroughInstant, isFutureBusinessDay } from "./completeness.ts";

const TOKYO = "Asia/Tokyo";

describe("orders complete through a business day", () => {
  it("sends the end of the day in the business time zone, whatever zone the browser is in", () => {
    const later = Date.parse("2026-12-10T00:00:00Z");
    expect(completeThroughInstant("2026-12-04", TOKYO, later)).toBe("2026-12-04T15:00:00.000Z");
    // New York's day ends at 05:00 UTC in winter and 04:00 in summer.
    expect(completeThroughInstant("2026-12-04", "America/New_York", later)).toBe("2026-12-05T05:00:00.000Z");
    expect(completeThroughInstant("2026-07-04", "America/New_York", later)).toBe("2026-07-05T04:00:00.000Z");
  });

  it("through today means up to now: the API refuses a future instant", () => {
    const now = Date.parse("2026-12-05T03:30:00Z"); // 12:30 in Tokyo
    expect(completeThroughInstant("2026-12-05", TOKYO, now)).toBe("2026-12-05T03:30:00.000Z");
  });

  it("greys out the days after today in the business time zone", () => {
    // 2026-12-05 20:00 UTC is already 6 December in Tokyo: the 6th is today there, the 7th is not yet.
    const now = Date.parse("2026-12-05T20:00:00Z");
    expect(isFutureBusinessDay(new Date(2026, 11, 6).getTime(), TOKYO, now)).toBe(false);
    expect(isFutureBusinessDay(new Date(2026, 11, 7).getTime(), TOKYO, now)).toBe(true);
    expect(isFutureBusinessDay(new Date(2026, 11, 5).getTime(), TOKYO, now)).toBe(false);
  });
});
