import stdlibHyp2f1 from "@stdlib/math-base-special-hyp2f1";
import { describe, expect, it } from "vitest";
import { hyp2f1, logHyp2f1Positive } from "./hyp2f1.ts";

describe("hyp2f1", () => {
  it("agrees with @stdlib's hyp2f1 on the arguments the BTYD formulas use", () => {
    const cases: [number, number, number, number][] = [
      [1.976, -0.207, 2.219, 0.5],
      [1.976, -0.207, 2.219, 0.99],
      [1.976, -0.207, 202.219, 0.999],
      [1, 3.55, 5.15, 0.3],
      [29.243, 31.426, 31.219, 0.6],
    ];
    for (const [a, b, c, z] of cases) {
      const ours = hyp2f1(a, b, c, z);
      expect(Math.abs(ours / stdlibHyp2f1(a, b, c, z) - 1)).toBeLessThan(1e-12);
    }
  });

  it("has closed forms: 2F1(1,1;2;z) = −ln(1−z)/z and 2F1(a,b;b;z) = (1−z)^{−a}", () => {
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 14);
    expect(hyp2f1(0.7, 2.5, 2.5, 0.9)).toBeCloseTo(0.1 ** -0.7, 12);
    expect(logHyp2f1Positive(0.7, 2.5, 2.5, 0.9)).toBeCloseTo(-0.7 * Math.log(0.1), 12);
  });

  it("stays finite in log space far beyond the double range", () => {
    const v = logHyp2f1Positive(500, 600, 550, 0.9);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(700);
  });
});
