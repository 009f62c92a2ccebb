// The snapshot pipeline (DESIGN §1 data flow): per-customer rollups → per-customer aggregate (SQL) → RFM and
// deciles (SQL) → BTYD statistics compressed to unique triples (SQL) → model fits (scoring
// package) → predictions per unique triple → per-customer scores written set-based → segment
// memberships. All writes happen in one transaction: a failed run leaves no partial scores.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { fitBgNbd, type BgNbdFit, type BgNbdParams } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitRefusal } from "@ltvloop/scoring/btyd/fit-checks";
import { fitGammaGamma, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, paretoNbdProbabilityAlive, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { conditionalExpectedPurchases, createExpectationFactors, type BtydModel } from "@ltvloop/scoring/clv";
import type { SnapshotParameters } from "./snapshot.params.ts";
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

export interface HoldoutReport {
  calibrationEnd: string;
  holdoutDays: number;
  customers: number;
  byFrequency: { frequency: number; isOpenEnded: boolean; customers: number; actualMean: number; predictedMean: number }[];
  /** Cumulative repeat purchases in the holdout period by week, observed vs predicted. */
  tracking: { week: number; actual: number; predicted: number }[];
  totalActual: number;
  totalPredicted: number;
}

const daysPerUnit = (unit: "week" | "day") => (unit === "week" ? 7 : 1);
const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

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

    // 5. Scores, set-based: RFM (thresholds or quantiles with ties kept together, as in
    //    @ltvloop/scoring/rfm), deciles by lifetime revenue, expected spend (Gamma-Gamma,
    //    Fader, Hardie & Lee 2005 JMR eq. 5), predicted and historical CLV.
    const gg = "params" in fits.gg ? fits.gg.params : null;
    const pAliveSql = !model ? "null::float8" : model.kind === "pareto-nbd" ? "al.p_alive" : bgNbdProbabilityAliveSql(model.params, unit);
    const t = params.rfmThresholds;
    const thresholdScores = `
      case when b.recency_days <= ${t.recencyDays[0]} then 5 when b.recency_days <= ${t.recencyDays[1]} then 4
           when b.recency_days <= ${t.recencyDays[2]} then 3 when b.recency_days <= ${t.recencyDays[3]} then 2 else 1 end as r_score,
      1 + (b.win_days >= ${t.frequency[0]})::int + (b.win_days >= ${t.frequency[1]})::int + (b.win_days >= ${t.frequency[2]})::int + (b.win_days >= ${t.frequency[3]})::int as f_score,
      1 + (b.win_revenue >= ${t.monetary[0]})::int + (b.win_revenue >= ${t.monetary[1]})::int + (b.win_revenue >= ${t.monetary[2]})::int + (b.win_revenue >= ${t.monetary[3]})::int as m_score`;
    // Window functions that need the partition's row count (ntile, count(*) over ()) make
    // PostgreSQL spool every wide row first; the count is known, so rank and row_number stream.
    const n = Math.max(customers, 1);
    const quantileScores = `
      1 + least(4, floor(5.0 * (rank() over (order by b.recency_days desc) - 1) / ${n}))::int as r_score,
      1 + least(4, floor(5.0 * (rank() over (order by b.win_days) - 1) / ${n}))::int as f_score,
      1 + least(4, floor(5.0 * (rank() over (order by b.win_revenue) - 1) / ${n}))::int as m_score`;
    // ntile(10) over (order by revenue desc, customer_id) without sorting the wide rows: the last
    // customer of each decile is found by a narrow sort, and a customer's decile is 1 + the
    // number of those boundaries ranked before them.
    const decile = await decileExpression(query, customers);
    // The RF map's 25 keys, row by row, indexed by (r - 1)·5 + f.
    const segmentOf = `(array[${params.rfSegmentMap
      .flatMap((row) => row.map((key) => `'${key.replace(/'/g, "''")}'`))
      .join(", ")}]::text[])[(r_score - 1) * 5 + f_score]`;
    // Money to cents: through int8, which costs a fraction of a float8 → numeric conversion.
    const cents = (value: string) => `(round(${value} * 100)::int8 * 0.01)`;
    // Model outputs are computed in float8 (rounded to cents when stored): numeric division
    // costs several times more per row and buys no accuracy the models have.
    // x · mean repeat spend = revenue after the first purchase day.
    const expectedSpend = gg
      ? `case when b.purchase_days > 1 and b.revenue > b.first_spend
              then (${float8(gg.p)} * (${float8(gg.gamma)} + (b.revenue - b.first_spend)::float8)) / (${float8(gg.p)} * (b.purchase_days - 1) + ${float8(gg.q)} - 1)
              else ${gg.q > 1 ? float8((gg.p * gg.gamma) / (gg.q - 1)) : "null::float8"} end`
      : "null::float8";
    // The scores go into a fresh table — no index or foreign-key trigger to maintain per row —
    // attached as the snapshot's partition of customer_scores once complete (migration 0004).
    const scoresTable = `customer_scores_${snapshotId}`;
    await timed(timings, "scores", async () => {
      await createPartitionTable(query, "customer_scores", scoresTable, snapshotId);
      // Look the factors up by hash: a merge join would sort every customer row for a table of
      // a few thousand (x, T) pairs.
      await query("set local enable_mergejoin = off");
      await query(
        `insert into ${scoresTable} (snapshot_id, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
                                      rfm_segment, decile, btyd_x, btyd_t_x, btyd_t, p_alive, expected_purchases,
                                      expected_spend, predicted_clv, historical_clv, revenue, order_count, first_order_at, last_order_at)
         select $1, customer_id, recency_days, win_days, win_revenue, r_score, f_score, m_score, ${segmentOf}, decile,
                x, tx, t, p_alive, p_alive * g_horizon, ${cents("expected_spend")},
                ${cents("(p_alive * g_discounted * expected_spend * $3::float8)")}, ${cents("historical_clv")},
                revenue, order_count, first_at, last_at
           from (
             select b.customer_id, b.recency_days, b.win_days, b.win_revenue, b.revenue, b.order_count, b.first_at, b.last_at,
                    ${params.rfmBinMode === "quantile" ? quantileScores : thresholdScores},
                    ${decile} as decile,
                    b.purchase_days - 1 as x, (b.last_d - b.first_d)::float8 / ${unit} as tx, ($2::date - b.first_d)::float8 / ${unit} as t,
                    ${pAliveSql} as p_alive, g.horizon as g_horizon, g.discounted as g_discounted,
                    ${expectedSpend} as expected_spend,
                    b.revenue::float8 / greatest(($2::date - b.first_d + 1) / 365.25::float8, 1.0::float8) * $4::float8 * $3::float8
                      - coalesce(c.acquisition_cost, 0)::float8 as historical_clv
               from (select *, ($2::date - last_d) as recency_days from snap_base) b
               join customers c on c.id = b.customer_id
               left join snap_factors g on g.x = b.purchase_days - 1 and g.t_days = $2::date - b.first_d
               ${model?.kind === "pareto-nbd" ? "left join snap_alive al on al.x = b.purchase_days - 1 and al.tx_days = b.last_d - b.first_d and al.t_days = $2::date - b.first_d" : ""}
             offset 0 -- evaluate each score once: the outer select refers to them several times
           ) scored`,
        [snapshotId, endDay, params.margin, params.expectedLifespanYears],
      );
      await query("set local enable_mergejoin = on");
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

/**
 * SQL giving the decile of a snap_base row `b` as ntile(10) over (order by revenue desc,
 * customer_id) would: the first n mod 10 deciles hold ⌊n/10⌋ + 1 customers, the others ⌊n/10⌋.
 * The last customer of each of deciles 1–9 is looked up by a narrow sort; a row's decile is
 * 1 + the number of those boundary customers ranked before it.
 */
async function decileExpression(query: Query, customers: number): Promise<string> {
  const q = Math.floor(customers / 10);
  const r = customers % 10;
  const lastRanks = Array.from({ length: 9 }, (_, i) => (i + 1 <= r ? (i + 1) * (q + 1) : r * (q + 1) + (i + 1 - r) * q)).filter((rank) => rank >= 1);
  if (lastRanks.length === 0) return "1";
  const rows = await query<{ rn: number; revenue: string; customer_id: number }>(
    `select rn::int, revenue::text, customer_id from (
       select revenue, customer_id, row_number() over (order by revenue desc, customer_id) as rn from snap_base
     ) ranked where rn = any($1::bigint[])`,
    [[...new Set(lastRanks)]],
  );
  const byRank = new Map(rows.map((row) => [row.rn, row]));
  const after = lastRanks.map((rank) => {
    const boundary = byRank.get(rank);
    if (!boundary || !/^-?\d+(\.\d+)?$/.test(boundary.revenue) || !Number.isSafeInteger(Number(boundary.customer_id))) {
      throw new Error(`decile boundary at rank ${rank} not found`);
    }
    const revenue = `${boundary.revenue}::numeric`;
    return `(b.revenue < ${revenue} or (b.revenue = ${revenue} and b.customer_id > ${Number(boundary.customer_id)}))::int`;
  });
  return `(1 + ${after.join(" + ")})`;
}

/** Customers models are fitted on exactly; beyond it, on a random sample of about this many. */
export const FIT_SAMPLE_CUSTOMERS = 50_000;

/**
 * SQL condition over snap_base keeping one customer in `every`, chosen by a hash of the id:
 * deterministic, and independent of how ids were assigned.
 */
function sampleCondition(every: number): string {
  if (!Number.isSafeInteger(every) || every < 1) throw new Error(`bad sampling interval ${every}`);
  return every === 1 ? "true" : `abs(hashint8(customer_id)::bigint) % ${every} = 0`;
}

/** A model parameter as a SQL float8 literal; refuses NaN and infinities. */
function float8(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`model parameter ${v} is not finite`);
  return `${v}::float8`;
}

/**
 * P(alive | x, t_x, T) under BG/NBD as a SQL expression over snap_base `b` (the same closed
 * form as @ltvloop/scoring's bgNbdProbabilityAlive), the log-odds clamped so exp() stays in range.
 */
function bgNbdProbabilityAliveSql(p: BgNbdParams, unit: number): string {
  const x = "(b.purchase_days - 1)";
  const logOdds = `(ln(${float8(p.a)}) - ln(${float8(p.b)} + ${x} - 1)
      + (${float8(p.r)} + ${x}) * (ln(${float8(p.alpha)} + ($2::date - b.first_d)::float8 / ${unit}) - ln(${float8(p.alpha)} + (b.last_d - b.first_d)::float8 / ${unit})))`;
  return `case when b.purchase_days = 1 then 1::float8 else 1 / (1 + exp(least(greatest(${logOdds}, -700), 700))) end`;
}

/** Inserts column arrays into a table, in batches. */
async function insertColumns(query: Query, table: string, types: string[], columns: unknown[][]): Promise<void> {
  const rows = columns[0]?.length ?? 0;
  const unnest = types.map((type, i) => `$${i + 1}::${type}[]`).join(", ");
  for (let i = 0; i < rows; i += 50_000) {
    await query(`insert into ${table} select * from unnest(${unnest})`, columns.map((c) => c.slice(i, i + 50_000)));
  }
}

/** Distinct histories the holdout diagnostics evaluate exactly before they sample. */
const DIAGNOSTIC_SAMPLE = 20_000;
const TRACKING_SAMPLE = 2_000;

/**
 * Systematic sampling proportional to weight: returns every item with its own weight when
 * there are at most `size` items, else `size` equally spaced draws along the cumulative
 * weight, each standing for total/size (items drawn several times are merged). Deterministic.
 */
export function systematicSample<T>(items: readonly T[], weightOf: (item: T) => number, size: number): { item: T; weight: number }[] {
  if (items.length <= size) return items.map((item) => ({ item, weight: weightOf(item) }));
  const total = items.reduce((sum, item) => sum + weightOf(item), 0);
  const step = total / size;
  const picked = new Map<number, number>();
  let next = step / 2;
  let cumulative = 0;
  items.forEach((item, index) => {
    cumulative += weightOf(item);
    while (next < cumulative) {
      picked.set(index, (picked.get(index) ?? 0) + step);
      next += step;
    }
  });
  return [...picked].map(([index, weight]) => ({ item: items[index] as T, weight }));
}

/** A fit, or why it cannot be used: it threw, did not converge or carries warnings (see fitRefusal). */
function tryFit<T extends { converged: boolean; warnings: string[] }>(fit: () => T, label: string): T | { error: string } {
  try {
    const result = fit();
    const refusal = fitRefusal(label, result);
    return refusal === null ? result : { error: refusal };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}

async function holdoutReport(
  query: Query,
  params: SnapshotParameters,
  endDay: string,
  inSample: string,
): Promise<HoldoutReport | { error: string } | null> {
  const unit = daysPerUnit(params.timeUnit);
  const maxBucket = 7;
  // What happened, over every customer with a calibration period.
  const actual = await query<{ bucket: number; customers: number; purchases: number }>(
    `select least(cal_days - 1, ${maxBucket}) as bucket, count(*)::int as customers, sum(holdout_days)::int as purchases
       from snap_base where cal_days > 0 group by 1 order by 1`,
  );
  const calibrationCustomers = actual.reduce((s, r) => s + r.customers, 0);
  if (calibrationCustomers < 100) return null;
  // What the model predicts: fitted on the calibration histories of the fit sample.
  const rows = await query<{ x: number; tx_days: number; t_days: number; n: number }>(
    `select cal_days - 1 as x, (cal_last_d - first_d) as tx_days, (($1::date - $2::int) - first_d) as t_days, count(*)::int as n
       from snap_base where cal_days > 0 and ${inSample} group by 1, 2, 3 order by 1, 2, 3`,
    [endDay, params.holdoutDays],
  );
  const triples = rows.map((r) => ({ x: r.x, tx: r.tx_days / unit, T: r.t_days / unit, weight: r.n }));
  const sampled = triples.reduce((s, t) => s + t.weight, 0);
  const fit = tryFit<BgNbdFit | ParetoNbdFit>(
    () => (params.model === "pareto-nbd" ? fitParetoNbd(triples) : fitBgNbd(triples)),
    params.model === "pareto-nbd" ? "Pareto/NBD" : "BG/NBD",
  );
  if ("error" in fit) return { error: `Calibration fit failed: ${fit.error}` };
  const model: BtydModel =
    params.model === "pareto-nbd"
      ? { kind: "pareto-nbd", params: (fit as ParetoNbdFit).params }
      : { kind: "bg-nbd", params: (fit as BgNbdFit).params };
  const holdoutLength = params.holdoutDays / unit;

  // Conditional expectation per unique calibration triple, reused by both views.
  const expectation = new Map<string, number>();
  const expected = (t: { x: number; tx: number; T: number }, length: number) => {
    const key = `${t.x}:${t.tx}:${t.T}:${length}`;
    let value = expectation.get(key);
    if (value === undefined) {
      value = conditionalExpectedPurchases(model, length, t);
      expectation.set(key, value);
    }
    return value;
  };

  // Predicted holdout purchases per customer, by calibration frequency. Predictions cost a
  // hypergeometric series each: beyond DIAGNOSTIC_SAMPLE distinct histories they are estimated
  // from a weighted systematic sample (exact below it, unbiased above it).
  const predicted = Array.from({ length: maxBucket + 1 }, () => ({ sum: 0, weight: 0 }));
  for (const { item: t, weight } of systematicSample(triples, (t) => t.weight, DIAGNOSTIC_SAMPLE)) {
    const bucket = predicted[Math.min(t.x, maxBucket)] as (typeof predicted)[number];
    bucket.sum += expected(t, holdoutLength) * weight;
    bucket.weight += weight;
  }
  const byFrequency = Array.from({ length: maxBucket + 1 }, (_, frequency) => {
    const row = actual.find((r) => r.bucket === frequency);
    const p = predicted[frequency] as (typeof predicted)[number];
    const customers = row?.customers ?? 0;
    return {
      frequency,
      isOpenEnded: frequency === maxBucket,
      customers,
      actualMean: customers > 0 ? (row?.purchases ?? 0) / customers : 0,
      predictedMean: p.weight > 0 ? p.sum / p.weight : 0,
    };
  });

  // Weekly cumulative tracking over the holdout period (at most 26 points to bound the cost):
  // observed from every customer's holdout purchase days, predicted from the sample scaled up.
  const weeks = Math.max(1, Math.floor(params.holdoutDays / 7));
  const step = Math.max(1, Math.ceil(weeks / 26));
  const weekly = await query<{ week: number; n: number }>(
    `select ((d - ($1::date - $2::int) - 1) / 7) + 1 as week, count(*)::int as n
       from (select unnest(holdout_ds) as d from snap_base where cal_days > 0 and holdout_days > 0) purchase_days
      group by 1`,
    [endDay, params.holdoutDays],
  );
  const actualByWeek = new Map(weekly.map((w) => [w.week, w.n]));
  const tracking: HoldoutReport["tracking"] = [];
  let cumulativeActual = 0;
  const scale = sampled > 0 ? calibrationCustomers / sampled : 0;
  const tracked = systematicSample(triples, (t) => t.weight, TRACKING_SAMPLE);
  for (let week = 1; week <= weeks; week++) {
    cumulativeActual += actualByWeek.get(week) ?? 0;
    if (week % step !== 0 && week !== weeks) continue;
    const length = (week * 7) / unit;
    let forecast = 0;
    for (const { item, weight } of tracked) forecast += weight * expected(item, length);
    tracking.push({ week, actual: cumulativeActual, predicted: forecast * scale });
  }

  const totalActual = actual.reduce((s, r) => s + r.purchases, 0);
  const totalPredicted = byFrequency.reduce((s, b) => s + b.predictedMean * b.customers, 0);
  return {
    calibrationEnd: await query<{ d: string }>(`select to_char($1::date - $2::int, 'YYYY-MM-DD') as d`, [endDay, params.holdoutDays]).then(
      (r) => r[0]?.d ?? "",
    ),
    holdoutDays: params.holdoutDays,
    customers: calibrationCustomers,
    byFrequency,
    tracking,
    totalActual,
    totalPredicted,
  };
}
