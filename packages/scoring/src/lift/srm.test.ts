import { describe, expect, it } from "vitest";
import { sampleRatioMismatch } from "./srm.ts";

describe("sampleRatioMismatch", () => {
  it("accepts a split close to plan", () => {
    const r = sampleRatioMismatch([9012, 988], [0.9, 0.1]);
    expect(r.expected).toEqual([9000, 1000]);
    expect(r.chiSquare).toBeCloseTo(144 / 9000 + 144 / 1000, 10);
    expect(r.isMismatch).toBe(false);
  });

  it("flags a mismatch when p < 0.001 (and the threshold is configurable)", () => {
    const r = sampleRatioMismatch([9200, 800], [0.9, 0.1]);
    // χ² = 200²/9000 + 200²/1000 = 44.4 on 1 df.
    expect(r.chiSquare).toBeCloseTo(44.444, 2);
    expect(r.pValue).toBeLessThan(1e-9);
    expect(r.isMismatch).toBe(true);
    const mild = sampleRatioMismatch([5100, 4900], [1, 1]);
    expect(mild.pValue).toBeCloseTo(0.0455, 3);
    expect(mild.isMismatch).toBe(false);
    expect(sampleRatioMismatch([5100, 4900], [1, 1], { threshold: 0.05 }).isMismatch).toBe(true);
  });
});
