import { describe, expect, it } from "vitest";
import { differenceInDifferencesFromValues } from "./did.ts";

describe("differenceInDifferences", () => {
  it("subtracts the control's change from the treatment's change, per customer", () => {
    const r = differenceInDifferencesFromValues(
      { pre: [10, 20, 30, 40], post: [15, 26, 35, 44] },
      { pre: [10, 20, 30, 40], post: [11, 22, 31, 42] },
    );
    expect(r.treatment).toEqual({ preMean: 25, postMean: 30, change: 5 });
    expect(r.control.change).toBeCloseTo(1.5, 12);
    expect(r.estimate).toBeCloseTo(3.5, 12);
    expect(r.ci.lower).toBeLessThan(3.5);
    expect(r.ci.upper).toBeGreaterThan(3.5);
    expect(r.pValue).toBeLessThan(0.01);
  });

  it("ignores level differences between groups that do not change", () => {
    const r = differenceInDifferencesFromValues({ pre: [100, 101, 99], post: [100, 101, 99] }, { pre: [1, 2, 3], post: [1, 2, 3] });
    expect(r.estimate).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it("needs paired arrays", () => {
    expect(() => differenceInDifferencesFromValues({ pre: [1], post: [1, 2] }, { pre: [1, 2], post: [1, 2] })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});
