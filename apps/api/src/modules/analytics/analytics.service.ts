// Analytics reads (DESIGN §4.1, §4.2): RF matrix, deciles, RFM segments and model fits come
// from a snapshot's customer_scores; KPIs (kpi.service.ts) and cohorts (cohorts.service.ts)
// from the rollups of completed orders. Every list is one set-based statement, never a query
// per row.
import type { Query } from "@ltvloop/db/client";
import { RFM_SEGMENT_LABELS, type RfmSegmentKey } from "@ltvloop/scoring/rfm";
import { notFound } from "../../errors.ts";
import type { ModelFits } from "../snapshots/snapshot.pipeline.ts";
import { resolveSnapshotId } from "../snapshots/snapshot.service.ts";
import type { SnapshotParameters } from "../snapshots/snapshot.params.ts";

export * from "./cohorts.service.ts";
export * from "./kpi.service.ts";

/** PostgreSQL numerics arrive as strings; keep nulls null. */
const num = (value: unknown): number => Number(value ?? 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** The snapshot an analytics read refers to: the given id, else the latest succeeded one. */
export async function snapshotScope(query: Query, snapshotId: string | null | undefined): Promise<number> {
  if (snapshotId !== null && snapshotId !== undefined && !/^\d{1,15}$/.test(snapshotId)) {
    throw notFound(`Snapshot ${snapshotId} does not exist. List snapshots with \`snapshots\`.`, "SNAPSHOT_NOT_FOUND", { id: snapshotId });
  }
  return resolveSnapshotId(query, snapshotId === null || snapshotId === undefined ? null : Number(snapshotId));
}

// ─── RF matrix ─────────────────────────────────────────────────────────────────────────

export interface RfMatrixResult {
  snapshotId: number;
  asOf: Date;
  customers: number;
  revenue: number;
  /** The snapshot's look-back window (days) the cells' revenue covers. */
  lookbackDays: number | null;
  cells: { r: number; f: number; customers: number; revenue: number; revenueShare: number; meanMonetary: number | null; segmentKey: string }[];
}

/** All 25 RF cells (empty ones included) with look-back revenue (monetary) and its share. */
export async function rfMatrix(query: Query, snapshotId: number): Promise<RfMatrixResult> {
  const rows = await query<{
    r: number;
    f: number;
    customers: number;
    revenue: string;
    total_customers: number;
    total_revenue: string;
    revenue_share: number | null;
    segment_key: string | null;
    as_of: Date;
    lookback_days: number | null;
  }>(
    `with agg as (
       select r_score as r, f_score as f, count(*)::int as customers, sum(monetary) as revenue
         from customer_scores where snapshot_id = $1 group by 1, 2
     )
     select c.r, c.f, coalesce(a.customers, 0) as customers, coalesce(a.revenue, 0) as revenue,
            (sum(coalesce(a.customers, 0)) over ())::int as total_customers,
            sum(coalesce(a.revenue, 0)) over () as total_revenue,
            coalesce(coalesce(a.revenue, 0)::float8 / nullif(sum(coalesce(a.revenue, 0)) over (), 0)::float8, 0) as revenue_share,
            s.parameters -> 'rfSegmentMap' -> (c.r - 1) ->> (c.f - 1) as segment_key, s.as_of,
            (s.parameters ->> 'lookbackDays')::int as lookback_days
       from (select rr.r, ff.f from generate_series(1, 5) as rr(r) cross join generate_series(1, 5) as ff(f)) c
       join snapshots s on s.id = $1
       left join agg a on a.r = c.r and a.f = c.f
      order by c.r, c.f`,
    [snapshotId],
  );
  const first = rows[0];
  if (!first) throw notFound(`Snapshot ${snapshotId} does not exist. List snapshots with \`snapshots\`.`, "SNAPSHOT_NOT_FOUND", { id: snapshotId });
  return {
    snapshotId,
    asOf: first.as_of,
    customers: first.total_customers,
    revenue: num(first.total_revenue),
    lookbackDays: first.lookback_days,
    cells: rows.map((row) => ({
      r: row.r,
      f: row.f,
      customers: row.customers,
      revenue: num(row.revenue),
      revenueShare: num(row.revenue_share),
      meanMonetary: row.customers > 0 ? num(row.revenue) / row.customers : null,
      segmentKey: row.segment_key ?? "",
    })),
  };
}

// ─── Deciles ───────────────────────────────────────────────────────────────────────────

export interface DecileResult {
  decile: number;
  customers: number;
  orders: number;
  revenue: number;
  share: number;
  cumulativeShare: number;
  meanOrderValue: number | null;
  meanRevenue: number | null;
}

/** Ten revenue deciles (1 = top) by lifetime revenue up to the snapshot, as ranked by the pipeline. */
export async function deciles(query: Query, snapshotId: number): Promise<DecileResult[]> {
  const rows = await query<{
    decile: number;
    customers: number;
    orders: number;
    revenue: string;
    share: string | null;
    cumulative_share: string | null;
    mean_order_value: string | null;
    mean_revenue: string | null;
  }>(
    `with agg as (
       select decile, count(*)::int as customers, sum(order_count)::int as orders, sum(revenue) as revenue
         from customer_scores where snapshot_id = $1 group by decile
     )
     select d.decile, coalesce(a.customers, 0) as customers, coalesce(a.orders, 0) as orders, coalesce(a.revenue, 0) as revenue,
            coalesce(a.revenue, 0) / nullif(sum(a.revenue) over (), 0) as share,
            sum(coalesce(a.revenue, 0)) over (order by d.decile) / nullif(sum(a.revenue) over (), 0) as cumulative_share,
            a.revenue / nullif(a.orders, 0) as mean_order_value,
            a.revenue / nullif(a.customers, 0) as mean_revenue
       from generate_series(1, 10) as d(decile)
       left join agg a on a.decile = d.decile
      order by d.decile`,
    [snapshotId],
  );
  return rows.map((row) => ({
    decile: row.decile,
    customers: row.customers,
    orders: row.orders,
    revenue: num(row.revenue),
    share: num(row.share),
    cumulativeShare: num(row.cumulative_share),
    meanOrderValue: numOrNull(row.mean_order_value),
    meanRevenue: numOrNull(row.mean_revenue),
  }));
}

// ─── RFM segments ──────────────────────────────────────────────────────────────────────

export interface SegmentSummaryResult {
  segmentKey: string;
  labelJa: string;
  labelEn: string;
  customers: number;
  customerShare: number;
  revenue: number;
  revenueShare: number;
  meanPredictedClv: number | null;
  meanPAlive: number | null;
}

const labelOf = (key: string): { ja: string; en: string } =>
  Object.hasOwn(RFM_SEGMENT_LABELS, key) ? RFM_SEGMENT_LABELS[key as RfmSegmentKey] : { ja: key, en: key };

/**
 * Every segment key of the snapshot's segment map (empty ones too) plus any other key found in
 * the scores, with lifetime revenue; largest revenue first.
 */
export async function rfmSegmentSummary(query: Query, snapshotId: number): Promise<SegmentSummaryResult[]> {
  const rows = await query<{
    segment_key: string;
    customers: number;
    customer_share: number | null;
    revenue: string;
    revenue_share: string | null;
    mean_clv: string | null;
    mean_p_alive: number | null;
  }>(
    `with map_keys as (
       select distinct jsonb_array_elements_text(m.cells) as segment_key
         from snapshots s, jsonb_array_elements(s.parameters -> 'rfSegmentMap') as m(cells)
        where s.id = $1
     ), agg as (
       select rfm_segment as segment_key, count(*)::int as customers, sum(revenue) as revenue,
              avg(predicted_clv) as mean_clv, avg(p_alive) as mean_p_alive
         from customer_scores where snapshot_id = $1 group by rfm_segment
     ), all_keys as (
       select segment_key from map_keys union select segment_key from agg
     )
     select k.segment_key, coalesce(a.customers, 0) as customers,
            coalesce(a.customers, 0)::float8 / nullif(sum(a.customers) over (), 0) as customer_share,
            coalesce(a.revenue, 0) as revenue,
            coalesce(a.revenue, 0) / nullif(sum(a.revenue) over (), 0) as revenue_share,
            a.mean_clv, a.mean_p_alive
       from all_keys k left join agg a on a.segment_key = k.segment_key
      order by coalesce(a.revenue, 0) desc, k.segment_key`,
    [snapshotId],
  );
  return rows.map((row) => {
    const label = labelOf(row.segment_key);
    return {
      segmentKey: row.segment_key,
      labelJa: label.ja,
      labelEn: label.en,
      customers: row.customers,
      customerShare: num(row.customer_share),
      revenue: num(row.revenue),
      revenueShare: num(row.revenue_share),
      meanPredictedClv: numOrNull(row.mean_clv),
      meanPAlive: numOrNull(row.mean_p_alive),
    };
  });
}

// ─── CLV model ─────────────────────────────────────────────────────────────────────────

type FitOrError<T> = T | { error: string };
type BgNbdStored = FitOrError<{ params: { r: number; alpha: number; a: number; b: number }; logLikelihood: number; converged: boolean; iterations: number }>;
type ParetoStored = FitOrError<{ params: { r: number; alpha: number; s: number; beta: number }; logLikelihood: number; converged: boolean; iterations: number }>;
type GammaGammaStored = FitOrError<{ params: { p: number; q: number; gamma: number }; logLikelihood: number; converged: boolean; customers: number }>;

export interface HistogramBin {
  from: number;
  to: number | null;
  customers: number;
}

export interface ClvModelResult {
  snapshotId: number;
  asOf: Date;
  timeUnit: string;
  customers: number;
  uniqueTriples: number;
  fitCustomers: number;
  drivingModel: "bg-nbd" | "pareto-nbd";
  bgNbd: { r: number | null; alpha: number | null; a: number | null; b: number | null; logLikelihood: number | null; converged: boolean | null; iterations: number | null; error: string | null };
  paretoNbd: { r: number | null; alpha: number | null; s: number | null; beta: number | null; logLikelihood: number | null; converged: boolean | null; iterations: number | null; error: string | null };
  gammaGamma: { p: number | null; q: number | null; gamma: number | null; logLikelihood: number | null; converged: boolean | null; customers: number | null; error: string | null };
  holdout: {
    calibrationEnd: string | null;
    holdoutDays: number | null;
    customers: number | null;
    totalActual: number | null;
    totalPredicted: number | null;
    byFrequency: { frequency: number; isOpenEnded: boolean; customers: number; actualMean: number; predictedMean: number }[];
    tracking: { week: number; actual: number; predicted: number }[];
    error: string | null;
  } | null;
  pAliveHistogram: HistogramBin[];
  clvHistogram: HistogramBin[];
  horizonMonths: number;
  monthlyDiscountRate: number;
  margin: number;
}

const P_ALIVE_BINS = 10;
const CLV_BINS = 20;
const MISSING_FITS = "This snapshot stored no model fits.";

const errorOf = (fit: unknown): string | null =>
  fit && typeof fit === "object" && "error" in fit ? String((fit as { error: unknown }).error) : fit ? null : MISSING_FITS;

function bgNbdOf(fit: BgNbdStored | undefined): ClvModelResult["bgNbd"] {
  if (!fit || "error" in fit) return { r: null, alpha: null, a: null, b: null, logLikelihood: null, converged: null, iterations: null, error: errorOf(fit) };
  const { r, alpha, a, b } = fit.params;
  return { r, alpha, a, b, logLikelihood: fit.logLikelihood, converged: fit.converged, iterations: fit.iterations, error: null };
}

function paretoNbdOf(fit: ParetoStored | undefined): ClvModelResult["paretoNbd"] {
  if (!fit || "error" in fit) return { r: null, alpha: null, s: null, beta: null, logLikelihood: null, converged: null, iterations: null, error: errorOf(fit) };
  const { r, alpha, s, beta } = fit.params;
  return { r, alpha, s, beta, logLikelihood: fit.logLikelihood, converged: fit.converged, iterations: fit.iterations, error: null };
}

function gammaGammaOf(fit: GammaGammaStored | undefined): ClvModelResult["gammaGamma"] {
  if (!fit || "error" in fit) return { p: null, q: null, gamma: null, logLikelihood: null, converged: null, customers: null, error: errorOf(fit) };
  const { p, q, gamma } = fit.params;
  return { p, q, gamma, logLikelihood: fit.logLikelihood, converged: fit.converged, customers: fit.customers, error: null };
}

function holdoutOf(holdout: ModelFits["holdout"] | undefined): ClvModelResult["holdout"] {
  if (!holdout) return null;
  if ("error" in holdout) {
    return { calibrationEnd: null, holdoutDays: null, customers: null, totalActual: null, totalPredicted: null, byFrequency: [], tracking: [], error: holdout.error };
  }
  return { ...holdout, error: null };
}

/** The snapshot's stored model fits and holdout diagnostics, with P(alive) and CLV histograms. */
export async function clvModel(query: Query, snapshotId: number): Promise<ClvModelResult> {
  const [snapshot] = await query<{ as_of: Date; parameters: SnapshotParameters; model_fits: ModelFits | null }>(
    "select as_of, parameters, model_fits from snapshots where id = $1",
    [snapshotId],
  );
  if (!snapshot) throw notFound(`Snapshot ${snapshotId} does not exist. List snapshots with \`snapshots\`.`, "SNAPSHOT_NOT_FOUND", { id: snapshotId });
  // Both histograms in one pass; the CLV bins run from 0 to the 99th percentile so a few very
  // large values do not squash the picture, with everything above it in one open bin.
  const bins = await query<{ kind: "p_alive" | "clv" | "p99"; bin: number; n: number; value: number | null }>(
    `with scores as (
       select p_alive, predicted_clv::float8 as clv from customer_scores where snapshot_id = $1
     ), cut as (
       select percentile_cont(0.99) within group (order by clv) as p99 from scores where clv is not null
     )
     select 'p_alive' as kind, least($2::int - 1, floor(p_alive * $2::int))::int as bin, count(*)::int as n, null::float8 as value
       from scores where p_alive is not null group by 2
     union all
     select 'clv', case when c.p99 <= 0 or s.clv >= c.p99 then $3::int else greatest(0, floor(s.clv / c.p99 * $3::int))::int end, count(*)::int, null
       from scores s cross join cut c where s.clv is not null group by 2
     union all
     select 'p99', 0, 0, c.p99 from cut c`,
    [snapshotId, P_ALIVE_BINS, CLV_BINS],
  );
  const count = (kind: string, bin: number) => bins.find((b) => b.kind === kind && b.bin === bin)?.n ?? 0;
  const pAliveHistogram = Array.from({ length: P_ALIVE_BINS }, (_, i) => ({ from: i / P_ALIVE_BINS, to: (i + 1) / P_ALIVE_BINS, customers: count("p_alive", i) }));
  const p99 = bins.find((b) => b.kind === "p99")?.value ?? null;
  let clvHistogram: HistogramBin[] = [];
  if (p99 !== null && p99 > 0) {
    const width = p99 / CLV_BINS;
    clvHistogram = Array.from({ length: CLV_BINS }, (_, i) => ({ from: i * width, to: i === CLV_BINS - 1 ? p99 : (i + 1) * width, customers: count("clv", i) }));
    clvHistogram.push({ from: p99, to: null, customers: count("clv", CLV_BINS) });
  } else if (p99 !== null) {
    clvHistogram = [{ from: 0, to: null, customers: count("clv", CLV_BINS) }];
  }

  const fits = snapshot.model_fits;
  const params = snapshot.parameters;
  return {
    snapshotId,
    asOf: snapshot.as_of,
    timeUnit: fits?.timeUnit ?? params.timeUnit,
    customers: fits?.customers ?? 0,
    uniqueTriples: fits?.uniqueTriples ?? 0,
    // Snapshots from before sampling fitted on every customer.
    fitCustomers: fits?.fitCustomers ?? fits?.customers ?? 0,
    drivingModel: fits?.drivingModel ?? params.model,
    bgNbd: bgNbdOf(fits?.bgNbd as BgNbdStored | undefined),
    paretoNbd: paretoNbdOf(fits?.paretoNbd as ParetoStored | undefined),
    gammaGamma: gammaGammaOf(fits?.gammaGamma as GammaGammaStored | undefined),
    holdout: holdoutOf(fits?.holdout),
    pAliveHistogram,
    clvHistogram,
    horizonMonths: params.horizonMonths,
    monthlyDiscountRate: params.monthlyDiscountRate,
    margin: params.margin,
  };
}
