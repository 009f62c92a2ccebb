import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentProgress } from "../../cli/progress.ts";
import { DEMO_TRUTH, generateDemoCustomers } from "./demo-data.ts";
import { ACQUISITION_CHANNELS } from "./demo-names.ts";
import { ordersWatermark } from "../data-quality/data-quality.service.ts";
import { DEMO_IMPORT_LABEL, seedDemoData } from "./seed.service.ts";

const AS_OF = new Date("2025-06-01T00:00:00+09:00");

/** Everything a seed writes, in a stable order, as one comparable digest. */
async function digest(db: TestDatabase): Promise<unknown> {
  const [row] = await db.query<{ customers: string; orders: string; rollups: string }>(
    `select (select md5(string_agg(concat_ws('|', external_id, name, email, attributes::text, acquisition_channel, acquisition_cost,
                    acquired_at, email_opt_in, line_opt_in, sms_opt_in, dm_opt_in), ',' order by external_id)) from customers) as customers,
            (select md5(string_agg(concat_ws('|', o.external_id, c.external_id, o.ordered_at, o.amount, o.status, o.channel, o.items), ',' order by o.external_id))
               from orders o join customers c on c.id = o.customer_id) as orders,
            (select md5(string_agg(concat_ws('|', c.external_id, r.first_order_at, r.last_order_at, r.order_count, r.purchase_days, r.revenue), ',' order by c.external_id))
               from customer_rollups r join customers c on c.id = r.customer_id) as rollups`,
  );
  return row;
}

describe("demo data generator", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const take = (seed: number) => [...generateDemoCustomers({ seed, customers: 200, years: 2, asOf: AS_OF })];
    expect(take(5)).toEqual(take(5));
    expect(take(5)).not.toEqual(take(6));
  });

  it("draws a realistic population: orders before as-of, refunds and cancellations of a few percent, JPY amounts", () => {
    let orders = 0;
    let refunded = 0;
    let cancelled = 0;
    let oneTimers = 0;
    const customers = [...generateDemoCustomers({ seed: 9, customers: 3000, years: 3, asOf: AS_OF })];
    for (const c of customers) {
      expect(c.email).toMatch(/@example\.com$/);
      expect(c.orders[0]?.orderedAt.getTime()).toBe(c.acquiredAt.getTime());
      if (c.orders.length === 1) oneTimers++;
      for (const o of c.orders) {
        orders++;
        expect(o.orderedAt.getTime()).toBeLessThan(AS_OF.getTime());
        expect(Number.isInteger(o.amount) && o.amount >= 100).toBe(true);
        if (o.status === "refunded") refunded++;
        if (o.status === "cancelled") cancelled++;
      }
    }
    expect(refunded / orders).toBeGreaterThan(DEMO_TRUTH.refundRate * 0.7);
    expect(refunded / orders).toBeLessThan(DEMO_TRUTH.refundRate * 1.3);
    expect(cancelled / orders).toBeGreaterThan(DEMO_TRUTH.cancelRate * 0.6);
    expect(cancelled / orders).toBeLessThan(DEMO_TRUTH.cancelRate * 1.4);
    expect(oneTimers / customers.length).toBeGreaterThan(0.1);
    expect(orders / customers.length).toBeGreaterThan(4);
  });

  it("gives the acquisition page a story: social's customers rarely return and do not earn their cost; the store's cost most and pay back", () => {
    const byChannel = new Map<string, { n: number; repeaters: number; grossProfit: number; cost: number }>();
    for (const c of generateDemoCustomers({ seed: 21, customers: 8000, years: 3, asOf: AS_OF })) {
      const g = byChannel.get(c.acquisitionChannel) ?? { n: 0, repeaters: 0, grossProfit: 0, cost: 0 };
      const completed = c.orders.filter((o) => o.status === "completed");
      g.n++;
      if (completed.length > 1) g.repeaters++;
      g.grossProfit += completed.reduce((sum, o) => sum + o.amount * 0.3, 0);
      g.cost += c.acquisitionCost;
      byChannel.set(c.acquisitionChannel, g);
    }
    const repeatRate = (key: string) => byChannel.get(key)!.repeaters / byChannel.get(key)!.n;
    const profitPerYen = (key: string) => byChannel.get(key)!.grossProfit / byChannel.get(key)!.cost;
    const paid = ACQUISITION_CHANNELS.filter((c) => c.cost > 0).map((c) => c.key);
    expect(repeatRate("social")).toBeLessThan(0.3);
    for (const key of paid.filter((k) => k !== "social")) {
      expect(repeatRate(key), key).toBeGreaterThan(0.6);
      expect(profitPerYen(key), key).toBeGreaterThan(profitPerYen("social"));
    }
    expect(profitPerYen("social")).toBeLessThan(1); // realised gross profit has not covered the cost
    expect(Math.max(...ACQUISITION_CHANNELS.map((c) => c.cost))).toBe(ACQUISITION_CHANNELS.find((c) => c.key === "store")!.cost);
    expect(profitPerYen("store")).toBeGreaterThan(1.5);
  });
});

