import { describe, expect, it } from "vitest";
import { apiBounds, completePeriods, presetRange, queryFromRange, rangeFromQuery } from "./range.ts";

const NOW = new Date("2026-12-03T10:00:00Z");

describe("dashboard date range", () => {
  it("defaults to the last 12 months plus the running one, with a plain URL", () => {
    expect(rangeFromQuery({}, NOW)).toEqual({ from: "2025-12", to: "2026-12" });
    expect(queryFromRange(presetRange(12, NOW), NOW)).toEqual({});
  });

  it("keeps a chosen range in the URL and reads it back", () => {
    const q = queryFromRange({ from: "2025-04", to: "2025-09" }, NOW);
    expect(q).toEqual({ from: "2025-04", to: "2025-09" });
    expect(rangeFromQuery(q, NOW)).toEqual({ from: "2025-04", to: "2025-09" });
  });

  it("falls back to the default on malformed or reversed ranges and caps the future at this month", () => {
    expect(rangeFromQuery({ from: "2025-13", to: "2026-01" }, NOW)).toEqual({ from: "2025-12", to: "2026-12" });
    expect(rangeFromQuery({ from: "2026-05", to: "2026-01" }, NOW)).toEqual({ from: "2025-12", to: "2026-12" });
    expect(rangeFromQuery({ from: "2026-05", to: "2027-03" }, NOW)).toEqual({ from: "2026-05", to: "2026-12" });
  });

  it("asks the API for whole months, ending now when the range reaches the running month", () => {
    expect(apiBounds({ from: "2025-04", to: "2025-09" }, NOW)).toEqual({ from: "2025-04-01T00:00:00.000Z", to: "2025-10-01T00:00:00.000Z" });
    expect(apiBounds({ from: "2026-10", to: "2026-12" }, NOW).to).toBe(NOW.toISOString());
  });

  it("leaves the running month out of the comparison, whatever the time zone of the period starts", () => {
    expect(completePeriods(["2026-10-31T15:00:00Z", "2026-11-30T15:00:00Z"], { from: "2026-11", to: "2026-12" }, NOW)).toEqual(["2026-10-31T15:00:00Z"]);
    expect(completePeriods(["a", "b"], { from: "2025-01", to: "2025-02" }, NOW)).toEqual(["a", "b"]);
  });
});

describe("sparkline", () => {
  it("spans the box from the lowest to the highest value and skips gaps", async () => {
    const { sparklinePoints } = await import("./sparkline.ts");
    expect(sparklinePoints([1, 3, 2], 108, 48)).toBe("4.0,44.0 54.0,4.0 104.0,24.0");
    expect(sparklinePoints([5, null, 5], 108, 48)).toBe("4.0,24.0 104.0,24.0");
    expect(sparklinePoints([], 108, 48)).toBe("");
  });
});
