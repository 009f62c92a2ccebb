import { describe, expect, it } from "vitest";
import { assignDeciles, decileTable } from "./deciles.ts";

describe("deciles", () => {
  const customers = Array.from({ length: 23 }, (_, i) => ({ customerId: `c${String(i).padStart(2, "0")}`, revenue: (i + 1) * 1000, orders: i + 1 }));

  it("splits into ten groups whose sizes differ by at most one, top spenders in decile 1", () => {
    const table = decileTable(customers);
    expect(table.map((d) => d.customers)).toEqual([3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
    expect(table[0]).toMatchObject({ decile: 1, revenue: 23_000 + 22_000 + 21_000, maxRevenue: 23_000, minRevenue: 21_000 });
    expect(table[9]?.cumulativeShare).toBeCloseTo(1, 12);
    expect(table.reduce((s, d) => s + d.share, 0)).toBeCloseTo(1, 12);
    // Each customer's order value is 1,000.
    for (const d of table) expect(d.meanOrderValue).toBeCloseTo(1000, 10);
    const assigned = assignDeciles(customers);
    expect(assigned[0]).toEqual({ customerId: "c22", decile: 1 });
    expect(assigned.at(-1)).toEqual({ customerId: "c00", decile: 10 });
  });

  it("keeps the split deterministic under ties by customer id", () => {
    const tied = ["b", "a", "c"].map((customerId) => ({ customerId, revenue: 5, orders: 1 }));
    expect(assignDeciles(tied).map((d) => d.customerId)).toEqual(["a", "b", "c"]);
  });

  it("handles fewer than ten customers and zero revenue", () => {
    const table = decileTable([{ customerId: "a", revenue: 0, orders: 0 }]);
    expect(table[0]).toMatchObject({ customers: 1, share: 0, meanOrderValue: 0 });
    expect(table.slice(1).every((d) => d.customers === 0)).toBe(true);
  });
});
