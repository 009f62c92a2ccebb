// The Check step (DESIGN §4.4, §5): per-customer outcomes of the frozen roster from completed
// orders, aggregated to sufficient statistics in SQL (one statement per group and stratum),
// then the lift statistics of @ltvloop/scoring. Each measurement is a new campaign_results row.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { cupedTest, type CupedStats } from "@ltvloop/scoring/lift/cuped";
import { differenceInDifferences } from "@ltvloop/scoring/lift/did";
import { welchTest, type MeanLift } from "@ltvloop/scoring/lift/mean";
import { campaignEconomics, type CampaignEconomics } from "@ltvloop/scoring/lift/money";
import { benjaminiHochberg } from "@ltvloop/scoring/lift/multiple-testing";
import { twoProportionTest, type ProportionLift } from "@ltvloop/scoring/lift/proportion";
import { sampleRatioMismatch, type SrmResult } from "@ltvloop/scoring/lift/srm";
import type { Viewer } from "../../context.ts";
import { conflict } from "../../errors.ts";
import { getSettings } from "../settings/settings.service.ts";
import { getCampaign, recordEvent, wrongStatus, type CampaignRow } from "./campaign.service.ts";

/** Bump when the computation changes, so stored results say how they were made. */
export const METHOD_VERSION = "lift-1";
/** Revenue per customer is also reported winsorised at this percentile of the pooled roster. */
export const WINSORIZE_PERCENTILE = 0.99;
const ALPHA = 0.05;
const DAY_MS = 86_400_000;

/** A two-sided 95% confidence interval. */
export interface Interval {
  lower: number;
  upper: number;
}

export type Metric = "conversion" | "revenue_per_customer" | "orders_per_customer";

export interface LiftSummary {
  metric: Metric;
  method: string;
  treatment: number;
  control: number;
  difference: number;
  differenceCi: Interval;
  relativeLift: number | null;
  relativeLiftCi: Interval | null;
  pValue: number;
  isSignificant: boolean;
}

export interface GroupOutcome {
  group: "treatment" | "control";
  n: number;
  converters: number;
  conversion: number;
  orders: number;
  revenue: number;
  revenuePerCustomer: number;
  ordersPerCustomer: number;
  /** Revenue per order; null without orders. */
  averageOrderValue: number | null;
  preConversion: number;
  preRevenuePerCustomer: number;
  preOrdersPerCustomer: number;
}

export interface CupedSummary {
  metric: Metric;
  theta: number;
  varianceReduction: number;
  lift: LiftSummary;
}

export interface DidSummary {
  metric: Metric;
  treatmentPre: number;
  treatmentPost: number;
  controlPre: number;
  controlPost: number;
  estimate: number;
  ci: Interval;
  pValue: number;
  isSignificant: boolean;
}

export interface StratumLift {
  stratum: string;
  treatmentN: number;
  controlN: number;
  treatmentConversion: number | null;
  controlConversion: number | null;
  difference: number | null;
  differenceCi: Interval | null;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted over the tested strata. */
  adjustedPValue: number | null;
  isSignificant: boolean;
}

export interface SeriesPoint {
  day: number;
  date: string;
  treatmentConversion: number;
  controlConversion: number;
  treatmentRevenuePerCustomer: number;
  controlRevenuePerCustomer: number;
}

export interface MeasureResults {
  windowFrom: string;
  windowTo: string;
  prePeriodFrom: string;
  prePeriodTo: string;
  measuredAt: string;
  isProvisional: boolean;
  primaryKpi: Metric;
  groups: GroupOutcome[];
  primary: LiftSummary;
  conversion: LiftSummary;
  revenuePerCustomer: LiftSummary;
  revenuePerCustomerWinsorized: LiftSummary & { percentile: number; cap: number; cappedTreatment: number; cappedControl: number };
  ordersPerCustomer: LiftSummary;
  cuped: CupedSummary[];
  did: DidSummary[];
  srm: SrmResult & { plannedHoldoutRatio: number; observedHoldoutRatio: number };
  strata: StratumLift[];
  money: CampaignEconomics & { margin: number; marginSource: "campaign" | "settings" };
  series: SeriesPoint[];
}

export interface ResultRow {
  id: number;
  campaignId: number;
  methodVersion: string;
  isProvisional: boolean;
  results: MeasureResults;
  computedByEmail: string | null;
  computedAt: Date;
}

