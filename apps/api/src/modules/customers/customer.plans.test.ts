// Plan regressions: every list the API offers must be answerable as a top-N over an index.
// The planner is told to avoid sequential scans and sorts, so on this small data set it still
// picks an index whenever the query's shape allows one — and a Sort over the rows is left in
// the plan exactly when no index can give the order (a regression of the query or the indexes).
// `pnpm --filter @ltvloop/api plans` checks the real plans on a large database.
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import type { Query } from "@ltvloop/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedScoredDemo } from "../../testing/demo.ts";
import { bigSorts, describePlan, explainingQuery, nodes, usesIndex, type ExplainedStatement } from "../../testing/plans.ts";
import { CustomerSortField, SortDirection } from "./customer.input.ts";
import { listCustomers, listOrders, ordersForCustomers } from "./customer.service.ts";

describe.each(testDatabaseKinds())("query plans on %s", (kind) => {
  let db: TestDatabase;
  let snapshot: { id: number; asOf: Date };
  beforeAll(async () => {
    db = await createTestDb(kind);
    const done = await seedScoredDemo(db, 600);
    snapshot = { id: done.id, asOf: done.asOf };
    await db.query("analyze");
  });
  afterAll(async () => {
    await db.destroy();
  });

  const explain = (work: (query: Query) => Promise<unknown>) =>
    db.transaction(async ({ query }) => {
      await query("set local enable_seqscan = off");
      await query("set local enable_sort = off");
      const statements: ExplainedStatement[] = [];
      await work(explainingQuery(query, false, statements));
      return statements;
    });

  const expectTopN = (statement: ExplainedStatement | undefined, index: string, partitionPattern?: RegExp) => {
    const plan = statement?.plan;
    if (!plan) throw new Error("no statement was explained");
    expect(usesIndex(plan, index, partitionPattern), describePlan(plan)).toBe(true);
    expect(bigSorts(plan, 200), describePlan(plan)).toEqual([]);
  };

  const CLV_INDEX_ON_PARTITION = /^customer_scores_\d+_snapshot_id_coalesce_customer_id_idx$/;
  const byClv = { field: CustomerSortField.PREDICTED_CLV, direction: SortDirection.DESC };

  it("lists customers of RFM segments by predicted CLV from the top of the CLV index", async () => {
    const [page] = await explain((query) =>
      listCustomers(query, { first: 50, filter: { rfmSegments: ["at_risk", "loyal", "champions"] }, orderBy: byClv, snapshot, withCount: false }),
    );
    expectTopN(page, "customer_scores_clv_idx", CLV_INDEX_ON_PARTITION);
  });

  it("lists a segment's members by predicted CLV from the same index", async () => {
    const [segment] = await db.query<{ id: number }>("select id from segments where key = 'champions'");
    const [page] = await explain((query) => listCustomers(query, { first: 50, orderBy: byClv, snapshot, segmentId: segment?.id as number, withCount: false }));
    expectTopN(page, "customer_scores_clv_idx", CLV_INDEX_ON_PARTITION);
  });

  it("counts a score-filtered list from the scores alone, without joining customers", async () => {
    const [statement] = await explain((query) =>
      listCustomers(query, { first: 50, filter: { rfmSegments: ["at_risk"] }, orderBy: byClv, snapshot, withCount: true }),
    );
    const plan = statement?.plan;
    if (!plan) throw new Error("no statement was explained");
    // The count's side of the statement (the first input of the top join) reads no customers.
    const countSide = nodes(plan).find((n) => n["Node Type"] === "Aggregate");
    expect(countSide).toBeDefined();
    expect(nodes(countSide as never).some((n) => n["Relation Name"] === "customers"), describePlan(plan)).toBe(false);
  });

  it("lists all customers by external id from its unique index", async () => {
    const [page] = await explain((query) => listCustomers(query, { first: 50, snapshot, withCount: false }));
    expectTopN(page, "customers_external_id_unique");
  });

  it("lists all customers by name from the name index", async () => {
    const [page] = await explain((query) =>
      listCustomers(query, { first: 50, snapshot, orderBy: { field: CustomerSortField.NAME, direction: SortDirection.ASC }, withCount: false }),
    );
    expectTopN(page, "customers_name_idx");
  });

  it("serves search from the trigram indexes", async () => {
    const [page] = await explain((query) => listCustomers(query, { first: 50, filter: { search: "example.com" }, snapshot, withCount: true }));
    const plan = page?.plan;
    if (!plan) throw new Error("no statement was explained");
    expect(usesIndex(plan, "customers_email_trgm_idx"), describePlan(plan)).toBe(true);
  });

  it("lists orders newest first, and a customer's last orders, from the order indexes", async () => {
    const [all] = await explain((query) => listOrders(query, 20, null, null, false));
    expectTopN(all, "orders_ordered_at_idx");
    const [one] = await explain((query) => listOrders(query, 20, null, { customerId: "1" }, false));
    expectTopN(one, "orders_customer_ordered_at_idx");
    const [batch] = await explain((query) => ordersForCustomers(query, [1, 2, 3], 10, null));
    expectTopN(batch, "orders_customer_ordered_at_idx");
  });
});
