// The snapshot pipeline (DESIGN §1 data flow): per-customer rollups → per-customer aggregate (SQL) → RFM and
// deciles (SQL) → BTYD statistics compressed to unique triples (SQL) → model fits (scoring
// package) → predictions per unique triple → per-customer scores written set-based → segment
// memberships. All writes happen in one transaction: a failed run leaves no partial scores.
// The scores statement is in snapshot-scores.ts, the holdout diagnostics in snapshot-holdout.ts.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { fitBgNbd, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitGammaGamma, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, paretoNbdProbabilityAlive, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { createExpectationFactors, type BtydModel } from "@ltvloop/scoring/clv";
import type { SnapshotParameters } from "./snapshot.params.ts";
import { daysPerUnit, FIT_SAMPLE_CUSTOMERS, sampleCondition, tryFit } from "./snapshot-fits.ts";
import { holdoutReport, type HoldoutReport } from "./snapshot-holdout.ts";
import { writeScores } from "./snapshot-scores.ts";
import { historySelect } from "../orders/rollups.service.ts";
import { refreshSegmentMembers } from "../segments/segment-members.service.ts";

/** Per-operation memory for the snapshot's sorts and hashes (PostgreSQL `work_mem`). */
export const SNAPSHOT_WORK_MEM = "256MB";

export type ProgressReporter = (progress: number, stage: string) => Promise<void>;

interface TripleRow {
  x: number;
  tx_days: number;
  t_days: number;
  n: number;
}

export interface ModelFits {
  timeUnit: "week" | "day";
  customers: number;
  uniqueTriples: number;
  /** Customers the likelihoods were maximised on: all, or a deterministic random sample. */
  fitCustomers: number;
  drivingModel: "bg-nbd" | "pareto-nbd";
  bgNbd: BgNbdFit | { error: string };
  paretoNbd: ParetoNbdFit | { error: string };
  gammaGamma: GammaGammaFit | { error: string };
  holdout: HoldoutReport | { error: string } | null;
}

/** Runs `work` and records its duration under `name`. */
async function timed<T>(timings: Record<string, number>, name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = Math.round(performance.now() - start);
  }
}

