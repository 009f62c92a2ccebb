// pnpm bench:snapshot — the snapshot pipeline's time per stage against bare SQL over the orders
// on the same PostgreSQL data, twice:
// - the fair bare R/F/M (the baseline the ratio is judged on): per customer, over completed
//   orders before the as-of, the last order time, the number of distinct purchase days in the
//   business time zone (Asia/Tokyo by default) and the revenue — what a snapshot needs at least;
// - the cheap aggregate (labelled as such): max date, count and sum over orders of every status,
//   no time-zone conversion — cheaper than anything that answers the same question.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:snapshot [--customers 1000000] [--database NAME]
// Seeds a fresh database (`ltvloop_bench_snapshot`, or --database NAME) with --customers demo
// customers first, unless --reuse is given and it already has data.
import { loadavg } from "node:os";
import { createDb } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { silentProgress } from "../src/cli/progress.ts";
import { countCustomers, seedDemoData } from "../src/modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot, healSnapshots } from "../src/modules/snapshots/snapshot.service.ts";
import { SNAPSHOT_WORK_MEM } from "../src/modules/snapshots/snapshot.pipeline.ts";
import { refreshRollups } from "../src/modules/orders/rollups.service.ts";
import { argValue, freshDatabase, machine, printTable, requirePostgresUrl, time } from "./bench-util.ts";

const url = requirePostgresUrl();
const customers = argValue("customers", 1_000_000);
const reuse = process.argv.includes("--reuse");
const databaseArg = process.argv.indexOf("--database");
const databaseName = databaseArg > 0 ? String(process.argv[databaseArg + 1]) : "ltvloop_bench_snapshot";
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) throw new Error(`--database must be a plain lower-case database name; got "${databaseName}".`);
process.stdout.write(`bench:snapshot on ${machine()}, PostgreSQL; load average ${loadavg().map((v) => v.toFixed(2)).join(", ")}\n`);

const target = new URL(url);
target.pathname = `/${databaseName}`;
let handle = reuse ? await createDb({ databaseUrl: target.toString(), maxConnections: 4 }).catch(() => null) : null;
if (handle) await migrate(handle);
if (!handle || (await countCustomers(handle.query)) === 0) {
  await handle?.close();
  const fresh = await freshDatabase(url, databaseName);
  handle = fresh.handle;
  process.stdout.write(`Seeding ${customers.toLocaleString("en-US")} customers (once; rerun with --reuse to skip)…\n`);
  await seedDemoData(handle, { seed: 42, customers, years: 3, asOf: new Date("2026-01-01T00:00:00+09:00"), loyalty: false, progress: silentProgress });
}
const db = handle;
const [size] = await db.query<{ customers: number; orders: number }>(
  "select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders",
);
process.stdout.write(`Data: ${size?.customers.toLocaleString("en-US")} customers, ${size?.orders.toLocaleString("en-US")} orders\n\n`);
// Both sides start from tidy tables, as autovacuum keeps them: orders for the bare aggregate, the
// rollups (maintained by imports, rebuilt in bulk by the seed or a migration) for the snapshot,
// and earlier runs' score partitions, so no autovacuum worker competes with the measurements.
await db.query("vacuum analyze orders, customer_rollups, customer_scores, segment_members");

const AS_OF = "2026-01-01T00:00:00+09:00";
const [{ time_zone: timeZone } = { time_zone: "Asia/Tokyo" }] = await db.query<{ time_zone: string }>("select time_zone from settings where id = 1");

// Each measurement starts with no dirty buffers left by the one before it; each bare query is
// materialised into a temp table like the pipeline's first stage does.
async function bareQuery(select: string, params: unknown[], more: string[] = []) {
  await db.query("checkpoint");
  return time(() =>
    db.transaction(async ({ query }) => {
      await query(`set local work_mem = '${SNAPSHOT_WORK_MEM}'`);
      await query(`create temp table bare on commit drop as ${select}`, params);
      for (const statement of more) await query(statement);
    }),
  );
}
// The fair bare R/F/M: completed orders only, purchase days counted in the business time zone.
const fair = await bareQuery(
  `select customer_id, max(ordered_at) as last_at, count(distinct (ordered_at at time zone $2)::date) as purchase_days, sum(amount) as revenue
     from orders where status = 'completed' and ordered_at < $1::timestamptz group by customer_id`,
  [AS_OF, timeZone],
);
// The cheap aggregate: every status, orders not days, no time zone.
const cheap = await bareQuery(
  `select customer_id, max(ordered_at) as last_at, count(*) as n, sum(amount) as revenue
     from orders where ordered_at < $1::timestamptz group by customer_id`,
  [AS_OF],
);

await healSnapshots(db);
const queued = await createSnapshot(db, null, { asOfDate: "2026-01-01" });
await db.query("checkpoint");
const run = await time(() => executeSnapshot(db, queued.id));
if (run.result.status !== "succeeded") throw new Error(`snapshot failed: ${run.result.error}`);
const stages = run.result.timings;