interface Sums {
  n: number;
  capped: number;
  cap: number;
  conv: CupedStats;
  rev: CupedStats;
  ord: CupedStats;
  revW: { sum: number; sumSquares: number };
}

const fromProportion = (l: ProportionLift): LiftSummary => ({
  metric: "conversion",
  method: "two-proportion z-test (pooled SE test, Wald CI; relative CI by the delta method)",
  treatment: l.treatmentRate,
  control: l.controlRate,
  difference: l.difference,
  differenceCi: l.differenceCi,
  relativeLift: l.relativeLift,
  relativeLiftCi: l.relativeLiftCi,
  pValue: l.pValue,
  isSignificant: l.pValue < ALPHA,
});

const fromMean = (metric: Metric, l: MeanLift, method = "Welch t-test"): LiftSummary => ({
  metric,
  method,
  treatment: l.treatment.mean,
  control: l.control.mean,
  difference: l.difference,
  differenceCi: l.differenceCi,
  relativeLift: l.relativeLift,
  relativeLiftCi: l.relativeLiftCi,
  pValue: l.pValue,
  isSignificant: l.pValue < ALPHA,
});

/**
 * Per group (and per group × stratum): n and the sums the tests need, over per-customer
 * outcome-window values y and pre-period values x of conversion (0/1), revenue and orders.
 */
async function outcomeSums(query: Query, campaignId: number, preFrom: Date, launchedAt: Date, windowTo: Date) {
  return query<Record<string, unknown>>(
    `with per as (
       select a.customer_id, a."group" as grp, a.stratum,
              (count(o.id) filter (where o.ordered_at >= $3))::float8 as post_orders,
              coalesce(sum(o.amount) filter (where o.ordered_at >= $3), 0)::float8 as post_rev,
              (count(o.id) filter (where o.ordered_at < $3))::float8 as pre_orders,
              coalesce(sum(o.amount) filter (where o.ordered_at < $3), 0)::float8 as pre_rev
         from campaign_assignments a
         left join orders o on o.customer_id = a.customer_id and o.status = 'completed'
              and o.ordered_at >= $2 and o.ordered_at < $4
        where a.campaign_id = $1
        group by a.customer_id, a."group", a.stratum
     ), cap as (
       select percentile_cont(${WINSORIZE_PERCENTILE}) within group (order by post_rev) as cap from per
     ), x as (
       select per.*, (post_orders > 0)::int::float8 as post_conv, (pre_orders > 0)::int::float8 as pre_conv,
              least(post_rev, cap.cap) as post_rev_w, cap.cap
         from per cross join cap
     )
     select grp, stratum, grouping(stratum) as is_total, count(*)::int as n,
            sum(post_conv) as cy, sum(pre_conv) as cx, sum(post_conv * pre_conv) as cxy,
            sum(post_rev) as ry, sum(post_rev * post_rev) as ryy, sum(pre_rev) as rx, sum(pre_rev * pre_rev) as rxx, sum(post_rev * pre_rev) as rxy,
            sum(post_orders) as oy, sum(post_orders * post_orders) as oyy, sum(pre_orders) as ox, sum(pre_orders * pre_orders) as oxx,
            sum(post_orders * pre_orders) as oxy,
            sum(post_rev_w) as wy, sum(post_rev_w * post_rev_w) as wyy,
            (count(*) filter (where post_rev > cap))::int as capped, max(cap) as cap
       from x group by grouping sets ((grp), (grp, stratum))`,
    [campaignId, preFrom, launchedAt, windowTo],
  );
}

function toSums(r: Record<string, unknown>): Sums {
  const n = Number(r.n);
  const v = (k: string) => Number(r[k] ?? 0);
  return {
    n,
    capped: v("capped"),
    cap: v("cap"),
    conv: { n, sumY: v("cy"), sumYY: v("cy"), sumX: v("cx"), sumXX: v("cx"), sumXY: v("cxy") },
    rev: { n, sumY: v("ry"), sumYY: v("ryy"), sumX: v("rx"), sumXX: v("rxx"), sumXY: v("rxy") },
    ord: { n, sumY: v("oy"), sumYY: v("oyy"), sumX: v("ox"), sumXX: v("oxx"), sumXY: v("oxy") },
    revW: { sum: v("wy"), sumSquares: v("wyy") },
  };
}