export async function runSnapshotPipeline(
  handle: DbHandle,
  snapshotId: number,
  params: SnapshotParameters,
  report: (tx: Query) => ProgressReporter,
): Promise<{ timings: Record<string, number>; fits: ModelFits; customers: number }> {
  const timings: Record<string, number> = {};
  const unit = daysPerUnit(params.timeUnit);
  return handle.transaction(async ({ query }) => {
    const progress = report(query);
    // The per-customer aggregate, the decile sort and the joins work on millions of rows: give
    // them memory for this transaction instead of spilling to disk at the 4 MB default.
    await query(`set local work_mem = '${SNAPSHOT_WORK_MEM}'`);
    // Attaching the partitions builds their indexes: sort them in memory, not in spill files.
    await query(`set local maintenance_work_mem = '${SNAPSHOT_WORK_MEM}'`);
    const tz = params.timeZone;
    const asOf = params.asOf;

    // 1. Per customer, from the rollups' day-by-day purchase history (one row per customer,
    //    maintained by imports): the days wholly before the as-of instant are looked up in the
    //    sorted arrays (width_bucket counts the days up to a date, the running totals give the
    //    sums); when the as-of instant falls inside a day, that day's orders before it come from
    //    orders directly (an index range over one day). end_d is the last calendar day the
    //    snapshot sees (as_of is exclusive); calibration ends holdoutDays before it and the RFM
    //    window starts lookbackDays before it (both ≥ 7 days, so within the whole days).
    await progress(0.02, "aggregate");
    const endDay = await timed(timings, "aggregate", async () => {
      const source = await rollupSource(query, tz);
      // The day bounds, computed once and passed to the statement below as values.
      // whole_until: the last day the rollups give whole — the as-of day itself when the as-of
      // instant is its end, else the day before, and the as-of day's orders come from `edge`.
      const [day] = await query<{ e: string; partial: boolean; whole_until: string; e_start: Date; window_from: string; cal_end: string }>(
        `select to_char(e, 'YYYY-MM-DD') as e, partial, to_char(e - partial::int, 'YYYY-MM-DD') as whole_until,
                (e::timestamp at time zone $1) as e_start, to_char(e - $3::int, 'YYYY-MM-DD') as window_from,
                to_char(e - $4::int, 'YYYY-MM-DD') as cal_end
           from (select e, $2::timestamptz <> ((e + 1)::timestamp at time zone $1) as partial
                   from (select (($2::timestamptz - interval '1 microsecond') at time zone $1)::date as e) x) y`,
        [tz, asOf, params.lookbackDays, params.holdoutDays],
      );
      if (!day) throw new Error("could not compute the snapshot's day bounds");
      const partialDay = day.partial;
      const edge = partialDay
        ? `select o.customer_id, count(*)::int as n, sum(o.amount) as spend, min(o.ordered_at) as first_at, max(o.ordered_at) as last_at
             from orders o
            where o.status = 'completed' and o.ordered_at >= $5::timestamptz and o.ordered_at < $6::timestamptz
            group by 1`
        : "select null::bigint as customer_id, null::int as n, null::numeric as spend, null::timestamptz as first_at, null::timestamptz as last_at where false";
      await query(
        `create temp table snap_base on commit drop as
         with edge as (${edge}),
         h as (
           -- (offset 0 keeps this a subquery, so k, w and c are computed once per row)
           select r.customer_id, r.first_order_at, r.purchase_dates as ds, r.cumulative_orders as co,
                  r.cumulative_revenue as cr, r.day_last_order_at as dl, $1::date as e,
                  width_bucket($2::date, r.purchase_dates) as k,
                  width_bucket($3::date, r.purchase_dates) as w,
                  width_bucket($4::date, r.purchase_dates) as c,
                  e.n as e_n, e.spend as e_spend, e.first_at as e_first, e.last_at as e_last
             from ${source} r left join edge e on e.customer_id = r.customer_id
           offset 0
         )
         select customer_id,
                case when k > 0 then ds[1] else e end as first_d,
                case when e_n is null then ds[k] else e end as last_d,
                case when k > 0 then first_order_at else e_first end as first_at,
                coalesce(e_last, dl[k]) as last_at,
                k + (e_n is not null)::int as purchase_days,
                coalesce(co[k], 0) + coalesce(e_n, 0) as order_count,
                coalesce(cr[k], 0) + coalesce(e_spend, 0) as revenue,
                case when k > 0 then cr[1] else e_spend end as first_spend,
                k - w + (e_n is not null)::int as win_days,
                coalesce(cr[k], 0) - coalesce(cr[w], 0) + coalesce(e_spend, 0) as win_revenue,
                c as cal_days,
                ds[c] as cal_last_d,
                k - c + (e_n is not null)::int as holdout_days,
                case when e_n is null then ds[c + 1:k] else ds[c + 1:k] || e end as holdout_ds
           from h
          where k > 0 or e_n is not null`,
        [day.e, day.whole_until, day.window_from, day.cal_end, ...(partialDay ? [day.e_start, asOf] : [])],
      );
      return day.e;
    });
    // Temporary tables get no automatic statistics; without them the planner guesses joins badly.
    await query("analyze snap_base");
    const [{ customers } = { customers: 0 }] = await query<{ customers: number }>("select count(*)::int as customers from snap_base");
    await progress(0.3, "fit");

    // 2. BTYD sufficient statistics, compressed in SQL to unique (x, t_x, T) in days. Above
    //    fitSampleCustomers (50,000) customers the models are fitted on a deterministic random sample
    //    of them (by a hash of the id, so independent of id order): maximum likelihood on 50,000
    //    customers pins the four parameters far below any business-relevant difference.
    const sampleEvery = Math.max(1, Math.ceil(customers / (params.fitSampleCustomers ?? FIT_SAMPLE_CUSTOMERS)));
    const inSample = sampleCondition(sampleEvery);
    const triples = await timed(timings, "triples", () =>
      query<TripleRow>(
        `select purchase_days - 1 as x, (last_d - first_d) as tx_days, ($1::date - first_d) as t_days, count(*)::int as n
           from snap_base where ${inSample} group by 1, 2, 3 order by 1, 2, 3`,
        [endDay],
      ),
    );
    const weighted = triples.map((t) => ({ x: t.x, tx: t.tx_days / unit, T: t.t_days / unit, weight: t.n }));
    const fitCustomers = triples.reduce((sum, t) => sum + t.n, 0);
    /** The sample's log-likelihood scaled to every customer (exact when there is no sample). */
    const scaled = <F extends { logLikelihood: number; customers: number }>(fit: F): F =>
      sampleEvery === 1 ? fit : { ...fit, logLikelihood: (fit.logLikelihood * customers) / fitCustomers, customers };

    // 3. Model fits on the compressed statistics.
    const fits = await timed(timings, "fit", async () => {
      const bg = tryFit(() => scaled(fitBgNbd(weighted)), "BG/NBD");
      // Pareto/NBD has no analytic gradient here and costs ~10× BG/NBD on large, flat
      // likelihoods: fit it when it drives the predictions, otherwise say it was skipped.
      const pareto =
        params.model === "pareto-nbd"
          ? tryFit(() => scaled(fitParetoNbd(weighted)), "Pareto/NBD")
          : { error: "Not fitted: BG/NBD drives this snapshot. Create a snapshot with model PARETO_NBD to fit it." };
      const spendRows = await query<{ x: number; m: string; n: number }>(
        `select purchase_days - 1 as x, round((revenue - first_spend) / (purchase_days - 1), 2) as m, count(*)::int as n
           from snap_base where purchase_days > 1 and revenue > first_spend and ${inSample} group by 1, 2`,
      );
      const gg = tryFit(() => fitGammaGamma(spendRows.map((r) => ({ frequency: r.x, monetaryValue: Number(r.m), weight: r.n }))), "Gamma-Gamma");
      return { bg, pareto, gg };
    });
    await progress(0.45, "predict");

    const model: BtydModel | null =
      params.model === "pareto-nbd"
        ? "params" in fits.pareto
          ? { kind: "pareto-nbd", params: fits.pareto.params }
          : null
        : "params" in fits.bg
          ? { kind: "bg-nbd", params: fits.bg.params }
          : null;

    // 4. Predictions. E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · g(x, T, t): the costly g
    //    (a hypergeometric series under BG/NBD) is computed here once per distinct (x, T);
    //    P(alive) is closed-form under BG/NBD and computed by the database in the scores
    //    statement, while Pareto/NBD's needs a series too, per distinct (x, t_x, T).
    const horizon = (params.horizonMonths * 30) / unit;
    await timed(timings, "predict", async () => {
      await query("create temp table snap_factors (x int, t_days int, horizon float8, discounted float8) on commit drop");
      await query("create temp table snap_alive (x int, tx_days int, t_days int, p_alive float8) on commit drop");
      if (!model) return;
      const options = { horizon, months: params.horizonMonths, monthlyDiscountRate: params.monthlyDiscountRate, timeUnit: params.timeUnit };
      const pairs = await query<{ x: number; t_days: number }>(
        "select distinct purchase_days - 1 as x, $1::date - first_d as t_days from snap_base",
        [endDay],
      );
      const factorsOf = createExpectationFactors(model, options);
      const factors = pairs.map((p) => factorsOf(p.x, p.t_days / unit));
      await insertColumns(query, "snap_factors", ["int", "int", "float8", "float8"], [
        pairs.map((p) => p.x),
        pairs.map((p) => p.t_days),
        factors.map((f) => f.horizon),
        factors.map((f) => f.discounted),
      ]);
      if (model.kind === "pareto-nbd") {
        const all = await query<Omit<TripleRow, "n">>(
          "select distinct purchase_days - 1 as x, last_d - first_d as tx_days, $1::date - first_d as t_days from snap_base",
          [endDay],
        );
        const alive = all.map((t) => paretoNbdProbabilityAlive(model.params, t.x, t.tx_days / unit, t.t_days / unit));
        await insertColumns(query, "snap_alive", ["int", "int", "int", "float8"], [all.map((t) => t.x), all.map((t) => t.tx_days), all.map((t) => t.t_days), alive]);
      }
    });
    await query("analyze snap_factors");
    await query("analyze snap_alive");
    await progress(0.55, "scores");

    // 5. Scores, set-based (snapshot-scores.ts), into a fresh table attached as the snapshot's
    //    partition of customer_scores once complete (migration 0004).
    const scoresTable = `customer_scores_${snapshotId}`;
    await timed(timings, "scores", async () => {
      await createPartitionTable(query, "customer_scores", scoresTable, snapshotId);
      const gg = "params" in fits.gg ? fits.gg.params : null;
      await writeScores(query, { snapshotId, endDay, params, customers, unit, model, gg, table: scoresTable });
    });
    await progress(0.8, "segments");

    // 6. Segment memberships of this snapshot, the same way.
    const membersTable = `segment_members_${snapshotId}`;
    await timed(timings, "segments", async () => {
      await createPartitionTable(query, "segment_members", membersTable, snapshotId);
      await refreshSegmentMembers(query, snapshotId, undefined, { table: membersTable, scoresTable });
    });
    await progress(0.88, "holdout");

    // 7. Holdout diagnostics: fit on the calibration period, predict the holdout period.
    const holdout = await timed(timings, "holdout", () => holdoutReport(query, params, endDay, inSample));

    // 8. Publish: attach both partitions. Attaching locks the tables the foreign keys point to
    //    (snapshots, customers, segments) against writes until commit, so it comes last and
    //    reports no progress through another connection after it.
    await progress(0.95, "publish");
    await timed(timings, "publish", async () => {
      await attachPartition(query, "customer_scores", scoresTable, snapshotId);
      await attachPartition(query, "segment_members", membersTable, snapshotId);
    });

    const modelFits: ModelFits = {
      timeUnit: params.timeUnit,
      customers,
      uniqueTriples: triples.length,
      fitCustomers,
      drivingModel: params.model,
      bgNbd: fits.bg,
      paretoNbd: fits.pareto,
      gammaGamma: fits.gg,
      holdout,
    };
    await query(
      `update snapshots set status = 'succeeded', progress = 1, stage = 'done', model_fits = $2::jsonb, timings = $3::jsonb,
                            customer_count = $4, finished_at = now(), error = null
        where id = $1`,
      [snapshotId, JSON.stringify(modelFits), JSON.stringify(timings), customers],
    );
    return { timings, fits: modelFits, customers };
  });
}

