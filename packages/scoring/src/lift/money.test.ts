import { describe, expect, it } from "vitest";
import { campaignEconomics } from "./money.ts";

describe("campaignEconomics", () => {
  it("scales the per-customer lift to incremental revenue, gross profit, cost and ROI", () => {
    const r = campaignEconomics({
      revenueLiftPerCustomer: 200,
      revenueLiftCi: { lower: 50, upper: 350 },
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
  });
});
