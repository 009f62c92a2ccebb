// Statements per page: the dashboard's GraphQL operations (as the admin's home page sends them),
// the customer list and the customer detail each cost a small number of SQL statements, the same
// number when the data doubles — they read rollups and indexes, never one statement per row.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { DEMO_AS_OF_DATE, seedScoredDemo } from "../../testing/demo.ts";
import { importOrders } from "../import/orders-import.service.ts";
import { refreshRollups } from "../orders/rollups.service.ts";

/** What the admin's dashboard (home) asks for when it opens (apps/admin/src/features/dashboard). */
const DASHBOARD: { query: string; variables?: Record<string, unknown> }[] = [
  {
    query: `query KpiOverview($from: DateTimeISO!, $to: DateTimeISO!) { kpiOverview(from: $from, to: $to, granularity: MONTH) {
      currency meanClv periods { periodStart customers activeCustomers repeatRate orders revenue averageOrderValue purchaseFrequency retentionRate churnRate } } }`,
    variables: { from: "2024-06-01T00:00:00+09:00", to: `${DEMO_AS_OF_DATE}T00:00:00+09:00` },
  },
  { query: `query RfmSegmentSummary { rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPredictedClv meanPAlive } }` },
  { query: `query LatestSnapshot { latestSnapshot { id asOf finishedAt customerCount } }` },
  {
    query: `query CohortRetention($from: DateTimeISO, $to: DateTimeISO, $maxMonths: Int! = 12) { cohortRetention(from: $from, to: $to, maxMonths: $maxMonths) {
      maxMonths cohorts { cohortMonth size cells { monthsSince activeCustomers retention } } } }`,
  },
];
const LIST = `query { customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }) {
  totalCount nodes { id externalId name revenue score { rfmSegment predictedClv pAlive decile } } } }`;
const DETAIL = `query($id: ID!) { customer(id: $id) { id name score { predictedClv pAlive rfmSegment } orders(first: 20) { totalCount nodes { id orderedAt amount status } }
  scoreHistory { snapshotId predictedClv } segmentHistory { segmentName } campaignExposures { campaignId } } }`;

describe.each(testDatabaseKinds())("statements per page on %s", (kind) => {
  let api: TestApi;
  let cookie: string;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 250);
    cookie = await api.loginAs("analyst");
  }, 120_000);
  afterAll(async () => {
    await api.close();
  });

  /** Statements per operation, each sent once to warm the caches (sign-in, latest snapshot) and counted the second time. */
  const measure = async () => {
    const [busiest] = await api.db.query<{ id: number }>("select customer_id as id from orders group by customer_id order by count(*) desc, customer_id limit 1");
    const operations = [...DASHBOARD, { query: LIST }, { query: DETAIL, variables: { id: String(busiest?.id) } }];
    const counts: number[] = [];
    for (const { query, variables } of operations) {
      await api.gql(query, variables, { cookie });
      await api.cache.flush();
      // Uncached: the cost of computing the page, not of remembering it.
      api.cache.dataChanged();
      const before = api.db.statementCount();
      const res = await api.gql(query, variables, { cookie });
      expect(res.errors, query.slice(0, 40)).toBeUndefined();
      counts.push(api.db.statementCount() - before);
    }
    const [sizes] = await api.db.query<{ orders: number; days: number }>(
      "select (select count(*) from orders)::int as orders, (select count(*) from customer_day_activity)::int as days",
    );
    return { counts, orders: sizes?.orders ?? 0, days: sizes?.days ?? 0 };
  };

  it("issues the same small number of statements per dashboard query, list and detail when the data doubles", async () => {
    const small = await measure();
    // Every customer again with a copy of their orders a day later, and the rollups refreshed.
    await api.db.query(
      `insert into customers (external_id, name, acquisition_channel, acquired_at)
       select external_id || '-copy', name, acquisition_channel, acquired_at from customers`,
    );
    await api.db.query(
      `insert into orders (external_id, customer_id, ordered_at, amount, status, channel, items)
       select o.external_id || '-copy', c2.id, o.ordered_at + interval '1 day', o.amount, o.status, o.channel, o.items
         from orders o join customers c on c.id = o.customer_id join customers c2 on c2.external_id = c.external_id || '-copy'
        where o.ordered_at + interval '1 day' < $1::timestamptz`,
      [`${DEMO_AS_OF_DATE}T00:00:00+09:00`],
    );
    await refreshRollups(api.db.query, "Asia/Tokyo");
    const large = await measure();
    expect(large.orders).toBeGreaterThan(1.8 * small.orders);
    expect(large.days).toBeGreaterThan(1.8 * small.days);
    expect(large.counts).toEqual(small.counts);
    // kpiOverview: settings, the period count, the KPIs, the mean CLV; the detail: the customer
    // with its last orders and their count, score history, segment history, campaign exposures.
    const [kpi, segments, latest, cohorts, list, detail] = small.counts;
    expect({ kpi, segments, latest, cohorts, list, detail }).toEqual({ kpi: 4, segments: 2, latest: 1, cohorts: 2, list: 1, detail: 5 });
  }, 120_000);

  it("answers the dashboard's repeated reads from the cache, and the next read after an orders import from the new data", async () => {
    const [kpi, , , cohorts] = DASHBOARD as [(typeof DASHBOARD)[number], unknown, unknown, (typeof DASHBOARD)[number]];
    type Kpi = { kpiOverview: { periods: { orders: number; revenue: number }[] } };
    const first = await api.gql<Kpi>(kpi.query, kpi.variables, { cookie });
    await api.gql(cohorts.query, cohorts.variables, { cookie });
    const before = api.db.statementCount();
    const again = await api.gql<Kpi>(kpi.query, kpi.variables, { cookie });
    await api.gql(cohorts.query, cohorts.variables, { cookie });
    expect(api.db.statementCount() - before).toBe(0);
    expect(again.data).toEqual(first.data);
    // An import (as another process would make it: only the database's notification reaches the cache).
    const [customer] = await api.db.query<{ external_id: string }>("select external_id from customers order by id limit 1");
    await importOrders({
      handle: api.db,
      source: `external_id,customer_external_id,ordered_at,amount\ncache-test-1,${customer?.external_id},2025-05-20T12:00:00+09:00,12345\n`,
      label: "cache-test.csv",
    });
    const orders = (data: Kpi | null | undefined) => (data?.kpiOverview.periods ?? []).reduce((n, p) => n + p.orders, 0);
    const until = Date.now() + 5000;
    let after = await api.gql<Kpi>(kpi.query, kpi.variables, { cookie });
    while (orders(after.data) === orders(first.data) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      after = await api.gql<Kpi>(kpi.query, kpi.variables, { cookie });
    }
    expect(orders(after.data)).toBe(orders(first.data) + 1);
  }, 60_000);
});

