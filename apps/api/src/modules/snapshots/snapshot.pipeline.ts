// The snapshot pipeline (DESIGN §1 data flow): orders → per-customer aggregate (SQL) → RFM and
// deciles (SQL) → BTYD statistics compressed to unique triples (SQL) → model fits (scoring
// package) → predictions per unique triple → per-customer scores written set-based → segment
// memberships. All writes happen in one transaction: a failed run leaves no partial scores.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { fitBgNbd, type BgNbdFit, type BgNbdParams } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitGammaGamma, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, paretoNbdProbabilityAlive, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { conditionalExpectedPurchases, createExpectationFactors, type BtydModel } from "@ltvloop/scoring/clv";
import type { SnapshotParameters } from "./snapshot.params.ts";
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

    // 1. One pass over orders: purchase days in the business time zone, then per customer.
    //    end_d is the last calendar day the snapshot sees (as_of is exclusive).
    await progress(0.02, "aggregate");
    const calEnd = `((($2::timestamptz - interval '1 microsecond') at time zone $1)::date - $4::int)`;
    await timed(timings, "aggregate", () =>
      query(
        `create temp table snap_base on commit drop as
         with days as (
           select o.customer_id, (o.ordered_at at time zone $1)::date as d, sum(o.amount) as spend, count(*)::int as n,
                  min(o.ordered_at) as first_at, max(o.ordered_at) as last_at
             from orders o
            where o.status = 'completed' and o.ordered_at < $2::timestamptz
            group by 1, 2
         )
         select customer_id,
                min(d) as first_d, max(d) as last_d, min(first_at) as first_at, max(last_at) as last_at,
                count(*)::int as purchase_days, sum(n)::int as order_count, sum(spend) as revenue,
                (array_agg(spend order by d))[1] as first_spend,
                count(*) filter (where d > (($2::timestamptz - interval '1 microsecond') at time zone $1)::date - $3::int)::int as win_days,
                coalesce(sum(spend) filter (where d > (($2::timestamptz - interval '1 microsecond') at time zone $1)::date - $3::int), 0) as win_revenue,
                count(*) filter (where d <= ${calEnd})::int as cal_days,
                max(d) filter (where d <= ${calEnd}) as cal_last_d,
                count(*) filter (where d > ${calEnd})::int as holdout_days,
                array_agg(d) filter (where d > ${calEnd}) as holdout_ds
           from days
          group by customer_id`,
        [tz, asOf, params.lookbackDays, params.holdoutDays],
      ),
    );
    // Temporary tables get no automatic statistics; without them the planner guesses joins badly.
    await query("analyze snap_base");
    const [{ end_d: endDay, customers } = { end_d: "", customers: 0 }] = await query<{ end_d: string; customers: number }>(
      `select to_char((($2::timestamptz - interval '1 microsecond') at time zone $1)::date, 'YYYY-MM-DD') as end_d,
              (select count(*)::int from snap_base) as customers`,
      [tz, asOf],
    );
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
      const bg = tryFit(() => scaled(fitBgNbd(weighted)));
      // Pareto/NBD has no analytic gradient here and costs ~10× BG/NBD on large, flat
      // likelihoods: fit it when it drives the predictions, otherwise say it was skipped.
      const pareto =
        params.model === "pareto-nbd"
          ? tryFit(() => scaled(fitParetoNbd(weighted)))
          : { error: "Not fitted: BG/NBD drives this snapshot. Create a snapshot with model PARETO_NBD to fit it." };
      const spendRows = await query<{ x: number; m: string; n: number }>(
        `select purchase_days - 1 as x, round((revenue - first_spend) / (purchase_days - 1), 2) as m, count(*)::int as n
           from snap_base where purchase_days > 1 and revenue > first_spend and ${inSample} group by 1, 2`,
      );
      const gg = tryFit(() => fitGammaGamma(spendRows.map((r) => ({ frequency: r.x, monetaryValue: Number(r.m), weight: r.n }))));
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
    // ntile(10) over (order by revenue desc, customer_id), from the row number: the first
    // n mod 10 deciles hold ⌊n/10⌋ + 1 customers, the others ⌊n/10⌋.
    const q = Math.floor(customers / 10);
    const r = customers % 10;
    const decile = `case when revenue_rank <= ${r * (q + 1)} then (revenue_rank - 1) / ${q + 1} + 1
                         else ${r} + (revenue_rank - 1 - ${r * (q + 1)}) / ${Math.max(q, 1)} + 1 end`;
    const segmentCase = `case ${params.rfSegmentMap
      .flatMap((row, r) => row.map((key, f) => `when r_score = ${r + 1} and f_score = ${f + 1} then '${key.replace(/'/g, "''")}'`))
      .join(" ")} end`;
    const expectedSpend = gg
      ? `case when b.purchase_days > 1 and b.revenue > b.first_spend
              then (${gg.p} * (${gg.gamma} + (b.purchase_days - 1) * ((b.revenue - b.first_spend) / (b.purchase_days - 1)))) / (${gg.p} * (b.purchase_days - 1) + ${gg.q} - 1)
              else ${gg.q > 1 ? (gg.p * gg.gamma) / (gg.q - 1) : "null"} end`
      : "null";
    // The scores go into a fresh table — no index or foreign-key trigger to maintain per row —
    // attached as the snapshot's partition of customer_scores once complete (migration 0004).
    const scoresTable = `customer_scores_${snapshotId}`;
    await timed(timings, "scores", async () => {
      await createPartitionTable(query, "customer_scores", scoresTable, snapshotId);
      await query(
        `insert into ${scoresTable} (snapshot_id, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
                                      rfm_segment, decile, btyd_x, btyd_t_x, btyd_t, p_alive, expected_purchases,
                                      expected_spend, predicted_clv, historical_clv, revenue, order_count, first_order_at, last_order_at)
         select $1, customer_id, recency_days, win_days, win_revenue, r_score, f_score, m_score, ${segmentCase}, ${decile},
                x, tx, t, p_alive, p_alive * g_horizon, round(expected_spend::numeric, 2),
                round((p_alive * g_discounted * expected_spend * $3)::numeric, 2), round(historical_clv::numeric, 2),
                revenue, order_count, first_at, last_at
           from (
             select b.customer_id, b.recency_days, b.win_days, b.win_revenue, b.revenue, b.order_count, b.first_at, b.last_at,
                    ${params.rfmBinMode === "quantile" ? quantileScores : thresholdScores},
                    row_number() over (order by b.revenue desc, b.customer_id) as revenue_rank,
                    b.purchase_days - 1 as x, (b.last_d - b.first_d)::float8 / ${unit} as tx, ($2::date - b.first_d)::float8 / ${unit} as t,
                    ${pAliveSql} as p_alive, g.horizon as g_horizon, g.discounted as g_discounted,
                    ${expectedSpend} as expected_spend,
                    (b.revenue / b.order_count) * (b.order_count / greatest(($2::date - b.first_d + 1) / 365.25, 1.0)) * $4 * $3
                      - coalesce(c.acquisition_cost, 0) as historical_clv
               from (select *, ($2::date - last_d) as recency_days from snap_base) b
               join customers c on c.id = b.customer_id
               left join snap_factors g on g.x = b.purchase_days - 1 and g.t_days = $2::date - b.first_d
               left join snap_alive al on al.x = b.purchase_days - 1 and al.tx_days = b.last_d - b.first_d and al.t_days = $2::date - b.first_d
           ) scored`,
        [snapshotId, endDay, params.margin, params.expectedLifespanYears],
      );
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

/**
 * P(alive | x, t_x, T) under BG/NBD as a SQL expression over snap_base `b` (the same closed
 * form as @ltvloop/scoring's bgNbdProbabilityAlive), the log-odds clamped so exp() stays in range.
 */
function bgNbdProbabilityAliveSql(p: BgNbdParams, unit: number): string {
  const literal = (v: number) => {
    if (!Number.isFinite(v)) throw new Error(`BG/NBD parameter ${v} is not finite`);
    return `${v}::float8`;
  };
  const x = "(b.purchase_days - 1)";
  const logOdds = `(ln(${literal(p.a)}) - ln(${literal(p.b)} + ${x} - 1)
      + (${literal(p.r)} + ${x}) * (ln(${literal(p.alpha)} + ($2::date - b.first_d)::float8 / ${unit}) - ln(${literal(p.alpha)} + (b.last_d - b.first_d)::float8 / ${unit})))`;
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

function tryFit<T>(fit: () => T): T | { error: string } {
  try {
    return fit();
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
  const fit = tryFit(() => (params.model === "pareto-nbd" ? fitParetoNbd(triples) : fitBgNbd(triples)));
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
       from snap_base, unnest(holdout_ds) as d
      where cal_days > 0
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
