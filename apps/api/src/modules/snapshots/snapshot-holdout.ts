// Holdout diagnostics of a snapshot: the driving model fitted again on the calibration period
// (every history cut holdoutDays before the snapshot's last day) predicts the holdout period,
// by calibration frequency and week by week, beside what the customers actually did.
import type { Query } from "@ltvloop/db/client";
import { fitBgNbd, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import { fitParetoNbd, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { conditionalExpectedPurchases, type BtydModel } from "@ltvloop/scoring/clv";
import type { SnapshotParameters } from "./snapshot.params.ts";
import { daysPerUnit, tryFit } from "./snapshot-fits.ts";

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

export async function holdoutReport(
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
