// The Check step (DESIGN §5): the lift statistics of @ltvloop/scoring on the sufficient
// statistics campaign-measure.sql.ts computes. Each measurement is a new campaign_results row.
// One test, one verdict: every lift's p-value, difference interval and relative interval come
// from one statistic (Fieller), and provisional looks show always-valid intervals.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { cupedTest, type CupedStats } from "@ltvloop/scoring/lift/cuped";
import { differenceInDifferences } from "@ltvloop/scoring/lift/did";
import { verdictOf } from "@ltvloop/scoring/lift/fieller";
import { welchTest } from "@ltvloop/scoring/lift/mean";
import { campaignEconomics } from "@ltvloop/scoring/lift/money";
import { benjaminiHochberg } from "@ltvloop/scoring/lift/multiple-testing";
import { twoProportionTest } from "@ltvloop/scoring/lift/proportion";
import type { Viewer } from "../../context.ts";
import { conflict } from "../../errors.ts";
import { ordersWatermark } from "../data-quality/data-quality.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { observableArms, observableSrm } from "./campaign-measure.checks.ts";
import { deliveryResults, type ReachedEvent } from "./campaign-measure.delivery.ts";
import { loyaltyResults } from "./campaign-measure.loyalty.ts";
import { PROVISIONAL_REASONS } from "./method-codes.ts";
import { ALPHA, fromMean, fromProportion, METHODS, winsorizedTestMethod, type SequentialSetting } from "./campaign-measure.lift.ts";
import { collectRoster, dailySeries, outcomeSums, toSums, WINSORIZE_PERCENTILE, type Sums } from "./campaign-measure.sql.ts";
import type { CupedSummary, DidSummary, GroupOutcome, MeasureResults, Metric, ResultRow, StratumLift } from "./campaign-measure.types.ts";
import { getCampaign, recordEvent, wrongStatus, type CampaignRow } from "./campaign.service.ts";

export type { Interval, LiftSummary, MeasureResults, Metric, ResultRow } from "./campaign-measure.types.ts";
export { WINSORIZE_PERCENTILE } from "./campaign-measure.sql.ts";

/** Bump when the computation changes, so stored results say how they were made. */
export const METHOD_VERSION = "lift-3";
const DAY_MS = 86_400_000;

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
 * τ² of the always-valid intervals per metric, fixed before any look: the plan's baseline
 * variance of the metric over an outcome window × (1/n_t + 1/n_c), i.e. the planned variance of
 * the difference at the window's end. Null when the plan has none (the look's own variance is
 * used and the method says so).
 */
function mixtureVariances(campaign: CampaignRow, nt: number, nc: number): Record<Metric, number | null> {
  const p = campaign.plan;
  const k = 1 / nt + 1 / nc;
  const positive = (v: number | undefined | null) => (v !== undefined && v !== null && Number.isFinite(v) && v > 0 ? v * k : null);
  return {
    conversion: positive(p ? p.baselineConversion * (1 - p.baselineConversion) : null),
    revenue_per_customer: positive(p ? p.baselineRevenueStandardDeviation ** 2 : null),
    orders_per_customer: positive(p ? (p.baselineOrdersStandardDeviation ?? 0) ** 2 : null),
  };
}

/**
 * Computes every statistic of the Check step for a launched campaign. Outcome window:
 * [launched_at, launched_at + outcome_window_days); pre-period: [launched_at − pre_period_days,
 * launched_at). Only completed orders count, and only up to the earliest of the window's end,
 * the measurement time and the orders-complete watermark, so a provisional result never counts
 * orders dated after "now" and its daily series and totals agree. Provisional (with the reasons)
 * when the window has not ended or the orders are not known to be complete to its end. Runs
 * inside a transaction: the roster's outcomes are collected once into a temporary table.
 */
