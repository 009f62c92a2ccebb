import { describe, expect, it } from "vitest";
import { mulberry32 } from "@ltvloop/scoring/random";
import { bootstrapRatioInterval } from "./acquisition.bootstrap.ts";
import { projectPayback } from "./acquisition.service.ts";
import { readCampaignMoney } from "./retention-vs-acquisition.service.ts";

/** Exponential draws with the given mean. */
const exponential = (uniform: () => number, mean: number) => -Math.log(1 - uniform()) * mean;

describe("LTV/CAC bootstrap interval", () => {
  it("covers the true ratio of means about 95% of the time (simulation)", () => {
    // Customers' LTV ~ Exponential(mean 5000) (skewed, like real LTV), CAC ~ 1000 + Exponential(mean 1000):
    // the true LTV/CAC (ratio of means) is 5000 / 2000 = 2.5.
    const uniform = mulberry32(99);
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const n = 200;
      const ltv = Array.from({ length: n }, () => exponential(uniform, 5000));
      const cac = Array.from({ length: n }, () => 1000 + exponential(uniform, 1000));
      const interval = bootstrapRatioInterval(ltv, cac, { resamples: 400, seed: t + 1 });
      if (interval && interval.lower <= 2.5 && 2.5 <= interval.upper) covered++;
    }
    // Binomial(300, 0.95) lies in [0.91, 0.985] with probability above 0.99.
    expect(covered / trials).toBeGreaterThan(0.91);
    expect(covered / trials).toBeLessThan(0.985);
  });

  it("is repeatable for a seed, brackets the estimate and narrows with more customers", () => {
    const uniform = mulberry32(5);
    const make = (n: number) => ({
      ltv: Array.from({ length: n }, () => exponential(uniform, 3000)),
      cac: Array.from({ length: n }, () => 1500),
    });
    const small = make(50);
    const large = make(5000);
    expect(bootstrapRatioInterval(small.ltv, small.cac)).toEqual(bootstrapRatioInterval(small.ltv, small.cac));
    const a = bootstrapRatioInterval(small.ltv, small.cac)!;
    const b = bootstrapRatioInterval(large.ltv, large.cac)!;
    const estimate = small.ltv.reduce((s, v) => s + v, 0) / (1500 * 50);
    expect(a.lower).toBeLessThan(estimate);
    expect(a.upper).toBeGreaterThan(estimate);
    expect(b.upper - b.lower).toBeLessThan((a.upper - a.lower) / 5);
  });

  it("has no interval without cost or with a single customer", () => {
    expect(bootstrapRatioInterval([100, 200], [0, 0])).toBeNull();
    expect(bootstrapRatioInterval([100], [50])).toBeNull();
    expect(() => bootstrapRatioInterval([1, 2], [1])).toThrow(/differ/);
  });
});

describe("payback projection", () => {
  it("continues the curve at the model's monthly profit until it exceeds CAC", () => {
    // 400 earned by month 5, CAC 1000, 150 a month: 550 at 6, 700, 850, 1000 at 9 (not above), 1150 at 10.
    expect(projectPayback({ monthsSince: 5, gp: 400, cac: 1000 }, 150)).toBe(10);
    // 100 a month: 1000 at 11 is not above, 1100 at 12 is.
    expect(projectPayback({ monthsSince: 5, gp: 400, cac: 1000 }, 100)).toBe(12);
    // Nothing observed yet (month -1), CAC 300 at 100 a month → month 3.
    expect(projectPayback({ monthsSince: -1, gp: 0, cac: 300 }, 100)).toBe(3);
    expect(projectPayback({ monthsSince: 5, gp: 400, cac: 1000 }, 0)).toBeNull();
    expect(projectPayback({ monthsSince: 5, gp: 400, cac: 1000 }, 1)).toBeNull(); // beyond 120 months
    expect(projectPayback({ monthsSince: 5, gp: 1400, cac: 1000 }, 100)).toBeNull(); // already paid back
  });
});

describe("stored campaign results", () => {
  it("reads the money fields that exist and ignores the rest", () => {
    const stored = {
      windowFrom: "2025-01-01T00:00:00.000Z",
      windowTo: "2025-01-31T00:00:00.000Z",
      groups: [{ group: "treatment", n: 900 }, { group: "control", n: 100 }],
      money: { incrementalGrossProfit: 120000, incrementalGrossProfitCi: { lower: 20000, upper: 220000 }, campaignCost: 60000, margin: 0.3, marginSource: "settings", roiCi: { lower: 0, upper: 1 } },
    };
    expect(readCampaignMoney(stored)).toEqual({
      grossProfit: 120000,
      interval: { lower: 20000, upper: 220000 },
      cost: 60000,
      margin: 0.3,
      marginSource: "settings",
      treated: 900,
      windowDays: 30,
    });
    expect(readCampaignMoney({ money: { incrementalGrossProfit: 5, campaignCost: 2, incrementalGrossProfitCi: null } })).toMatchObject({ interval: null, treated: 0, windowDays: null });
    expect(readCampaignMoney({ money: { incrementalGrossProfit: "5" } })).toBeNull();
    expect(readCampaignMoney(null)).toBeNull();
    expect(readCampaignMoney([])).toBeNull();
  });
});
