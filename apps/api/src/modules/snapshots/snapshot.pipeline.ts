// The snapshot pipeline (DESIGN §1 data flow): orders → per-customer aggregate (SQL) → RFM and
// deciles (SQL) → BTYD statistics compressed to unique triples (SQL) → model fits (scoring
// package) → predictions per unique triple → per-customer scores written set-based → segment
// memberships. All writes happen in one transaction: a failed run leaves no partial scores.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { bgNbdLogLikelihood, fitBgNbd, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitGammaGamma, type GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { fitParetoNbd, paretoNbdLogLikelihood, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { conditionalExpectedPurchases, createPredictor, type BtydModel } from "@ltvloop/scoring/clv";
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
  /** Distinct triples the likelihoods were maximised on: all, or a weighted systematic sample. */
  fitTriples: number;
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
                count(*) filter (where d > ${calEnd})::int as holdout_days
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

    // 2. BTYD sufficient statistics, compressed in SQL to unique (x, t_x, T) in days.
    const triples = await timed(timings, "triples", () =>
      query<TripleRow>(
        `select purchase_days - 1 as x, (last_d - first_d) as tx_days, ($1::date - first_d) as t_days, count(*)::int as n
           from snap_base group by 1, 2, 3 order by 1, 2, 3`,
        [endDay],
      ),
    );
    const weighted = triples.map((t) => ({ x: t.x, tx: t.tx_days / unit, T: t.t_days / unit, weight: t.n }));

    // 3. Model fits on the compressed statistics.
    //    Beyond FIT_SAMPLE_TRIPLES distinct histories the likelihood is maximised on a weighted
    //    systematic sample of them (an unbiased estimate of the full log-likelihood); the
    //    reported log-likelihood is always that of every customer at the fitted parameters.
    const sample = fitSample(weighted);
    const fits = await timed(timings, "fit", async () => {
      const bg = tryFit(() => {
        const fit = fitBgNbd(sample);
        return sample === weighted ? fit : { ...fit, logLikelihood: bgNbdLogLikelihood(fit.params, weighted), uniqueTriples: weighted.length };
      });
      // Pareto/NBD has no analytic gradient here and costs ~10× BG/NBD on large, flat
      // likelihoods: fit it when it drives the predictions, otherwise say it was skipped.
      const pareto =
        params.model === "pareto-nbd"
          ? tryFit(() => {
              const fit = fitParetoNbd(sample);
              return sample === weighted ? fit : { ...fit, logLikelihood: paretoNbdLogLikelihood(fit.params, weighted), uniqueTriples: weighted.length };
            })
          : { error: "Not fitted: BG/NBD drives this snapshot. Create a snapshot with model PARETO_NBD to fit it." };
      const spendRows = await query<{ x: number; m: string; n: number }>(
        `select purchase_days - 1 as x, round((revenue - first_spend) / (purchase_days - 1), 2) as m, count(*)::int as n
           from snap_base where purchase_days > 1 and revenue > first_spend group by 1, 2`,
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

    // 4. Predictions per unique triple (they depend on nothing else), joined back in SQL.
    const horizon = (params.horizonMonths * 30) / unit;
    await timed(timings, "predict", async () => {
      await query(
        // Unique by construction (grouped in SQL); the scores join it by hash, so no index.
        `create temp table snap_triples (x int, tx_days int, t_days int, p_alive float8, expected_purchases float8, discounted_purchases float8)
           on commit drop`,
      );
      if (!model) return;
      const started = performance.now();
      const predict = createPredictor(model, {
        horizon,
        months: params.horizonMonths,
        monthlyDiscountRate: params.monthlyDiscountRate,
        timeUnit: params.timeUnit,
      });
      const columns = { x: [] as number[], tx: [] as number[], T: [] as number[], alive: [] as number[], expected: [] as number[], discounted: [] as number[] };
      for (const t of triples) {
        const p = predict({ x: t.x, tx: t.tx_days / unit, T: t.t_days / unit });
        columns.x.push(t.x);
        columns.tx.push(t.tx_days);
        columns.T.push(t.t_days);
        columns.alive.push(p.pAlive);
        columns.expected.push(p.expectedPurchases);
        columns.discounted.push(p.discountedPurchases);
      }
      timings["predict_compute"] = Math.round(performance.now() - started);
      for (let i = 0; i < columns.x.length; i += 50_000) {
        const slice = (a: number[]) => a.slice(i, i + 50_000);
        await query(
          `insert into snap_triples select * from unnest($1::int[], $2::int[], $3::int[], $4::float8[], $5::float8[], $6::float8[])`,
          [slice(columns.x), slice(columns.tx), slice(columns.T), slice(columns.alive), slice(columns.expected), slice(columns.discounted)],
        );
      }
    });
    await query("analyze snap_triples");
    await progress(0.55, "scores");

    // 5. Scores, set-based: RFM (thresholds or quantiles with ties kept together, as in
    //    @ltvloop/scoring/rfm), deciles by lifetime revenue, expected spend (Gamma-Gamma,
    //    Fader, Hardie & Lee 2005 JMR eq. 5), predicted and historical CLV.
    const gg = "params" in fits.gg ? fits.gg.params : null;
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
                x, tx, t, p_alive, expected_purchases, round(expected_spend::numeric, 2),
                round((discounted_purchases * expected_spend * $3)::numeric, 2), round(historical_clv::numeric, 2),
                revenue, order_count, first_at, last_at
           from (
             select b.customer_id, b.recency_days, b.win_days, b.win_revenue, b.revenue, b.order_count, b.first_at, b.last_at,
                    ${params.rfmBinMode === "quantile" ? quantileScores : thresholdScores},
                    row_number() over (order by b.revenue desc, b.customer_id) as revenue_rank,
                    b.purchase_days - 1 as x, (b.last_d - b.first_d)::float8 / ${unit} as tx, ($2::date - b.first_d)::float8 / ${unit} as t,
                    tr.p_alive, tr.expected_purchases, tr.discounted_purchases,
                    ${expectedSpend} as expected_spend,
                    (b.revenue / b.order_count) * (b.order_count / greatest(($2::date - b.first_d + 1) / 365.25, 1.0)) * $4 * $3
                      - coalesce(c.acquisition_cost, 0) as historical_clv
               from (select *, ($2::date - last_d) as recency_days from snap_base) b
               join customers c on c.id = b.customer_id
               left join snap_triples tr on tr.x = b.purchase_days - 1 and tr.tx_days = b.last_d - b.first_d and tr.t_days = $2::date - b.first_d
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
    const holdout = await timed(timings, "holdout", () => holdoutReport(query, params, endDay));

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
      fitTriples: sample.length,
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

/** Distinct (x, t_x, T) histories models are fitted on exactly; beyond it, on a sample of this size. */
export const FIT_SAMPLE_TRIPLES = 50_000;

/** The triples themselves up to FIT_SAMPLE_TRIPLES, else a weighted systematic sample of them. */
export function fitSample<T extends { weight: number }>(triples: readonly T[]): readonly T[] {
  if (triples.length <= FIT_SAMPLE_TRIPLES) return triples;
  return systematicSample(triples, (t) => t.weight, FIT_SAMPLE_TRIPLES).map(({ item, weight }) => ({ ...item, weight }));
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

async function holdoutReport(query: Query, params: SnapshotParameters, endDay: string): Promise<HoldoutReport | { error: string } | null> {
  const unit = daysPerUnit(params.timeUnit);
  const rows = await query<{ x: number; tx_days: number; t_days: number; holdout: number; n: number }>(
    `select cal_days - 1 as x, (cal_last_d - first_d) as tx_days, (($1::date - $2::int) - first_d) as t_days,
            holdout_days as holdout, count(*)::int as n
       from snap_base where cal_days > 0 group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
    [endDay, params.holdoutDays],
  );
  const calibrationCustomers = rows.reduce((s, r) => s + r.n, 0);
  if (calibrationCustomers < 100) return null;
  const triples = new Map<string, { x: number; tx: number; T: number; weight: number }>();
  for (const r of rows) {
    const key = `${r.x}:${r.tx_days}:${r.t_days}`;
    const entry = triples.get(key) ?? { x: r.x, tx: r.tx_days / unit, T: r.t_days / unit, weight: 0 };
    entry.weight += r.n;
    triples.set(key, entry);
  }
  const calibration = fitSample([...triples.values()]);
  const fit = tryFit(() => (params.model === "pareto-nbd" ? fitParetoNbd(calibration) : fitBgNbd(calibration)));
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

  const maxBucket = 7;
  const buckets = Array.from({ length: maxBucket + 1 }, (_, i) => ({ frequency: i, isOpenEnded: i === maxBucket, customers: 0, actual: 0, predicted: 0 }));
  let totalActual = 0;
  let totalPredicted = 0;
  for (const r of rows) {
    const bucket = buckets[Math.min(r.x, maxBucket)] as (typeof buckets)[number];
    bucket.customers += r.n;
    bucket.actual += r.holdout * r.n;
    totalActual += r.holdout * r.n;
  }
  // Predictions cost a hypergeometric series each: beyond DIAGNOSTIC_SAMPLE distinct histories
  // they are estimated from a weighted systematic sample (exact below it, unbiased above it).
  for (const { item: r, weight } of systematicSample(rows, (r) => r.n, DIAGNOSTIC_SAMPLE)) {
    const bucket = buckets[Math.min(r.x, maxBucket)] as (typeof buckets)[number];
    const prediction = expected({ x: r.x, tx: r.tx_days / unit, T: r.t_days / unit }, holdoutLength);
    bucket.predicted += prediction * weight;
    totalPredicted += prediction * weight;
  }

  // Weekly cumulative tracking over the holdout period (at most 26 points to bound the cost).
  const weeks = Math.max(1, Math.floor(params.holdoutDays / 7));
  const step = Math.max(1, Math.ceil(weeks / 26));
  const weekly = await query<{ week: number; n: number }>(
    `select ((d - ($1::date - $2::int) - 1) / 7) + 1 as week, count(*)::int as n
       from (select distinct o.customer_id, (o.ordered_at at time zone $3)::date as d
               from orders o
              where o.status = 'completed' and o.ordered_at < $4::timestamptz
                and o.ordered_at >= (($1::date - $2::int + 1)::timestamp at time zone $3)) h
       join snap_base b using (customer_id)
      where b.cal_days > 0
      group by 1`,
    [endDay, params.holdoutDays, params.timeZone, params.asOf],
  );
  const actualByWeek = new Map(weekly.map((w) => [w.week, w.n]));
  const tracking: HoldoutReport["tracking"] = [];
  let cumulativeActual = 0;
  const tracked = systematicSample([...triples.values()], (t) => t.weight, TRACKING_SAMPLE).map(({ item, weight }) => ({ ...item, weight }));
  for (let week = 1; week <= weeks; week++) {
    cumulativeActual += actualByWeek.get(week) ?? 0;
    if (week % step !== 0 && week !== weeks) continue;
    const length = (week * 7) / unit;
    let predicted = 0;
    for (const t of tracked) predicted += t.weight * expected(t, length);
    tracking.push({ week, actual: cumulativeActual, predicted });
  }

  return {
    calibrationEnd: await query<{ d: string }>(`select to_char($1::date - $2::int, 'YYYY-MM-DD') as d`, [endDay, params.holdoutDays]).then(
      (r) => r[0]?.d ?? "",
    ),
    holdoutDays: params.holdoutDays,
    customers: calibrationCustomers,
    byFrequency: buckets.map((b) => ({
      frequency: b.frequency,
      isOpenEnded: b.isOpenEnded,
      customers: b.customers,
      actualMean: b.customers > 0 ? b.actual / b.customers : 0,
      predictedMean: b.customers > 0 ? b.predicted / b.customers : 0,
    })),
    tracking,
    totalActual,
    totalPredicted,
  };
}
