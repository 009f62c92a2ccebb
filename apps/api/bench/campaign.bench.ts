// Campaign launch and measure on a ~100k-customer segment (DESIGN §8, issue 5: each under 5 s
// with 1M customers / 10M orders). Needs PostgreSQL seeded beforehand:
//   DATABASE_URL=postgres://… pnpm ltvloop seed --customers 1000000
//   DATABASE_URL=postgres://… pnpm --filter @ltvloop/api bench:campaign [-- --target 100000] [--rounds 2]
// Leaves its campaigns behind (named "bench …": assignments are immutable) and its segment
// archived, so later snapshots do not spend time publishing the bench's memberships.
// Beside launch and measure it times the bare SQL doing the same data work, with the ratios:
// - bare roster insert: INSERT … SELECT of the same roster (the launched campaign's rows) into a
//   fresh logged table with the same primary key, i.e. the write cost any launch must pay;
// - bare per-arm outcome aggregate: per customer of the roster, completed orders and revenue in
//   the outcome window and the pre-period, then per arm n, sums and sums of squares — the
//   sufficient statistics the lift tests need, without strata, winsorising or the daily series.
import { loadavg } from "node:os";
import { createDb } from "@ltvloop/db/client";
import { measureCampaign } from "../src/modules/campaigns/campaign-measure.service.ts";
import { launchCampaign } from "../src/modules/campaigns/campaign-launch.service.ts";
import { planCampaign } from "../src/modules/campaigns/campaign-plan.service.ts";
import { createCampaign } from "../src/modules/campaigns/campaign.service.ts";
import { refreshSegmentMembers } from "../src/modules/segments/segment-members.service.ts";

const DAY_MS = 86_400_000;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.startsWith("postgres")) {
  process.stderr.write("bench:campaign runs on PostgreSQL only: set DATABASE_URL=postgres://… to a database seeded with `pnpm ltvloop seed --customers 1000000`.\n");
  process.exit(2);
}
const targetArg = process.argv.indexOf("--target");
const target = targetArg > 0 ? Number(process.argv[targetArg + 1]) : 100_000;
const roundsArg = process.argv.indexOf("--rounds");
const rounds = roundsArg > 0 ? Math.max(1, Number(process.argv[roundsArg + 1])) : 2;

// One connection, so every step of a round runs in the same server process. A server's pooled
// connections live for many requests; a fresh server process pays once for mapping the shared
// buffers it touches (about a second over this data), which the first round shows.
const handle = await createDb({ databaseUrl, maxConnections: 1 });
const timings: { round: number; name: string; seconds: number }[] = [];
let round = 0;
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  timings.push({ round, name, seconds });
  process.stdout.write(`${name.padEnd(32)} ${seconds.toFixed(2)} s\n`);
  return result;
}