/** Day by day since launch (24-hour days), cumulative per group, for charts. */
async function dailySeries(query: Query, campaignId: number, launchedAt: Date, until: Date, sizes: { treatment: number; control: number }): Promise<SeriesPoint[]> {
  const rows = await query<{ grp: string; day: number; converters: number; revenue: number }>(
    `with post as (
       select a."group" as grp, a.customer_id, floor(extract(epoch from (o.ordered_at - $2::timestamptz)) / 86400)::int as day, o.amount
         from campaign_assignments a
         join orders o on o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $2 and o.ordered_at < $3
        where a.campaign_id = $1
     ), firsts as (select grp, customer_id, min(day) as day from post group by grp, customer_id)
     select grp, day, sum(c)::int as converters, sum(r)::float8 as revenue
       from (select grp, day, 0 as c, amount as r from post union all select grp, day, 1, 0 from firsts) u
      group by grp, day order by day`,
    [campaignId, launchedAt, until],
  );
  const days = Math.max(0, Math.ceil((until.getTime() - launchedAt.getTime()) / DAY_MS));
  const byDay = new Map<string, { converters: number; revenue: number }>();
  for (const r of rows) byDay.set(`${r.grp}:${r.day}`, { converters: Number(r.converters), revenue: Number(r.revenue) });
  const acc = { treatment: { c: 0, r: 0 }, control: { c: 0, r: 0 } };
  const series: SeriesPoint[] = [];
  for (let day = 0; day < days; day += 1) {
    for (const g of ["treatment", "control"] as const) {
      const hit = byDay.get(`${g}:${day}`);
      if (hit) {
        acc[g].c += hit.converters;
        acc[g].r += hit.revenue;
      }
    }
    series.push({
      day,
      date: new Date(launchedAt.getTime() + day * DAY_MS).toISOString(),
      treatmentConversion: sizes.treatment ? acc.treatment.c / sizes.treatment : 0,
      controlConversion: sizes.control ? acc.control.c / sizes.control : 0,
      treatmentRevenuePerCustomer: sizes.treatment ? acc.treatment.r / sizes.treatment : 0,
      controlRevenuePerCustomer: sizes.control ? acc.control.r / sizes.control : 0,
    });
  }
  return series;
}

function groupOutcome(group: "treatment" | "control", s: Sums): GroupOutcome {
  return {
    group,
    n: s.n,
    converters: s.conv.sumY,
    conversion: s.conv.sumY / s.n,
    orders: s.ord.sumY,
    revenue: s.rev.sumY,
    revenuePerCustomer: s.rev.sumY / s.n,
    ordersPerCustomer: s.ord.sumY / s.n,
    averageOrderValue: s.ord.sumY > 0 ? s.rev.sumY / s.ord.sumY : null,
    preConversion: s.conv.sumX / s.n,
    preRevenuePerCustomer: s.rev.sumX / s.n,
    preOrdersPerCustomer: s.ord.sumX / s.n,
  };
}

/**
 * Computes every statistic of the Check step for a launched campaign. Outcome window:
 * [launched_at, launched_at + outcome_window_days); pre-period: [launched_at − pre_period_days,
 * launched_at) (the pre-period defaults to the outcome window's length at creation). Only
 * completed orders count.
 */
