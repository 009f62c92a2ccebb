import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { businessDay, lastDay } from "../shared/zoned-date.ts";
import { businessToday, effectiveFromInstant, expiryDateInstant, isPastBusinessDay } from "./rule-dates.ts";

// The admin's browser is in London; the business is in Tokyo.
let savedTz: string | undefined;
beforeEach(() => {
  savedTz = process.env["TZ"];
  process.env["TZ"] = "Europe/London";
});
afterEach(() => {
  if (savedTz === undefined) delete process.env["TZ"];
  else process.env["TZ"] = savedTz;
});

const TOKYO = "Asia/Tokyo";
const NOW = Date.parse("2026-12-05T02:00:00Z"); // 11:00 in Tokyo, 02:00 in London

describe("loyalty rule form dates", () => {
  it("runs in a browser zone other than the business zone", () => {
    expect(new Date(2026, 11, 10).getTimezoneOffset()).toBe(0);
  });

  it("a rule picked for 2026-12-10 in London applies from 2026-12-10 00:00 Tokyo time", () => {
    expect(effectiveFromInstant("2026-12-10", TOKYO, NOW)).toBe("2026-12-09T15:00:00.000Z");
    expect(effectiveFromInstant("2026-12-10", "America/New_York", NOW)).toBe("2026-12-10T05:00:00.000Z");
  });

  it("today (in the business zone) means now, not a midnight already past", () => {
    expect(businessToday(TOKYO, NOW)).toBe("2026-12-05");
    expect(effectiveFromInstant("2026-12-05", TOKYO, NOW)).toBe(new Date(NOW).toISOString());
  });

  it("a fixed expiry date is the last valid day: the points expire when it ends in the business zone, and it reads back as that day", () => {
    expect(expiryDateInstant("2027-03-31", TOKYO)).toBe("2027-03-31T15:00:00.000Z");
    expect(expiryDateInstant("2027-12-31", TOKYO)).toBe("2027-12-31T15:00:00.000Z");
    // New York: 2027-03-15 starts at 00:00 EDT (the clocks went forward on the 14th), 04:00 UTC.
    expect(expiryDateInstant("2027-03-14", "America/New_York")).toBe("2027-03-15T04:00:00.000Z");
    expect(businessDay(lastDay(expiryDateInstant("2027-03-31", TOKYO)), TOKYO)).toBe("2027-03-31");
    // Any other instant (a rolling expiry) is valid on its own day.
    expect(businessDay(lastDay("2027-04-02T03:00:00.000Z"), TOKYO)).toBe("2027-04-02");
  });

  it("greys out days before the business zone's today, judged by the picker cell's local date", () => {
    // 23:30 on 4 Dec in London is already 5 Dec in Tokyo: 4 Dec is past there.
    const lateLondon = Date.parse("2026-12-04T23:30:00Z");
    expect(isPastBusinessDay(new Date(2026, 11, 4).getTime(), TOKYO, lateLondon)).toBe(true);
    expect(isPastBusinessDay(new Date(2026, 11, 5).getTime(), TOKYO, lateLondon)).toBe(false);
  });
});