export async function computeResults(query: Query, campaign: CampaignRow, now: Date, options: { reachedEvent?: ReachedEvent } = {}): Promise<MeasureResults> {
  const launchedAt = campaign.launchedAt as Date;
  const windowTo = new Date(launchedAt.getTime() + campaign.outcomeWindowDays * DAY_MS);
  const preFrom = new Date(launchedAt.getTime() - campaign.prePeriodDays * DAY_MS);
  const watermark = await ordersWatermark(query);
  const provisionalReasons: string[] = [];
  let countedUntil = windowTo;
  if (now < windowTo) {
    provisionalReasons.push(PROVISIONAL_REASONS.windowOpen(windowTo, now));
    countedUntil = now;
  }
  const complete = watermark.ordersCompleteUntil;
  if (complete && complete < windowTo) {
    provisionalReasons.push(PROVISIONAL_REASONS.ordersIncomplete(complete, watermark.source === "admin" ? "admin" : "import"));
    if (complete < countedUntil) countedUntil = complete < launchedAt ? launchedAt : complete;
  }
  const isProvisional = provisionalReasons.length > 0;
  const snapshotId = campaign.snapshotId ?? campaign.plan?.snapshotId;
  if (snapshotId == null) throw conflict(`Campaign ${campaign.id} has no snapshot; it cannot be measured.`, "CAMPAIGN_NOT_MEASURABLE", { id: campaign.id });
  await collectRoster(query, campaign.id, snapshotId, campaign.channel, { preFrom, launchedAt, countedUntil });
  const rows = await outcomeSums(query);
  const total = (g: string) => rows.find((r) => Number(r.is_total) === 1 && r.grp === g);
  const tRow = total("treatment");
  const cRow = total("control");
  if (!tRow || !cRow) throw conflict(`Campaign ${campaign.id} has no ${tRow ? "control" : "treatment"} group; it cannot be measured.`, "CAMPAIGN_NOT_MEASURABLE", { id: campaign.id });
  const t = toSums(tRow);
  const c = toSums(cRow);
  const taus = mixtureVariances(campaign, t.n, c.n);
  const seq = (metric: Metric): SequentialSetting | null => (isProvisional ? { mixtureVariance: taus[metric] } : null);
  const sizes = { treatment: t.n, control: c.n };

  const conversion = fromProportion(twoProportionTest({ n: t.n, conversions: t.conv.sumY }, { n: c.n, conversions: c.conv.sumY }), seq("conversion"), sizes);
  const revenueTest = welchTest({ n: t.n, sum: t.rev.sumY, sumSquares: t.rev.sumYY }, { n: c.n, sum: c.rev.sumY, sumSquares: c.rev.sumYY });
  const revenue = fromMean("revenue_per_customer", revenueTest, seq("revenue_per_customer"));
  const orders = fromMean("orders_per_customer", welchTest({ n: t.n, sum: t.ord.sumY, sumSquares: t.ord.sumYY }, { n: c.n, sum: c.ord.sumY, sumSquares: c.ord.sumYY }), seq("orders_per_customer"));
  const winsorized = fromMean(
    "revenue_per_customer",
    welchTest({ n: t.n, ...t.revW }, { n: c.n, ...c.revW }),
    seq("revenue_per_customer"),
    winsorizedTestMethod(WINSORIZE_PERCENTILE * 100),
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
      lift: fromMean(metric, r.adjusted, seq(metric), METHODS.cupedTest),
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
      isSignificant: verdictOf(r.ci) !== "no_detectable_change",
    };
  });

  const srm = observableSrm(await observableArms(query), campaign.holdoutRatio);

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
  const loyalty = await loyaltyResults(query, campaign, { launchedAt, countedUntil });
  const money = {
    ...campaignEconomics({
      revenueLiftPerCustomer: revenue.difference,
      revenueLiftCi: revenue.differenceCi,
      // On a provisional look the interval shown is the always-valid one; P(ROI > 0) is only a
      // fixed-horizon statement, so it is left out there.
      revenueLiftStandardError: isProvisional ? undefined : revenueTest.standardError,
      degreesOfFreedom: revenueTest.degreesOfFreedom,
      treatedCustomers: t.n,
      margin,
      costPerContact: campaign.costPerContact,
      fixedCost: campaign.fixedCost,
      loyaltyCost: loyalty?.liability ?? 0,
    }),
    margin,
    marginSource: campaign.margin === null ? ("settings" as const) : ("campaign" as const),
  };

  const series = await dailySeries(query, launchedAt, countedUntil, sizes);
  const delivery = await deliveryResults(query, campaign.id, { launchedAt, countedUntil }, { conversion, revenuePerCustomer: revenue }, options.reachedEvent);
  const primaryKpi = campaign.primaryKpi as Metric;
  const primary = primaryKpi === "revenue_per_customer" ? revenue : primaryKpi === "orders_per_customer" ? orders : conversion;
  return {
    windowFrom: launchedAt.toISOString(),
    windowTo: windowTo.toISOString(),
    prePeriodFrom: preFrom.toISOString(),
    prePeriodTo: launchedAt.toISOString(),
    measuredAt: now.toISOString(),
    countedUntil: countedUntil.toISOString(),
    isProvisional,
    provisionalReasons,
    ordersCompleteUntil: complete?.toISOString() ?? null,
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
    delivery,
    loyalty,
    money,
    series,
  };
}

/**
 * Measures a launched campaign and stores the result (earlier results are kept). Before the
 * outcome window ends the result is provisional and the campaign stays RUNNING; after it, a
 * RUNNING/MEASURING campaign becomes CHECKED. Checked and acted campaigns may be re-measured.
 */
export async function measureCampaign(handle: DbHandle, viewer: Viewer | null, id: number, options: { now?: Date; reachedEvent?: ReachedEvent } = {}): Promise<CampaignRow> {
  return handle.transaction(async ({ db, query }) => {
    const [locked] = await query("select id from campaigns where id = $1 for update", [id]);
    if (!locked) await getCampaign(db, id); // throws NOT_FOUND
    const campaign = await getCampaign(db, id);
    if (!["running", "measuring", "checked", "acted"].includes(campaign.status) || !campaign.launchedAt) {
      throw wrongStatus(campaign, "measureCampaign", ["running", "measuring", "checked", "acted"]);
    }
    const now = options.now ?? new Date();
    const results = await computeResults(query, campaign, now, options.reachedEvent ? { reachedEvent: options.reachedEvent } : {});
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
      deliveryWarnings: results.delivery?.warnings.map((w) => w.code) ?? [],
    });
    return getCampaign(db, id);
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