export async function computeResults(query: Query, campaign: CampaignRow, now: Date): Promise<MeasureResults> {
  const launchedAt = campaign.launchedAt as Date;
  const windowTo = new Date(launchedAt.getTime() + campaign.outcomeWindowDays * DAY_MS);
  const preFrom = new Date(launchedAt.getTime() - campaign.prePeriodDays * DAY_MS);
  const isProvisional = now < windowTo;
  const rows = await outcomeSums(query, campaign.id, preFrom, launchedAt, windowTo);
  const total = (g: string) => rows.find((r) => Number(r.is_total) === 1 && r.grp === g);
  const tRow = total("treatment");
  const cRow = total("control");
  if (!tRow || !cRow) throw conflict(`Campaign ${campaign.id} has no ${tRow ? "control" : "treatment"} group; it cannot be measured.`);
  const t = toSums(tRow);
  const c = toSums(cRow);

  const conversion = fromProportion(twoProportionTest({ n: t.n, conversions: t.conv.sumY }, { n: c.n, conversions: c.conv.sumY }));
  const revenue = fromMean("revenue_per_customer", welchTest({ n: t.n, sum: t.rev.sumY, sumSquares: t.rev.sumYY }, { n: c.n, sum: c.rev.sumY, sumSquares: c.rev.sumYY }));
  const orders = fromMean("orders_per_customer", welchTest({ n: t.n, sum: t.ord.sumY, sumSquares: t.ord.sumYY }, { n: c.n, sum: c.ord.sumY, sumSquares: c.ord.sumYY }));
  const winsorized = fromMean(
    "revenue_per_customer",
    welchTest({ n: t.n, ...t.revW }, { n: c.n, ...c.revW }),
    `Welch t-test on revenue capped at the pooled ${WINSORIZE_PERCENTILE * 100}th percentile`,
  );

  const metrics: [Metric, keyof Pick<Sums, "conv" | "rev" | "ord">][] = [
    ["conversion", "conv"],
    ["revenue_per_customer", "rev"],
    ["orders_per_customer", "ord"],
  ];
  const cuped: CupedSummary[] = metrics.map(([metric, k]) => {
    const r = cupedTest(t[k], c[k]);
    return {
      metric,
      theta: r.theta,
      varianceReduction: r.varianceReduction,
      lift: fromMean(metric, r.adjusted, "CUPED (pre-period value of the same metric as covariate), Welch t-test"),
    };
  });
  const did: DidSummary[] = metrics.map(([metric, k]) => {
    const stats = (s: CupedStats) => ({ n: s.n, sumPre: s.sumX, sumPost: s.sumY, sumChangeSquares: s.sumYY - 2 * s.sumXY + s.sumXX });
    const r = differenceInDifferences(stats(t[k]), stats(c[k]));
    return {
      metric,
      treatmentPre: r.treatment.preMean,
      treatmentPost: r.treatment.postMean,
      controlPre: r.control.preMean,
      controlPost: r.control.postMean,
      estimate: r.estimate,
      ci: r.ci,
      pValue: r.pValue,
      isSignificant: r.pValue < ALPHA,
    };
  });

  const h = campaign.holdoutRatio;
  const srm = { ...sampleRatioMismatch([t.n, c.n], [1 - h, h]), plannedHoldoutRatio: h, observedHoldoutRatio: c.n / (t.n + c.n) };

  const strataNames = [...new Set(rows.filter((r) => Number(r.is_total) === 0).map((r) => r.stratum as string))].sort();
  const tested: { index: number; p: number }[] = [];
  const strata: StratumLift[] = strataNames.map((stratum, index) => {
    const find = (g: string) => rows.find((r) => Number(r.is_total) === 0 && r.grp === g && r.stratum === stratum);
    const ts = find("treatment");
    const cs = find("control");
    const tn = ts ? Number(ts.n) : 0;
    const cn = cs ? Number(cs.n) : 0;
    const tc = ts ? Number(ts.cy) : 0;
    const cc = cs ? Number(cs.cy) : 0;
    if (tn === 0 || cn === 0) {
      return { stratum, treatmentN: tn, controlN: cn, treatmentConversion: tn ? tc / tn : null, controlConversion: cn ? cc / cn : null, difference: null, differenceCi: null, pValue: null, adjustedPValue: null, isSignificant: false };
    }
    const l = twoProportionTest({ n: tn, conversions: tc }, { n: cn, conversions: cc });
    tested.push({ index, p: l.pValue });
    return { stratum, treatmentN: tn, controlN: cn, treatmentConversion: l.treatmentRate, controlConversion: l.controlRate, difference: l.difference, differenceCi: l.differenceCi, pValue: l.pValue, adjustedPValue: null, isSignificant: false };
  });
  const adjusted = benjaminiHochberg(tested.map((x) => x.p));
  tested.forEach((x, i) => {
    const s = strata[x.index] as StratumLift;
    s.adjustedPValue = adjusted[i] ?? null;
    s.isSignificant = (adjusted[i] ?? 1) < ALPHA;
  });

  const settings = await getSettings(query);
  const margin = campaign.margin ?? settings.defaultMargin;
  const money = {
    ...campaignEconomics({
      revenueLiftPerCustomer: revenue.difference,
      revenueLiftCi: revenue.differenceCi,
      treatedCustomers: t.n,
      margin,
      costPerContact: campaign.costPerContact,
      fixedCost: campaign.fixedCost,
    }),
    margin,
    marginSource: campaign.margin === null ? ("settings" as const) : ("campaign" as const),
  };

  const series = await dailySeries(query, campaign.id, launchedAt, isProvisional ? now : windowTo, { treatment: t.n, control: c.n });
  const primaryKpi = campaign.primaryKpi as Metric;
  const primary = primaryKpi === "revenue_per_customer" ? revenue : primaryKpi === "orders_per_customer" ? orders : conversion;
  return {
    windowFrom: launchedAt.toISOString(),
    windowTo: windowTo.toISOString(),
    prePeriodFrom: preFrom.toISOString(),
    prePeriodTo: launchedAt.toISOString(),
    measuredAt: now.toISOString(),
    isProvisional,
    primaryKpi,
    groups: [groupOutcome("treatment", t), groupOutcome("control", c)],
    primary,
    conversion,
    revenuePerCustomer: revenue,
    revenuePerCustomerWinsorized: { ...winsorized, percentile: WINSORIZE_PERCENTILE, cap: t.cap, cappedTreatment: t.capped, cappedControl: c.capped },
    ordersPerCustomer: orders,
    cuped,
    did,
    srm,
    strata,
    money,
    series,
  };
}

