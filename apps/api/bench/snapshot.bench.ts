// pnpm bench:snapshot — the snapshot pipeline's time per stage against the bare SQL aggregate
// (per-customer max date, count, sum over orders) on the same PostgreSQL data.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:snapshot [--customers 1000000]
// Seeds a fresh database `ltvloop_bench_snapshot` with --customers demo customers first, unless
// --reuse is given and it already has data.
import { createDb } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { silentProgress } from "../src/cli/progress.ts";
import { countCustomers, seedDemoData } from "../src/modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot, healSnapshots } from "../src/modules/snapshots/snapshot.service.ts";
import { SNAPSHOT_WORK_MEM } from "../src/modules/snapshots/snapshot.pipeline.ts";
import { argValue, freshDatabase, machine, printTable, requirePostgresUrl, time } from "./bench-util.ts";

const url = requirePostgresUrl();
const customers = argValue("customers", 1_000_000);
const reuse = process.argv.includes("--reuse");
process.stdout.write(`bench:snapshot on ${machine()}, PostgreSQL\n`);

const target = new URL(url);
target.pathname = "/ltvloop_bench_snapshot";
let handle = reuse ? await createDb({ databaseUrl: target.toString(), maxConnections: 4 }).catch(() => null) : null;
if (handle) await migrate(handle);
if (!handle || (await countCustomers(handle.query)) === 0) {
  await handle?.close();
  const fresh = await freshDatabase(url, "ltvloop_bench_snapshot");
  handle = fresh.handle;
  process.stdout.write(`Seeding ${customers.toLocaleString("en-US")} customers (once; rerun with --reuse to skip)…\n`);
  await seedDemoData(handle, { seed: 42, customers, years: 3, asOf: new Date("2026-01-01T00:00:00+09:00"), progress: silentProgress });
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

// Each measurement starts with no dirty buffers left by the one before it.
await db.query("checkpoint");
// The bare aggregate, materialised into a temp table like the pipeline's first stage does.
const bare = await time(() =>
  db.transaction(async ({ query }) => {
    await query(`set local work_mem = '${SNAPSHOT_WORK_MEM}'`);
    await query(
      `create temp table bare on commit drop as
       select customer_id, max(ordered_at) as last_at, count(*) as n, sum(amount) as revenue
         from orders where ordered_at < '2026-01-01T00:00:00+09:00' group by customer_id`,
    );
  }),
);

await healSnapshots(db);
const queued = await createSnapshot(db, null, { asOfDate: "2026-01-01" });
await db.query("checkpoint");
const run = await time(() => executeSnapshot(db, queued.id));
if (run.result.status !== "succeeded") throw new Error(`snapshot failed: ${run.result.error}`);
const stages = run.result.timings;
printTable([
  ...Object.entries(stages).map(([stage, ms]) => ({ step: `snapshot: ${stage}`, seconds: (ms / 1000).toFixed(2) })),
  { step: "snapshot: total (wall)", seconds: run.seconds.toFixed(2) },
  { step: "bare aggregate (max, count, sum per customer)", seconds: bare.seconds.toFixed(2) },
]);
process.stdout.write(`\nratio snapshot / bare aggregate: ${(run.seconds / bare.seconds).toFixed(2)}× (target ≤ 3×)\n`);
process.stdout.write(`unique (x, t_x, T) triples fitted: ${run.result.modelFits?.uniqueTriples.toLocaleString("en-US")}\n`);
await db.close();