try {
  const [snapshot] = await handle.query<{ id: number; as_of: Date; n: number }>(
    `select s.id, s.as_of, (select count(*)::int from customer_scores c where c.snapshot_id = s.id) as n
       from snapshots s where s.status = 'succeeded' order by s.as_of desc, s.id desc limit 1`,
  );
  if (!snapshot) throw new Error("No succeeded snapshot: run `pnpm ltvloop seed` (it computes one) or `pnpm ltvloop snapshot`.");
  const [counts] = await handle.query<{ customers: number; orders: number }>(
    "select (select count(*)::int from customers) as customers, (select count(*)::int from orders) as orders",
  );
  process.stdout.write(`database: ${counts?.customers} customers, ${counts?.orders} orders; snapshot ${snapshot.id} scores ${snapshot.n}\n`);

  // A rule segment of about `target` customers: the top revenue deciles.
  const deciles = Math.min(10, Math.max(1, Math.round((target / snapshot.n) * 10)));
  const [segment] = await handle.query<{ id: number }>(
    `insert into segments (name, description, kind, definition) values ($1, 'bench:campaign', 'rule', $2::jsonb) returning id`,
    [`bench top ${deciles} deciles ${new Date().toISOString()}`, JSON.stringify({ field: "decile", op: "lte", value: deciles })],
  );
  const segmentId = (segment as { id: number }).id;
  // Measure counts each roster customer's orders with an index-only scan, which reads the table
  // too wherever its visibility map is unset: true of a freshly seeded or imported table until
  // autovacuum has visited it. A server with autovacuum off never gets there by itself, so the
  // bench does once what autovacuum would do (and says so), instead of timing that state.
  const stale = await handle.query<{ relname: string }>(
    `select relname from pg_stat_user_tables
      where relname in ('orders', 'customers', 'campaign_assignments')
        and n_ins_since_vacuum > 1000 + 0.2 * greatest(n_live_tup - n_ins_since_vacuum, 0)`,
  );
  if (stale.length > 0) {
    const [autovacuum] = await handle.query<{ on: string }>("select current_setting('autovacuum') as on");
    process.stdout.write(`autovacuum ${autovacuum?.on}; ${stale.map((t) => t.relname).join(", ")} not vacuumed since most of their rows were written: vacuum (analyze) as autovacuum would
`);
    for (const { relname } of stale) await step(`vacuum ${relname}`, () => handle.query(`vacuum (analyze) ${relname}`));
  }
  await step("segment members", () => refreshSegmentMembers(handle.query, snapshot.id, [segmentId]));
  const [size] = await handle.query<{ n: number }>("select count(*)::int as n from segment_members where segment_id = $1 and snapshot_id = $2", [segmentId, snapshot.id]);
  process.stdout.write(`segment ${segmentId}: ${size?.n} customers\n`);
  try {
    const settings = await handle.query<{ name: string; value: string }>(
      "select name, current_setting(name) as value from pg_settings where name in ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather') order by name",
    );
    process.stdout.write(`server: ${settings.map((x) => `${x.name} ${x.value}`).join(", ")}\n`);
    for (round = 1; round <= rounds; round += 1) {
      process.stdout.write(`\nround ${round} of ${rounds}${round === 1 ? " (the connection's first pass over this data)" : ""}\n`);
      const campaign = await step("create + plan", async () => {
        const created = await createCampaign(handle, null, {
          name: `bench ${new Date().toISOString()}`,
          segmentId: String(segmentId),
          snapshotId: String(snapshot.id),
          objective: "retain",
          channel: "email",
          holdoutRatio: 0.1,
          outcomeWindowDays: 30,
          costPerContact: 10,
        });
        return planCampaign(handle, null, created.id);
      });
      process.stdout.write(`plan: ${campaign.plan?.eligibleCustomers} eligible after e-mail opt-outs\n`);
      // Launched 60 days before the snapshot, so the outcome window and pre-period hold real orders.
      const launchedAt = new Date(snapshot.as_of.getTime() - 60 * DAY_MS);
      await step("launch (roster insert)", () => launchCampaign(handle, null, campaign.id, `bench-${campaign.id}`, { launchedAt }));
      const [roster] = await handle.query<{ n: number }>("select count(*)::int as n from campaign_assignments where campaign_id = $1", [campaign.id]);
      process.stdout.write(`roster: ${roster?.n} customers\n`);
      await step("measure", () => measureCampaign(handle, null, campaign.id));

      await handle.query("drop table if exists bench_bare_roster");
      await handle.query("create table bench_bare_roster (like campaign_assignments including defaults including indexes)");
      try {
        await handle.query("checkpoint");
        await step("bare roster insert", () =>
          handle.query(
            `insert into bench_bare_roster (campaign_id, customer_id, "group", stratum)
             select campaign_id, customer_id, "group", stratum from campaign_assignments where campaign_id = $1`,
            [campaign.id],
          ),
        );
      } finally {
        await handle.query("drop table if exists bench_bare_roster");
      }
      const windowTo = new Date(launchedAt.getTime() + 30 * DAY_MS);
      const preFrom = new Date(launchedAt.getTime() - 30 * DAY_MS);
      await step("bare per-arm outcome aggregate", () =>
        handle.query(
          `with per_customer as (
             select a."group", a.customer_id,
                    count(o.id) filter (where o.ordered_at >= $2 and o.ordered_at < $3) as y_orders,
                    coalesce(sum(o.amount) filter (where o.ordered_at >= $2 and o.ordered_at < $3), 0) as y_revenue,
                    count(o.id) filter (where o.ordered_at >= $4 and o.ordered_at < $2) as x_orders,
                    coalesce(sum(o.amount) filter (where o.ordered_at >= $4 and o.ordered_at < $2), 0) as x_revenue
               from campaign_assignments a
               left join orders o on o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $4 and o.ordered_at < $3
              where a.campaign_id = $1
              group by a."group", a.customer_id)
           select "group", count(*) as n,
                  count(*) filter (where y_orders > 0) as converters, sum(y_orders) as orders, sum(y_orders * y_orders) as orders_sq,
                  sum(y_revenue) as revenue, sum(y_revenue * y_revenue) as revenue_sq,
                  sum(x_revenue) as pre_revenue, sum(x_revenue * y_revenue) as revenue_xy, sum(x_orders) as pre_orders
             from per_customer group by "group"`,
          [campaign.id, launchedAt, windowTo, preFrom],
        ),
      );
    }
    process.stdout.write("\n");
    for (let r = 1; r <= rounds; r += 1) {
      const of = (name: string) => timings.find((t) => t.round === r && t.name === name)?.seconds as number;
      const ratio = (a: string, b: string) => `${of(a).toFixed(2)} s / ${of(b).toFixed(2)} s = ${(of(a) / of(b)).toFixed(2)}×`;
      process.stdout.write(`round ${r}: launch / bare roster insert ${ratio("launch (roster insert)", "bare roster insert")}; `);
      process.stdout.write(`measure / bare per-arm outcome aggregate ${ratio("measure", "bare per-arm outcome aggregate")}\n`);
    }
    process.stdout.write(`load average: ${loadavg().map((v) => v.toFixed(2)).join(", ")}\n`);
    process.stdout.write(`\n${JSON.stringify(timings.map((t) => ({ ...t, seconds: Number(t.seconds.toFixed(3)) })))}\n`);
  } finally {
    // Archived segments get no memberships in later snapshots (their campaigns keep their rosters).
    await handle.query("update segments set archived = true, updated_at = now() where id = $1", [segmentId]);
  }
} finally {
  await handle.close();
}