/**
 * Measures a launched campaign and stores the result (earlier results are kept). Before the
 * outcome window ends the result is provisional and the campaign stays RUNNING; after it, a
 * RUNNING/MEASURING campaign becomes CHECKED. Checked and acted campaigns may be re-measured.
 */
export async function measureCampaign(handle: DbHandle, viewer: Viewer | null, id: number, options: { now?: Date } = {}): Promise<CampaignRow> {
  return handle.transaction(async ({ query }) => {
    const [locked] = await query("select id from campaigns where id = $1 for update", [id]);
    if (!locked) await getCampaign(query, id); // throws NOT_FOUND
    const campaign = await getCampaign(query, id);
    if (!["running", "measuring", "checked", "acted"].includes(campaign.status) || !campaign.launchedAt) {
      throw wrongStatus(campaign, "measureCampaign", ["running", "measuring", "checked", "acted"]);
    }
    const now = options.now ?? new Date();
    const results = await computeResults(query, campaign, now);
    const [row] = await query<{ id: number }>(
      `insert into campaign_results (campaign_id, method_version, is_provisional, results, computed_by) values ($1, $2, $3, $4::jsonb, $5) returning id`,
      [id, METHOD_VERSION, results.isProvisional, JSON.stringify(results), viewer?.userId ?? null],
    );
    const to = !results.isProvisional && campaign.storedStatus === "running" ? "checked" : campaign.storedStatus;
    if (to !== campaign.storedStatus) await query("update campaigns set status = $2, updated_at = now() where id = $1", [id, to]);
    await recordEvent(query, viewer, id, "measure", campaign.status, to, {
      resultId: row?.id,
      isProvisional: results.isProvisional,
      primaryLift: results.primary.difference,
      pValue: results.primary.pValue,
      srmMismatch: results.srm.isMismatch,
    });
    return getCampaign(query, id);
  });
}

const toResultRow = (r: Record<string, unknown>): ResultRow => ({
  id: r.id as number,
  campaignId: r.campaign_id as number,
  methodVersion: r.method_version as string,
  isProvisional: r.is_provisional as boolean,
  results: r.results as MeasureResults,
  computedByEmail: (r.computed_by_email as string | null) ?? null,
  computedAt: r.computed_at as Date,
});

/** Every result of the given campaigns, oldest first. */
export async function resultsFor(query: Query, ids: readonly number[]): Promise<ResultRow[]> {
  const rows = await query(
    `select r.*, u.email as computed_by_email from campaign_results r left join users u on u.id = r.computed_by
      where r.campaign_id = any($1::bigint[]) order by r.campaign_id, r.computed_at, r.id`,
    [ids],
  );
  return rows.map(toResultRow);
}

/** The newest result of each given campaign. */
export async function latestResultsFor(query: Query, ids: readonly number[]): Promise<ResultRow[]> {
  const rows = await query(
    `select distinct on (r.campaign_id) r.*, u.email as computed_by_email from campaign_results r left join users u on u.id = r.computed_by
      where r.campaign_id = any($1::bigint[]) order by r.campaign_id, r.computed_at desc, r.id desc`,
    [ids],
  );
  return rows.map(toResultRow);
}
