import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/cdnow.ts";
import {
  minimumDetectableEffectMean,
  minimumDetectableEffectProportion,
  requiredSampleSizeMean,
  requiredSampleSizeProportion,
} from "./power.ts";
import { twoProportionTest } from "./proportion.ts";

describe("power planning", () => {
  it("gives the textbook sample size for 10% → 12% at 50/50, α 0.05, power 0.8", () => {
    // (1.96 + 0.8416)² (0.09 + 0.1056) / 0.02² ≈ 3,839 per group.
    const n = requiredSampleSizeProportion({ baselineRate: 0.1, absoluteEffect: 0.02, holdoutRatio: 0.5 });
    expect(n.control).toBeGreaterThanOrEqual(3838);
    expect(n.control).toBeLessThanOrEqual(3840);
    expect(n.treatment).toBe(n.control);
  });

  it("MDE and sample size are inverses", () => {
    const mde = minimumDetectableEffectProportion({ n: 20_000, baselineRate: 0.05, holdoutRatio: 0.1 });
    const n = requiredSampleSizeProportion({ baselineRate: 0.05, absoluteEffect: mde.absolute, holdoutRatio: 0.1 });
    expect(n.total).toBeGreaterThanOrEqual(19_999);
    expect(n.total).toBeLessThanOrEqual(20_002);
    const mdeMean = minimumDetectableEffectMean({ n: 10_000, baselineMean: 3000, standardDeviation: 5000, holdoutRatio: 0.2 });
    const nMean = requiredSampleSizeMean({ standardDeviation: 5000, absoluteEffect: mdeMean.absolute, holdoutRatio: 0.2 });
    expect(nMean.total).toBeGreaterThanOrEqual(10_000);
    expect(nMean.total).toBeLessThanOrEqual(10_002);
    expect(mdeMean.relative).toBeCloseTo(mdeMean.absolute / 3000, 12);
  });

  it("a smaller holdout needs a bigger segment", () => {
    const balanced = requiredSampleSizeProportion({ baselineRate: 0.1, absoluteEffect: 0.02, holdoutRatio: 0.5 });
    const small = requiredSampleSizeProportion({ baselineRate: 0.1, absoluteEffect: 0.02, holdoutRatio: 0.1 });
    expect(small.total).toBeGreaterThan(balanced.total * 2);
  });

  it("achieves about 80% power at the MDE (seeded simulation)", () => {
    const mde = minimumDetectableEffectProportion({ n: 8000, baselineRate: 0.1, holdoutRatio: 0.5 });
    const rand = mulberry32(3);
    let rejected = 0;
    const reps = 1000;
    for (let i = 0; i < reps; i += 1) {
      let t = 0;
      let c = 0;
      for (let k = 0; k < 4000; k += 1) {
        if (rand() < 0.1 + mde.absolute) t += 1;
        if (rand() < 0.1) c += 1;
      }
      if (twoProportionTest({ n: 4000, conversions: t }, { n: 4000, conversions: c }).pValue < 0.05) rejected += 1;
    }
    expect(rejected / reps).toBeGreaterThan(0.76);
    expect(rejected / reps).toBeLessThan(0.84);
  });

  it("rejects a holdout ratio outside (0, 1)", () => {
    expect(() => minimumDetectableEffectProportion({ n: 100, baselineRate: 0.1, holdoutRatio: 1 })).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
