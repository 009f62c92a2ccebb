import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from "./btyd/bg-nbd.ts";
import { paretoNbdDert, paretoNbdProbabilityAlive } from "./btyd/pareto-nbd.ts";
import { clvDert, clvDiscountedMonthly, conditionalExpectedPurchases, continuousDiscountRate, createPredictor } from "./clv.ts";
import type { BtydModel } from "./clv.ts";
import { historicalClv } from "./historical-clv.ts";

const bg: BtydModel = { kind: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
const pareto: BtydModel = { kind: "pareto-nbd", params: { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 } };
const customer = { x: 2, tx: 30.43, T: 38.86 };

describe("clvDiscountedMonthly (lifetimes convention)", () => {
  it("sums monthly increments of E[Y(t)] (months of 30 days = 30/7 weeks), discounted per month", () => {
    const result = clvDiscountedMonthly(bg, customer, { expectedSpend: 35, months: 12, monthlyDiscountRate: 0.01, margin: 0.3 });
    let expected = 0;
    for (let i = 1; i <= 12; i += 1) {
      const inc =
        bgNbdConditionalExpectedPurchases(bg.params, (30 * i) / 7, 2, 30.43, 38.86) -
        bgNbdConditionalExpectedPurchases(bg.params, (30 * (i - 1)) / 7, 2, 30.43, 38.86);
      expected += (inc * 35 * 0.3) / 1.01 ** i;
    }
    expect(result.clv).toBeCloseTo(expected, 10);
    expect(result.monthly).toHaveLength(12);
    expect(result.expectedPurchases).toBeCloseTo(bgNbdConditionalExpectedPurchases(bg.params, 360 / 7, 2, 30.43, 38.86), 10);
  });

  it("gives the same value with a day-unit model whose α is in days", () => {
    const dayModel: BtydModel = { kind: "bg-nbd", params: { ...bg.params, alpha: bg.params.alpha * 7 } };
    const weeks = clvDiscountedMonthly(bg, customer, { expectedSpend: 10 });
    const days = clvDiscountedMonthly(dayModel, { x: 2, tx: 30.43 * 7, T: 38.86 * 7 }, { expectedSpend: 10, timeUnit: "day" });
    expect(days.clv).toBeCloseTo(weeks.clv, 8);
  });

  it("is zero with no horizon and decreases with the discount rate", () => {
    expect(clvDiscountedMonthly(bg, customer, { expectedSpend: 10, months: 0 }).clv).toBe(0);
    const low = clvDiscountedMonthly(pareto, customer, { expectedSpend: 10, monthlyDiscountRate: 0 }).clv;
    const high = clvDiscountedMonthly(pareto, customer, { expectedSpend: 10, monthlyDiscountRate: 0.05 }).clv;
    expect(high).toBeLessThan(low);
  });
});

describe("clvDert", () => {
  it("uses the Pareto/NBD closed form and says so", () => {
    const delta = continuousDiscountRate(0.15);
    expect(delta).toBeCloseTo(0.0027, 4);
    const result = clvDert(pareto, customer, { expectedSpend: 40, continuousDiscountRate: delta, margin: 0.5 });
    expect(result.method).toBe("pareto-nbd-closed-form");
    expect(result.dert).toBe(paretoNbdDert(pareto.params, 2, 30.43, 38.86, delta));
    expect(result.clv).toBeCloseTo(result.dert * 20, 10);
  });

  it("uses the numerical BG/NBD DERT for a BG/NBD model and says so", () => {
    const result = clvDert(bg, customer, { expectedSpend: 40, continuousDiscountRate: 0.0027 });
    expect(result.method).toBe("bg-nbd-numerical-integral");
    // A longer horizon than one year: DERT exceeds the 52-week expectation.
    expect(result.dert).toBeGreaterThan(bgNbdConditionalExpectedPurchases(bg.params, 52, 2, 30.43, 38.86));
  });
});

describe("historicalClv", () => {
  it("is AOV × frequency per year × lifespan × margin − acquisition cost", () => {
    expect(historicalClv({ averageOrderValue: 5000, purchaseFrequencyPerYear: 4, expectedLifespanYears: 3, margin: 0.3, acquisitionCost: 2000 })).toBe(16000);
    expect(historicalClv({ averageOrderValue: 5000, purchaseFrequencyPerYear: 4, expectedLifespanYears: 3, margin: 0.3 })).toBe(18000);
  });

  it("rejects non-finite or negative inputs", () => {
    expect(() => historicalClv({ averageOrderValue: -1, purchaseFrequencyPerYear: 1, expectedLifespanYears: 1, margin: 1 })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});

describe("createPredictor (batch predictions sharing work per x and T)", () => {
  // Histories sharing x and T with different t_x reuse the cached factor: each must still get its own numbers.
  const histories = [
    { x: 0, tx: 0, T: 38.86 },
    { x: 2, tx: 30.43, T: 38.86 },
    { x: 2, tx: 5, T: 38.86 },
    { x: 2, tx: 38.86, T: 38.86 },
    { x: 7, tx: 20, T: 38.86 },
    { x: 1, tx: 0.5, T: 1 },
    { x: 30, tx: 150, T: 156 },
  ];
  for (const model of [bg, pareto]) {
    it(`gives ${model.kind}'s one-customer numbers for P(alive), E[Y(horizon)] and the discounted monthly sum`, () => {
      const predict = createPredictor(model, { horizon: 52, months: 12, monthlyDiscountRate: 0.01 });
      for (const h of histories) {
        const p = predict(h);
        const alive = model.kind === "bg-nbd" ? bgNbdProbabilityAlive(model.params, h.x, h.tx, h.T) : paretoNbdProbabilityAlive(model.params, h.x, h.tx, h.T);
        expect(p.pAlive).toBe(alive);
        expect(p.expectedPurchases).toBeCloseTo(conditionalExpectedPurchases(model, 52, h), 12);
        expect(p.discountedPurchases).toBeCloseTo(clvDiscountedMonthly(model, h, { expectedSpend: 1, months: 12, monthlyDiscountRate: 0.01 }).clv, 12);
      }
      // Asked again in another order, the cached factors give the same answers.
      for (const h of [...histories].reverse()) expect(predict(h).discountedPurchases).toBeCloseTo(clvDiscountedMonthly(model, h, { expectedSpend: 1, months: 12, monthlyDiscountRate: 0.01 }).clv, 12);
    });
  }

  it("works in days and refuses an invalid history or horizon", () => {
    const dayModel: BtydModel = { kind: "bg-nbd", params: { ...bg.params, alpha: bg.params.alpha * 7 } };
    const predict = createPredictor(dayModel, { horizon: 360, months: 12, monthlyDiscountRate: 0.01, timeUnit: "day" });
    const h = { x: 2, tx: 30.43 * 7, T: 38.86 * 7 };
    expect(predict(h).discountedPurchases).toBeCloseTo(clvDiscountedMonthly(dayModel, h, { expectedSpend: 1, timeUnit: "day" }).clv, 12);
    expect(() => predict({ x: 2, tx: 50, T: 40 })).toThrow();
    expect(() => createPredictor(bg, { horizon: -1, months: 12, monthlyDiscountRate: 0.01 })).toThrow(/horizon/);
    expect(() => createPredictor(bg, { horizon: 52, months: -1, monthlyDiscountRate: 0.01 })).toThrow(/months/);
  });

  it("sums a fractional horizon with a last partial month, and selects the month length", () => {
    const h = { x: 2, tx: 30.43, T: 38.86 };
    // 39 weeks = 9.1 months of 30 days: nine whole months and a partial one ending at 39 weeks.
    const months = (39 * 7) / 30;
    const result = clvDiscountedMonthly(bg, h, { expectedSpend: 1, months, monthlyDiscountRate: 0 });
    expect(result.monthly.map((m) => m.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, months]);
    // Undiscounted, the sum is E[Y(39 weeks)] itself.
    expect(result.clv).toBeCloseTo(conditionalExpectedPurchases(bg, 39, h), 12);
    // 4.345-week months are 30.415 days: 12 of them reach further than 12 of 30 days.
    const lifetimes = clvDiscountedMonthly(bg, h, { expectedSpend: 1, months: 12, monthlyDiscountRate: 0, monthConvention: "4.345-week" });
    expect(lifetimes.expectedPurchases).toBeCloseTo(conditionalExpectedPurchases(bg, 12 * 4.345, h), 12);
    const predictor = createPredictor(bg, { horizon: 52, months: 12, monthlyDiscountRate: 0.01, monthConvention: "4.345-week" });
    expect(predictor(h).discountedPurchases).toBeCloseTo(
      clvDiscountedMonthly(bg, h, { expectedSpend: 1, months: 12, monthConvention: "4.345-week" }).clv,
      12,
    );
  });
});
