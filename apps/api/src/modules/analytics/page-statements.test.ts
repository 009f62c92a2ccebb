// Statements per page: the dashboard's GraphQL operations (as the admin's home page sends them),
// the customer list and the customer detail each cost a small number of SQL statements, the same
// number when the data doubles — they read rollups and indexes, never one statement per row.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { DEMO_AS_OF_DATE, seedScoredDemo } from "../../testing/demo.ts";
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
    // kpiOverview: settings, the period count, the KPIs, the mean CLV; the others one or two each.
    console.log("statements per operation", small.counts, small.orders, large.orders);
    for (const n of small.counts) expect(n).toBeLessThanOrEqual(4);
  }, 120_000);
});