// What storing a snapshot costs by itself: the rows it just wrote (its scores and segment
// memberships) copied by plain SQL into fresh tables of the same shape, then the same keys,
// indexes and foreign keys its partitions get when attached — no computing, nothing read but
// those rows. Rolled back. With the fair bare R/F/M it is the floor under any snapshot that
// stores what this one does.
async function storeAgain(): Promise<number> {
  await db.query("checkpoint");
  let seconds = 0;
  await db
    .transaction(async ({ query }) => {
      await query(`set local work_mem = '${SNAPSHOT_WORK_MEM}'`);
      await query(`set local maintenance_work_mem = '${SNAPSHOT_WORK_MEM}'`);
      const start = performance.now();
      for (const parent of ["customer_scores", "segment_members"]) {
        const copy = `floor_${parent}`;
        await query(`create table ${copy} (like ${parent} including defaults including constraints)`);
        await query(`insert into ${copy} select * from ${parent}_${queued.id}`);
        const indexes = await query<{ definition: string }>(
          `select regexp_replace(pg_get_indexdef(i.indexrelid), ' ON ONLY \\S+ ', ' ON ${copy} ') as definition
             from pg_index i where i.indrelid = $1::regclass`,
          [parent],
        );
        const keys = await query<{ definition: string }>(
          "select pg_get_constraintdef(oid) as definition from pg_constraint where conrelid = $1::regclass and contype = 'f'",
          [parent],
        );
        for (const [n, index] of indexes.entries()) await query(index.definition.replace(/INDEX \S+ ON/, `INDEX ${copy}_${n} ON`));
        for (const key of keys) await query(`alter table ${copy} add ${key.definition}`);
      }
      seconds = (performance.now() - start) / 1000;
      throw new RolledBack();
    })
    .catch((error: unknown) => {
      if (!(error instanceof RolledBack)) throw error;
    });
  return seconds;
}
class RolledBack extends Error {}
const storing = await storeAgain();
const floor = fair.seconds + storing;
printTable([
  ...Object.entries(stages).map(([stage, ms]) => ({ step: `snapshot: ${stage}`, seconds: (ms / 1000).toFixed(2) })),
  { step: "snapshot: total (wall)", seconds: run.seconds.toFixed(2) },
  { step: `fair bare R/F/M (completed orders, distinct ${timeZone} days, revenue)`, seconds: fair.seconds.toFixed(2) },
  { step: "cheap bare aggregate (every status, order count, no time zone) — not a fair baseline", seconds: cheap.seconds.toFixed(2) },
  { step: "bare SQL storing the snapshot's rows again (scores, memberships, their keys and indexes)", seconds: storing.toFixed(2) },
]);
process.stdout.write(`\nratio snapshot / fair bare R/F/M: ${(run.seconds / fair.seconds).toFixed(2)}× (target ≤ 1.5×)\n`);
process.stdout.write(
  `floor (fair bare R/F/M + storing the rows): ${floor.toFixed(2)} s = ${(floor / fair.seconds).toFixed(2)}× the fair bare R/F/M; ` +
    `snapshot / floor: ${(run.seconds / floor).toFixed(2)}×\n`,
);
process.stdout.write(`ratio snapshot / cheap bare aggregate: ${(run.seconds / cheap.seconds).toFixed(2)}× (for comparison with earlier figures only)\n`);

// Rebuilding every customer's rollups from the orders (what the seed and a time-zone change do),
// against bare SQL: the bare per-customer aggregate (first and last order, orders, distinct
// purchase days, revenue), and — the same two tables the rebuild writes — that aggregate per
// customer-day plus the per-customer day-by-day arrays, into unindexed temp tables.
if (!process.argv.includes("--no-rollups")) {
  const day = "(ordered_at at time zone $1)::date";
  const perCustomer = await bareQuery(
    `select customer_id, min(ordered_at) as first_at, max(ordered_at) as last_at, count(*) as n, count(distinct ${day}) as days, sum(amount) as revenue
       from orders where status = 'completed' group by customer_id`,
    [timeZone],
  );
  const sameTables = await bareQuery(
    `select customer_id, ${day} as day, count(*)::int as orders, sum(amount) as revenue, min(ordered_at) as first_at, max(ordered_at) as last_at
       from orders where status = 'completed' group by 1, 2`,
    [timeZone],
    [
      `create temp table bare_rollups on commit drop as
         select customer_id, min(first_at) as first_at, max(last_at) as last_at, sum(orders)::int as orders, count(*)::int as days,
                sum(revenue) as revenue, array_agg(day order by day) as days_list, array_agg(running_n order by day) as running_n,
                array_agg(running_spend order by day) as running_spend, array_agg(last_at order by day) as day_last_at
           from (select *, sum(orders) over w as running_n, sum(revenue) over w as running_spend from bare window w as (partition by customer_id order by day)) d
          group by customer_id`,
    ],
  );
  await db.query("checkpoint");
  const rebuild = await time(() => db.transaction(({ query }) => refreshRollups(query, timeZone, undefined, { bulk: true })));
  await db.query("vacuum analyze customer_rollups, customer_day_activity");
  process.stdout.write("\nRebuilding every rollup from the orders:\n");
  printTable([
    { step: "rebuild (customer_day_activity + customer_rollups, keys and indexes rebuilt)", seconds: rebuild.seconds.toFixed(2) },
    { step: "bare per-customer aggregate (first, last, orders, distinct days, revenue)", seconds: perCustomer.seconds.toFixed(2) },
    { step: "bare same two tables (per customer-day, then day-by-day arrays), unindexed", seconds: sameTables.seconds.toFixed(2) },
  ]);
  process.stdout.write(
    `ratio rebuild / bare per-customer aggregate: ${(rebuild.seconds / perCustomer.seconds).toFixed(2)}× (target ≤ 1.5×); ` +
      `rebuild / bare same tables: ${(rebuild.seconds / sameTables.seconds).toFixed(2)}×\n`,
  );
}
process.stdout.write(`load average at the end: ${loadavg().map((v) => v.toFixed(2)).join(", ")}\n`);
process.stdout.write(`unique (x, t_x, T) triples fitted: ${run.result.modelFits?.uniqueTriples.toLocaleString("en-US")}\n`);
await db.close();