describe.each(testDatabaseKinds())("seeding on %s", (kind) => {
  let first: TestDatabase;
  let second: TestDatabase;
  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDb(kind), createTestDb(kind)]);
  });
  afterAll(async () => {
    await Promise.all([first.destroy(), second.destroy()]);
  });

  it("writes the same data for the same seed, with correct rollups", async () => {
    const options = { seed: 11, customers: 400, years: 2, asOf: AS_OF, progress: silentProgress };
    const a = await seedDemoData(first, options);
    const b = await seedDemoData(second, options);
    expect(a.orders).toBe(b.orders);
    expect(await digest(first)).toEqual(await digest(second));
    const [check] = await first.query<{ bad: number }>(
      `select count(*)::int as bad from customer_rollups r
         join (select customer_id, count(*)::int as n, sum(amount) as revenue from orders where status = 'completed' group by customer_id) o
           on o.customer_id = r.customer_id
        where r.order_count <> o.n or r.revenue <> o.revenue`,
    );
    expect(check?.bad).toBe(0);
  });

  it("stores paid search's cost as monthly channel spend and the other channels' per customer", async () => {
    const [row] = await first.query<{ spend: string; customers: number; costed: number; months: number }>(
      `select (select sum(amount) from channel_spend where channel = 'paid_search') as spend,
              (select count(*)::int from customers where acquisition_channel = 'paid_search') as customers,
              (select count(*)::int from customers where acquisition_channel = 'paid_search' and acquisition_cost is not null) as costed,
              (select count(*)::int from channel_spend) as months`,
    );
    const paid = ACQUISITION_CHANNELS.find((c) => c.key === "paid_search")!;
    expect(Number(row?.spend)).toBe(paid.cost * row!.customers);
    expect(row?.costed).toBe(0);
    expect(row?.months).toBeGreaterThan(20);
    const [others] = await first.query<{ uncosted: number }>(
      "select count(*)::int as uncosted from customers where acquisition_channel <> 'paid_search' and acquisition_cost is null",
    );
    expect(others?.uncosted).toBe(0);
  });

  it("refuses to mix demo data into a database that has customers", async () => {
    await expect(seedDemoData(first, { seed: 1, customers: 10, years: 1, asOf: AS_OF, progress: silentProgress })).rejects.toThrow(
      /already has 400 customers/,
    );
    const [row] = await first.query<{ n: number }>("select count(*)::int as n from customers");
    expect(row?.n).toBe(400);
  });

  it("runs the demo loyalty programme unless told not to, and the same customers and orders either way", async () => {
    const loyaltyRows = async (db: TestDatabase) =>
      (await db.query<{ n: number }>("select (select count(*) from loyalty_programmes) + (select count(*) from loyalty_point_entries) as n"))[0]?.n;
    expect(Number(await loyaltyRows(first))).toBeGreaterThan(0);
    await seedDemoData(second, { seed: 11, customers: 400, years: 2, asOf: AS_OF, reset: true, loyalty: false, progress: silentProgress });
    expect(Number(await loyaltyRows(second))).toBe(0);
    expect(await digest(second)).toEqual(await digest(first));
  });

  it("records the CLI's demo in the import history, so its orders are complete up to the as-of; a reset forgets earlier imports", async () => {
    await seedDemoData(second, { seed: 11, customers: 400, years: 2, asOf: AS_OF, reset: true, loyalty: false, importHistory: true, progress: silentProgress });
    const runs = await second.query<{ kind: string; rows: number; covered_from: Date | null; covered_to: Date | null; label: string }>(
      "select kind, rows, covered_from, covered_to, label from import_runs order by kind",
    );
    const [orders] = await second.query<{ n: number; first: Date }>("select count(*)::int as n, min(ordered_at) as first from orders");
    expect(runs.map((r) => [r.kind, r.rows, r.label])).toEqual([
      ["customers", 400, DEMO_IMPORT_LABEL],
      ["orders", orders?.n, DEMO_IMPORT_LABEL],
    ]);
    expect(runs[1]?.covered_from?.getTime()).toBe(orders?.first.getTime());
    const watermark = await ordersWatermark(second.query);
    expect(watermark.source).toBe("imports");
    expect(watermark.ordersCompleteUntil?.getTime()).toBe(AS_OF.getTime());

    await seedDemoData(second, { seed: 11, customers: 400, years: 2, asOf: AS_OF, reset: true, loyalty: false, progress: silentProgress });
    expect(await second.query("select 1 from import_runs")).toHaveLength(0);
    expect((await ordersWatermark(second.query)).source).toBe("unknown");
  });
});
