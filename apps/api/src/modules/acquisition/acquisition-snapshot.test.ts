// Acquisition economics against a real snapshot of the demo population: predicted CLV, LTV and
// the projected payback of a cohort too young to have paid back, each recomputed independently.
import { testDatabaseKinds, createTestDb, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedScoredDemo } from "../../testing/demo.ts";
import { acquisitionEconomics, acquisitionEconomicsByGrouping } from "./acquisition.service.ts";

describe.each(testDatabaseKinds())("acquisition economics with a snapshot on %s", (kind) => {
  let db: TestDatabase;
  let snapshotId: number;
  beforeAll(async () => {
    db = await createTestDb(kind);
    snapshotId = (await seedScoredDemo(db, 600)).id;
  }, 300_000);
  afterAll(async () => {
    await db.destroy();
  });

  it("adds the snapshot's predicted CLV to realised gross profit per channel", async () => {
    const result = await acquisitionEconomics(db.query, { groupBy: "channel", cohortUnit: "month" });
    expect(result.snapshotId).toBe(snapshotId);
    expect(result.horizonMonths).toBe(12);
    const expected = await db.query<{ channel: string; customers: number; cost: number; realised: number; predicted: number }>(
      `select c.acquisition_channel as channel, count(*)::int as customers,
              coalesce(sum(c.acquisition_cost), 0)::float8 + coalesce((select sum(amount) from channel_spend sp where sp.channel = c.acquisition_channel), 0)::float8 as cost,
              coalesce(sum((select sum(o.amount * coalesce(o.gross_margin, 0.3)) from orders o
                              where o.customer_id = c.id and o.status = 'completed' and o.ordered_at < s.as_of)), 0)::float8 as realised,
              coalesce(sum(sc.predicted_clv), 0)::float8 as predicted
         from customers c cross join (select as_of from snapshots where id = $1) s
         left join customer_scores sc on sc.customer_id = c.id and sc.snapshot_id = $1
        where c.acquired_at < s.as_of
        group by c.acquisition_channel order by 1`,
      [snapshotId],
    );
    expect(result.groups.map((g) => g.channel)).toEqual(expected.map((e) => e.channel));
    for (const e of expected) {
      const g = result.groups.find((x) => x.channel === e.channel)!;
      expect(g.customers, e.channel).toBe(e.customers);
      expect(g.totalCac, e.channel).toBeCloseTo(e.cost, 4);
      expect(g.realisedGrossProfit, e.channel).toBeCloseTo(e.realised, 4);
      expect(g.predictedClv, e.channel).toBeCloseTo(e.predicted, 4);
      expect(g.predictedClv, e.channel).toBeGreaterThan(0);
      expect(g.ltv).toBeCloseTo(e.realised + e.predicted, 4);
      if (e.cost > 0) expect(g.ltvToCac).toBeCloseTo((e.realised + e.predicted) / e.cost, 9);
    }
  });

  it("gives every grouping the same figures whether computed alone or together in one statement", async () => {
    const range = { from: new Date("2024-07-01T00:00:00+09:00"), to: new Date("2025-04-01T00:00:00+09:00") };
    for (const input of [{ cohortUnit: "month" as const }, { cohortUnit: "quarter" as const, ...range }]) {
      const together = await acquisitionEconomicsByGrouping(db.query, { ...input, groupBys: ["channel", "cohort", "channel_cohort"] });
      for (const groupBy of ["channel", "cohort", "channel_cohort"] as const) {
        const alone = await acquisitionEconomics(db.query, { ...input, groupBy });
        const both = together.get(groupBy)!;
        expect(both.groups.length, groupBy).toBeGreaterThan(1);
        expect(both.groups.map((g) => [g.channel, g.cohort, g.customers, g.curve.length, g.paybackMonth])).toEqual(
          alone.groups.map((g) => [g.channel, g.cohort, g.customers, g.curve.length, g.paybackMonth]),
        );
        both.groups.forEach((g, i) => {
          const a = alone.groups[i]!;
          expect(g.ltv).toBeCloseTo(a.ltv, 6);
          expect(g.totalCac).toBeCloseTo(a.totalCac, 6);
          if (!a.ltvToCacInterval) expect(g.ltvToCacInterval).toBeNull();
          else {
            expect(g.ltvToCacInterval?.lower).toBeCloseTo(a.ltvToCacInterval.lower, 9);
            expect(g.ltvToCacInterval?.upper).toBeCloseTo(a.ltvToCacInterval.upper, 9);
          }
          g.curve.forEach((p, k) => expect(p.cumulativeGrossProfitPerCustomer).toBeCloseTo(a.curve[k]!.cumulativeGrossProfitPerCustomer, 6));
        });
      }
    }
  });

  it("projects the payback of the last cohort from expected purchases × spend", async () => {
    // Customers acquired in May 2025: the snapshot is as of 2025-06-01 JST, so only their month 0 is complete.
    const range = { from: new Date("2025-05-01T00:00:00+09:00"), to: new Date("2025-06-01T00:00:00+09:00") };
    const result = await acquisitionEconomics(db.query, { groupBy: "cohort", cohortUnit: "month", ...range });
    expect(result.groups).toHaveLength(1);
    const g = result.groups[0]!;
    expect(g.cohort).toBe("2025-05");
    const [row] = await db.query<{ n: number; per_month: number; cac: number; gp: number }>(
      `select count(*)::int as n,
              sum(coalesce(sc.expected_purchases * sc.expected_spend::float8, 0)) * 0.3 / 12 / count(*) as per_month,
              (sum(coalesce(c.acquisition_cost, 0)) + coalesce((select sum(amount) from channel_spend where month = '2025-05-01'), 0))::float8 / count(*) as cac,
              sum((select coalesce(sum(o.amount * 0.3), 0) from orders o where o.customer_id = c.id and o.status = 'completed'))::float8 / count(*) as gp
         from customers c left join customer_scores sc on sc.customer_id = c.id and sc.snapshot_id = $1
        where c.acquired_at >= $2 and c.acquired_at < $3`,
      [snapshotId, range.from.toISOString(), range.to.toISOString()],
    );
    expect(g.curve).toHaveLength(1);
    expect(g.curve[0]).toMatchObject({ monthsSince: 0, customers: row!.n });
    expect(g.curve[0]!.cumulativeGrossProfitPerCustomer).toBeCloseTo(row!.gp, 6);
    expect(g.meanCac).toBeCloseTo(row!.cac, 6);
    expect(row!.gp).toBeLessThan(row!.cac); // the cohort has not paid back in its first month…
    expect(g.paybackMonth).toBeNull();
    // …so each further month adds the model's monthly profit; the first month whose end exceeds CAC.
    let month = 0;
    while (row!.gp + month * row!.per_month <= row!.cac) month++;
    expect(g.projectedPaybackMonth).toBe(month);
    expect(month).toBeGreaterThan(0);
  });
});
