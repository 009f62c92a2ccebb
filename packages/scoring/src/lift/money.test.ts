import { describe, expect, it } from "vitest";
import { mulberry32 } from "../testing/cdnow.ts";
import { welchTest } from "./mean.ts";
import { campaignEconomics } from "./money.ts";

describe("campaignEconomics", () => {
  it("scales the per-customer lift to incremental revenue, gross profit, cost, net profit and ROI, each with its interval", () => {
    const r = campaignEconomics({
      revenueLiftPerCustomer: 200,
      revenueLiftCi: { lower: 50, upper: 350 },
      revenueLiftStandardError: 76.53,
      degreesOfFreedom: 5000,
      treatedCustomers: 9000,
      margin: 0.4,
      costPerContact: 10,
      fixedCost: 100_000,
    });
    expect(r.incrementalRevenue).toBe(1_800_000);
    expect(r.incrementalGrossProfit).toBe(720_000);
    expect(r.campaignCost).toBe(190_000);
    expect(r.roi).toBeCloseTo((720_000 - 190_000) / 190_000, 12);
    expect(r.incrementalRevenueCi).toEqual({ lower: 450_000, upper: 3_150_000 });
    expect(r.incrementalGrossProfitCi).toEqual({ lower: 180_000, upper: 1_260_000 });
    expect(r.netProfitCi).toEqual({ lower: -10_000, upper: 1_070_000 });
    expect(r.roiCi?.lower).toBeCloseTo(-10_000 / 190_000, 12);
    // Break-even lift 190000 / (9000 × 0.4) = 52.78; P(lift > 52.78) with t(5000), se 76.53:
    // scipy: t.sf((52.777…-200)/76.53, 5000) = 0.97280.
    expect(r.probabilityRoiPositive).toBeCloseTo(0.9728, 3);
    // The ROI interval crosses 0: not a win, however likely.
    expect(r.isProfitable).toBe(false);
  });

  it("claims no interval, probability or verdict from revenue without spread (nobody has bought yet)", () => {
    const r = campaignEconomics({
      revenueLiftPerCustomer: 0,
      revenueLiftCi: { lower: 0, upper: 0 },
      revenueLiftStandardError: 0,
      degreesOfFreedom: 1,
      treatedCustomers: 500,
      margin: 0.3,
      costPerContact: 20,
      fixedCost: 10_000,
    });
    expect(r.roi).toBe(-1);
    expect([r.roiCi, r.netProfitCi, r.incrementalRevenueCi, r.incrementalGrossProfitCi, r.probabilityRoiPositive]).toEqual([null, null, null, null, null]);
    expect(r.isProfitable).toBe(false);
  });

  it("a null campaign's ROI interval covers the planted ROI of −100% about 95% of the time, and is rarely called profitable", () => {
    const rand = mulberry32(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    let covered = 0;
    let profitable = 0;
    const reps = 1000;
    for (let i = 0; i < reps; i += 1) {
      const draw = (n: number) => {
        let sum = 0;
        let sumSquares = 0;
        for (let k = 0; k < n; k += 1) {
          const v = Math.max(0, 500 + 2000 * normal());
          sum += v;
          sumSquares += v * v;
        }
        return { n, sum, sumSquares };
      };
      const lift = welchTest(draw(900), draw(100));
      const r = campaignEconomics({
        revenueLiftPerCustomer: lift.difference,
        revenueLiftCi: lift.differenceCi,
        revenueLiftStandardError: lift.standardError,
        degreesOfFreedom: lift.degreesOfFreedom,
        treatedCustomers: 900,
        margin: 0.3,
        costPerContact: 20,
        fixedCost: 0,
      });
      const roiCi = r.roiCi as { lower: number; upper: number };
      if (roiCi.lower <= -1 && -1 <= roiCi.upper) covered += 1;
      if (r.isProfitable) profitable += 1;
    }
    expect(covered / reps).toBeGreaterThan(0.93);
    expect(covered / reps).toBeLessThan(0.97);
    // Profitable needs the whole interval above break-even: at most the one-sided 2.5% tail.
    expect(profitable / reps).toBeLessThan(0.04);
  }, 30_000);
});
