import { describe, expect, it } from "vitest";
import { kpiChange } from "./kpi-change.ts";

describe("KPI card change against the month before", () => {
  it("rates change by percentage points, not by a share of themselves", () => {
    const c = kpiChange("percent", 0.533, 0.54);
    expect(c?.unit).toBe("points");
    expect(c?.value).toBeCloseTo(-0.007, 10);
  });

  it("a rate from 0 still has a change in points", () => {
    expect(kpiChange("percent", 0.1, 0)).toEqual({ value: 0.1, unit: "points" });
  });

  it("counts, amounts and frequencies change relatively", () => {
    const c = kpiChange("number", 19_622, 19_000);
    expect(c?.unit).toBe("relative");
    expect(c?.value).toBeCloseTo(19_622 / 19_000 - 1, 10);
    expect(kpiChange("money", 110, 100)?.value).toBeCloseTo(0.1, 10);
    expect(kpiChange("decimal", 1.75, 1.89)?.unit).toBe("relative");
  });

  it("no change without both months, or from a base of 0 for relative changes", () => {
    expect(kpiChange("number", 5, null)).toBeNull();
    expect(kpiChange("percent", undefined, 0.5)).toBeNull();
    expect(kpiChange("money", 100, 0)).toBeNull();
  });
});
