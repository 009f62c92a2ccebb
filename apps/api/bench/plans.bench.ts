// pnpm bench:plans — the plans of every list the API offers, on a large database: each case of
// customer.plan-cases.ts runs twice with EXPLAIN ANALYZE (the planner left alone, as in
// production), and the script prints the plan's shape, whether the page was read from its index
// (a top-N) or sorted, and the execution time of each run. It exits with 1 when a page is not a
// top-N over its index, or when a statement with `totalCount` takes 100 ms or more on its second
// run — the plan regression `customer.plans.test.ts` guards on small data, checked at scale.
//   DATABASE_URL=postgres://…/db pnpm bench:plans [--verbose]
// The database needs a succeeded snapshot (`ltvloop seed --customers 1000000` makes one).
import "reflect-metadata";
import { createDb } from "@ltvloop/db/client";
import { PLAN_CASES, planContext } from "../src/modules/customers/customer.plan-cases.ts";
import { bigSorts, describePlan, explainingQuery, usesIndex, type ExplainedStatement } from "../src/testing/plans.ts";
import { loadAverage, machine, printTable, requirePostgresUrl } from "./bench-util.ts";

const url = requirePostgresUrl();
const verbose = process.argv.includes("--verbose");
/** A Sort over more rows than this is a sort of the matches, not a top-N. */
const SORT_LIMIT = 1000;
const COUNT_BUDGET_MS = 100;

const handle = await createDb({ databaseUrl: url, maxConnections: 1 });
const [{ customers, orders, scores } = { customers: 0, orders: 0, scores: 0 }] = await handle.query<{ customers: number; orders: number; scores: number }>(
  `select (select reltuples::bigint from pg_class where relname = 'customers') as customers,
          (select reltuples::bigint from pg_class where relname = 'orders') as orders,
          (select count(*) from customer_scores where snapshot_id = (select max(id) from snapshots where status = 'succeeded')) as scores`,
);
const context = await planContext(handle.query);
process.stdout.write(
  `bench:plans on ${machine()}; PostgreSQL with about ${Number(customers).toLocaleString("en")} customers, ` +
    `${Number(orders).toLocaleString("en")} orders, ${Number(scores).toLocaleString("en")} scores in snapshot ${context.snapshot.id}; load ${loadAverage()}\n\n`,
);

const rows: Record<string, string | number>[] = [];
const failures: string[] = [];
for (const planCase of PLAN_CASES) {
  const runs: ExplainedStatement[] = [];
  for (let i = 0; i < 2; i++) {
    const explained: ExplainedStatement[] = [];
    await planCase.run(explainingQuery(handle.query, true, explained), context);
    if (explained.length !== 1) throw new Error(`${planCase.name}: expected one statement, got ${explained.length}`);
    runs.push(explained[0] as ExplainedStatement);
  }
  const [first, second] = runs as [ExplainedStatement, ExplainedStatement];
  const indexed = planCase.index === null || usesIndex(second.plan, planCase.index, planCase.partitionPattern);
  const sorts = planCase.index?.endsWith("_trgm_idx") ? [] : bigSorts(second.plan, SORT_LIMIT);
  const problems = [
    ...(indexed ? [] : [`does not read ${planCase.index}`]),
    ...sorts.map((s) => `sorts ${s.Plans?.[0]?.["Actual Rows"] ?? "?"} rows`),
    ...(planCase.counts && (second.executionMs ?? 0) >= COUNT_BUDGET_MS ? [`count took ${second.executionMs?.toFixed(1)} ms`] : []),
  ];
  if (problems.length > 0) failures.push(`${planCase.name}: ${problems.join("; ")}\n${describePlan(second.plan)}`);
  rows.push({
    list: planCase.name,
    index: planCase.index ?? "-",
    "top-N": indexed && sorts.length === 0 ? "yes" : "NO",
    "first ms": (first.executionMs ?? 0).toFixed(1),
    "second ms": (second.executionMs ?? 0).toFixed(1),
  });
  if (verbose) process.stdout.write(`${planCase.name}\n${describePlan(second.plan)}\n\n`);
}
await handle.close();
printTable(rows);
process.stdout.write(`\nLoad at the end: ${loadAverage()}\n`);
if (failures.length > 0) {
  process.stdout.write(`\n${failures.length} plan(s) regressed:\n\n${failures.join("\n\n")}\n`);
  process.exit(1);
}
