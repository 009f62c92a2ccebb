// Plan regressions: every list the API offers must be answerable as a top-N over an index.
// The planner is told to avoid sequential scans and sorts, so on this small data set it still
// picks an index whenever the query's shape allows one — and a Sort over the rows is left in
// the plan exactly when no index can give the order (a regression of the query or the indexes).
// `pnpm bench:plans` runs the same cases with EXPLAIN ANALYZE on a large database.
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import type { Query } from "@ltvloop/db/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedScoredDemo } from "../../testing/demo.ts";
import { bigSorts, describePlan, explainingQuery, nodes, usesIndex, type ExplainedStatement, type PlanNode } from "../../testing/plans.ts";
import { PLAN_CASES, planContext, type PlanCase, type PlanContext } from "./customer.plan-cases.ts";

describe.each(testDatabaseKinds())("query plans on %s", (kind) => {
  let db: TestDatabase;
  let context: PlanContext;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedScoredDemo(db, 600);
    await db.query("analyze");
    context = await planContext(db.query);
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

  it.each(PLAN_CASES.filter((c) => c.index !== null))("$name: a top-N over $index", async (planCase) => {
    const [statement] = await explain((query) => planCase.run(query, context));
    const plan = statement?.plan;
    if (!plan) throw new Error("no statement was explained");
    expect(usesIndex(plan, planCase.index as string, planCase.partitionPattern), describePlan(plan)).toBe(true);
    // Search reads its trigram index and sorts the few matches; every other page is read in order.
    if (!planCase.index?.endsWith("_trgm_idx")) expect(bigSorts(plan, 200), describePlan(plan)).toEqual([]);
  });

  it("cuts the merged RFM segments' members to the page before joining their scores", async () => {
    const merged = PLAN_CASES[0] as PlanCase;
    const statements = await db.transaction(async ({ query }) => {
      const explained: ExplainedStatement[] = [];
      await merged.run(explainingQuery(query, true, explained), context);
      return explained;
    });
    const plan = statements[0]?.plan;
    if (!plan) throw new Error("no statement was explained");
    // The join that brings in the scores: its other input holds the members, at most a page of
    // them (50, plus one to tell whether there is a next page). Joined before the page was cut,
    // every branch's rows (3 × 51) were matched, at 20k customers by scanning all the snapshot's
    // scores.
    const reads = (node: PlanNode, relation: string) => nodes(node).some((n) => n["Relation Name"]?.startsWith(relation));
    const join = nodes(plan).find((n) => n.Plans?.length === 2 && n.Plans.some((c) => reads(c, "customer_scores")) && n.Plans.some((c) => reads(c, "segment_members")));
    const members = join?.Plans?.find((c) => reads(c, "segment_members"));
    expect(members, describePlan(plan)).toBeDefined();
    expect((members as PlanNode)["Actual Rows"], describePlan(plan)).toBeLessThanOrEqual(51);
  });

  it("counts a score-filtered list from the scores alone, without joining customers", async () => {
    const withCount = PLAN_CASES.find((c) => c.counts && c.partitionPattern);
    const [statement] = await explain((query) => (withCount as PlanCase).run(query, context));
    const plan = statement?.plan;
    if (!plan) throw new Error("no statement was explained");
    // The count's side of the statement (the first input of the top join) reads no customers.
    const countSide = nodes(plan).find((n) => n["Node Type"] === "Aggregate");
    expect(countSide).toBeDefined();
    expect(nodes(countSide as never).some((n) => n["Relation Name"] === "customers"), describePlan(plan)).toBe(false);
  });
});
