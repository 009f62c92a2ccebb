import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { benjaminiHochberg, benjaminiHochbergRejects } from "./multiple-testing.ts";

describe("benjaminiHochberg", () => {
  it("matches R's p.adjust(method = 'BH')", () => {
    const p = [0.01, 0.04, 0.03, 0.005, 0.5];
    // p.adjust(c(0.01,0.04,0.03,0.005,0.5), "BH") = 0.025 0.05 0.05 0.025 0.5
    const adjusted = benjaminiHochberg(p);
    [0.025, 0.05, 0.05, 0.025, 0.5].forEach((v, i) => expect(adjusted[i]).toBeCloseTo(v, 12));
    expect(benjaminiHochbergRejects(p, 0.03)).toEqual([true, false, false, true, false]);
  });

  it("adjusted p-values are ≥ raw, ≤ 1, and keep the order of the raw p-values", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 }), (p) => {
        const a = benjaminiHochberg(p);
        return p.every((pi, i) => a[i]! >= pi - 1e-15 && a[i]! <= 1 && p.every((pj, j) => (pi <= pj ? a[i]! <= a[j]! + 1e-15 : true)));
      }),
    );
  });
});