/**
 * A table shaped like the partitioned `parent` (columns, defaults, NOT NULL and CHECK
 * constraints) without its indexes and foreign keys, with a CHECK that it holds one snapshot
 * so attaching it needs no scan to prove that.
 */
async function createPartitionTable(query: Query, parent: string, table: string, snapshotId: number): Promise<void> {
  if (!Number.isSafeInteger(snapshotId)) throw new Error(`bad snapshot id ${snapshotId}`);
  await query(`create table ${table} (like ${parent} including defaults including constraints)`);
  await query(`alter table ${table} add constraint ${table}_snapshot check (snapshot_id = ${snapshotId})`);
}

/** Attaches a filled partition: PostgreSQL builds its indexes and checks its foreign keys in bulk. */
async function attachPartition(query: Query, parent: string, table: string, snapshotId: number): Promise<void> {
  await query(`alter table ${parent} attach partition ${table} for values in (${snapshotId})`);
  await query(`analyze ${table}`);
}

/**
 * Where the snapshot reads purchase histories: `customer_rollups`, whose purchase days are
 * counted in the settings' time zone; a snapshot queued under another zone (the settings
 * changed since) gets the same rows recounted from orders in its own zone.
 */
async function rollupSource(query: Query, timeZone: string): Promise<string> {
  const [settings] = await query<{ time_zone: string }>("select time_zone from settings where id = 1");
  if (settings?.time_zone === timeZone) return "customer_rollups";
  await query(`create temp table snap_rollups on commit drop as ${historySelect(1)}`, [timeZone]);
  return "snap_rollups";
}

/** Inserts column arrays into a table, in batches. */
async function insertColumns(query: Query, table: string, types: string[], columns: unknown[][]): Promise<void> {
  const rows = columns[0]?.length ?? 0;
  const unnest = types.map((type, i) => `$${i + 1}::${type}[]`).join(", ");
  for (let i = 0; i < rows; i += 50_000) {
    await query(`insert into ${table} select * from unnest(${unnest})`, columns.map((c) => c.slice(i, i + 50_000)));
  }
}

