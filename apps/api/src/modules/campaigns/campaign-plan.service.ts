// The Plan step: segment size after opt-outs, baseline from history, minimum detectable effects
// and warnings (powerAnalysis), and DRAFT → PLANNED with the stored plan.
import type { DbHandle, Query } from "@ltvloop/db/client";
import {
  minimumDetectableEffectMean,
  minimumDetectableEffectProportion,
  requiredSampleSizeMean,
  requiredSampleSizeProportion,
} from "@ltvloop/scoring/lift/power";
import type { Viewer } from "../../context.ts";
import { badInput, conflict } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { EFFECTIVE_STATUS, MIN_CONTROL_SIZE, assertLoyaltyOffer, assertSegment, assertSnapshot, getCampaign, lockCampaign, optInCondition, recordEvent, wrongStatus, type CampaignRow } from "./campaign.service.ts";
import { controlCount } from "./campaign-assignment.ts";
import { ownWindow, rfCellForecast, type PlanReadOptions } from "./campaign-plan.baseline.ts";
import { campaignFieldProblems, type CampaignFields } from "./campaign.validate.ts";

export interface PlanWarning {
  code: "SMALL_CONTROL_GROUP" | "UNDERPOWERED" | "OVERLAPPING_CAMPAIGNS" | "NO_BASELINE" | "UNEQUAL_PERIODS";
  message: string;
}

export interface Mde {
  absolute: number;
  /** Null when the baseline is 0 (no relative scale). */
  relative: number | null;
}

/** The stored plan (campaigns.plan) and the answer of `powerAnalysis`. */
export interface PlanData {
  snapshotId: number;
  snapshotAsOf: string;
  segmentMembers: number;
  optedOut: number;
  eligibleCustomers: number;
  treatmentSize: number;
  controlSize: number;
  holdoutRatio: number;
  /** Baseline window: the outcome window's length just before the snapshot's as-of. */
  baselineFrom: string;
  baselineTo: string;
  baselineConversion: number;
  baselineRevenuePerCustomer: number;
  baselineRevenueStandardDeviation: number;
  baselineOrdersPerCustomer: number;
  baselineOrdersStandardDeviation: number;
  mdeConversion: Mde | null;
  mdeRevenuePerCustomer: Mde | null;
  mdeOrdersPerCustomer: Mde | null;
  primaryKpi: string;
  expectedLift: number | null;
  isUnderpowered: boolean;
  /** Segment size that would detect the expected lift with 80% power; null without an expected lift. */
  requiredSegmentSize: number | null;
  overlappingCustomers: number;
  overlappingCampaignIds: number[];
  warnings: PlanWarning[];
  /**
   * Where the baselines (conversion, revenue and orders per customer) come from: the same RF
   * cells in the window after an earlier snapshot, weighted by the segment's cell mix
   * (rf_cell_reactivation for a win-back, rf_cell_history otherwise), or, without such a
   * snapshot, segment_history (the eligible customers' own last window, which overstates them
   * for segments chosen for buying recently). baselineFrom/baselineTo is the window read.
   */
  baselineSource?: "segment_history" | "rf_cell_reactivation" | "rf_cell_history";
  /** The earlier snapshot the forecast baseline was read from. */
  reactivationSnapshotId?: number | null;
  /** Days of outcome window until the expected lift of the primary KPI is detectable (80% power); null without an expected lift or when over two years. */
  daysToDetect?: number | null;
  alpha: number;
  power: number;
  computedAt: string;
}

export interface PowerInput {
  segmentId: number;
  snapshotId?: number | null;
  channel: string;
  holdoutRatio: number;
  expectedLift?: number | null;
  outcomeWindowDays: number;
  prePeriodDays?: number | null;
  primaryKpi?: string | null;
  /** win_back takes the baselines from the same RF cells' past reactivation. */
  objective?: string | null;
  /** Excluded from the overlap count (the campaign being planned). */
  campaignId?: number | null;
  /** The campaign's assignment seed: the group sizes are then those its launch will draw. */
  assignmentSeed?: string | null;
}

async function resolveSnapshot(query: Query, snapshotId: number | null | undefined, path: string): Promise<{ id: number; asOf: Date }> {
  if (snapshotId != null) {
    await assertSnapshot(query, snapshotId, path);
    const [row] = await query<{ id: number; as_of: Date }>("select id, as_of from snapshots where id = $1", [snapshotId]);
    return { id: (row as { id: number }).id, asOf: (row as { as_of: Date }).as_of };
  }
  const [latest] = await query<{ id: number; as_of: Date }>("select id, as_of from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1");
  if (!latest) throw conflict("No snapshot has been computed yet, so the segment has no members. Create one with `createSnapshot`, then plan.", "NO_SNAPSHOT_YET");
  return { id: latest.id, asOf: latest.as_of };
}

const safely = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

/**
 * Segment size after opt-outs, baseline from history and the minimum detectable effect (α 0.05,
 * power 0.8) for the holdout ratio. Baseline: the share who bought (conversion), revenue and
 * orders per customer with their standard deviations — forecast from the same RF cells after an
 * earlier snapshot (`rfCellForecast`), or, without one, the eligible customers' own completed
 * orders in the `outcomeWindowDays` just before the snapshot's as-of.
 */
export async function powerAnalysis(query: Query, input: PowerInput, options: PlanReadOptions = {}): Promise<PlanData> {
  const snapshot = await resolveSnapshot(query, input.snapshotId, "snapshotId");
  await assertSegment(query, input.segmentId, "segmentId");
  const baselineTo = snapshot.asOf;
  const baselineFrom = new Date(baselineTo.getTime() - input.outcomeWindowDays * 86_400_000);
  // The segment's members and the eligible ones (opted in for the channel) per RF cell: the
  // sizes, and the weights of the forecast below.
  const cells = await query<{ r_score: number; f_score: number; members: number; eligible: number }>(
    `select s.r_score, s.f_score, count(*)::int as members, (count(*) filter (where ${optInCondition(input.channel)}))::int as eligible
       from segment_members m
       join customers cu on cu.id = m.customer_id
       join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
      where m.segment_id = $1 and m.snapshot_id = $2
      group by s.r_score, s.f_score`,
    [input.segmentId, snapshot.id],
  );
  const members = cells.reduce((sum, c) => sum + c.members, 0);
  const n = cells.reduce((sum, c) => sum + c.eligible, 0);
  if (members === 0) {
    throw badInput(`Segment ${input.segmentId} has no members in snapshot ${snapshot.id}. Pick another segment or snapshot.`, [
      fieldProblem("segmentId", "SEGMENT_EMPTY", { snapshotId: snapshot.id }),
    ], "SEGMENT_EMPTY", { segmentId: input.segmentId, snapshotId: snapshot.id });
  }
  if (n === 0) {
    throw badInput(`All ${members} members of segment ${input.segmentId} opted out of ${input.channel}. Pick another channel.`, [
      fieldProblem("channel", "ALL_OPTED_OUT", { channel: input.channel }),
    ], "ALL_OPTED_OUT", { members, segmentId: input.segmentId, channel: input.channel });
  }
  const moments = (sum: number, sum2: number) => {
    const mean = sum / n;
    return { mean, sd: n > 1 ? Math.sqrt(Math.max(0, (sum2 - sum * mean) / (n - 1))) : 0 };
  };
  // The control group in the coming window is forecast from what customers in the same RF cells
  // did in the window after an earlier snapshot: the segment's own last window overstates it for
  // a segment chosen for having bought lately (new, loyal customers) and understates it for
  // lapsed ones (whose last window is empty by definition). Conversion, revenue and orders come
  // from the same source, so the MDEs of the three KPIs are sized on the same forecast.
  const forecast = await rfCellForecast(query, input, snapshot, baselineFrom, cells, options.cached);
  const own = forecast ? null : await ownWindow(query, input, snapshot.id, baselineFrom, baselineTo);
  const conversion = forecast ? forecast.rate : (own?.converters ?? 0) / n;
  const revenue = forecast ? forecast.revenue : moments(own?.sum_rev ?? 0, own?.sum_rev2 ?? 0);
  const orders = forecast ? forecast.orders : moments(own?.sum_ord ?? 0, own?.sum_ord2 ?? 0);
  const h = input.holdoutRatio;
  const settings = { holdoutRatio: h, alpha: 0.05, power: 0.8 };
  // With the campaign's assignment seed, exactly the control group a launch on the same
  // eligible customers produces; without one (a what-if), the lower of its two possible sizes.
  const controlSize = input.assignmentSeed != null ? controlCount(n, h, input.assignmentSeed) : Math.floor(n * h);
  const toMde = (m: { absolute: number; relative: number } | null): Mde | null => (m ? { absolute: m.absolute, relative: Number.isFinite(m.relative) ? m.relative : null } : null);
  const mdeConversion = toMde(safely(() => minimumDetectableEffectProportion({ n, baselineRate: conversion, ...settings })));
  // A baseline without spread (nobody bought, or everyone alike) gives no variance to size an
  // effect from: no detectable difference is stated rather than a difference of 0.
  const meanMde = (m: { mean: number; sd: number }) =>
    m.sd > 0 ? toMde(safely(() => minimumDetectableEffectMean({ n, baselineMean: m.mean, standardDeviation: m.sd, ...settings }))) : null;
  const mdeRevenue = meanMde(revenue);
  const mdeOrders = meanMde(orders);

  const primaryKpi = input.primaryKpi ?? "conversion";
  const primaryMde = primaryKpi === "revenue_per_customer" ? mdeRevenue : primaryKpi === "orders_per_customer" ? mdeOrders : mdeConversion;
  const expectedLift = input.expectedLift ?? null;
  const isUnderpowered = expectedLift !== null && (primaryMde?.relative == null || primaryMde.relative > expectedLift);
  let requiredSegmentSize: number | null = null;
  if (expectedLift !== null) {
    const size =
      primaryKpi === "conversion"
        ? safely(() => requiredSampleSizeProportion({ baselineRate: conversion, absoluteEffect: Math.min(conversion * expectedLift, 0.999 - conversion), ...settings }))
        : safely(() => {
            const base = primaryKpi === "revenue_per_customer" ? revenue : orders;
            return requiredSampleSizeMean({ standardDeviation: base.sd, absoluteEffect: base.mean * expectedLift, ...settings });
          });
    requiredSegmentSize = size?.total ?? null;
  }

  const [overlap] = await query<{ customers: number; campaign_ids: number[] | null }>(
    // Running campaigns first (usually a handful, often none), then their rosters.
    `with running as materialized (
       select c.id from campaigns c where ${EFFECTIVE_STATUS} = 'running' and ($3::bigint is null or c.id <> $3)
     )
     select count(distinct a.customer_id)::int as customers, array_agg(distinct a.campaign_id) as campaign_ids
       from running r
       join campaign_assignments a on a.campaign_id = r.id
       join segment_members m on m.customer_id = a.customer_id and m.segment_id = $1 and m.snapshot_id = $2`,
    [input.segmentId, snapshot.id, input.campaignId ?? null],
  );
  const overlappingCustomers = overlap?.customers ?? 0;
  const overlappingCampaignIds = (overlap?.campaign_ids ?? []).filter((v) => v !== null).map(Number);

  const warnings: PlanWarning[] = [];
  if (controlSize < MIN_CONTROL_SIZE) {
    warnings.push({
      code: "SMALL_CONTROL_GROUP",
      message: `The control group would have about ${controlSize} customers (under ${MIN_CONTROL_SIZE}); the lift estimate will be noisy. Raise the holdout ratio or widen the segment.`,
    });
  }
  if (conversion === 0 || conversion === 1) {
    warnings.push({
      code: "NO_BASELINE",
      message:
        `The baseline conversion is ${conversion * 100}%, so no minimum detectable conversion lift can be computed.` +
        (input.objective === "win_back" && !forecast
          ? ` Win-back plans read the same RF cells' past reactivation rate from a snapshot at least ${input.outcomeWindowDays} days older than this one; compute one with createSnapshot(asOfDate) and plan again.`
          : ""),
    });
  }
  if (isUnderpowered) {
    warnings.push({
      code: "UNDERPOWERED",
      message:
        `The expected lift (${(expectedLift * 100).toFixed(1)}%) is below the minimum detectable lift of ${primaryMde?.relative != null ? `${(primaryMde.relative * 100).toFixed(1)}%` : "this plan"} ` +
        `for ${primaryKpi}${requiredSegmentSize ? `; about ${requiredSegmentSize} eligible customers would be needed` : ""}. A null result would not mean "no effect".`,
    });
  }
  if (overlappingCustomers > 0) {
    warnings.push({
      code: "OVERLAPPING_CAMPAIGNS",
      message: `${overlappingCustomers} of these customers are in running campaign(s) ${overlappingCampaignIds.join(", ")}; their effects will mix.`,
    });
  }
  if (input.prePeriodDays != null && input.prePeriodDays !== input.outcomeWindowDays) {
    warnings.push({ code: "UNEQUAL_PERIODS", message: `The pre-period (${input.prePeriodDays} days) differs from the outcome window (${input.outcomeWindowDays} days); before/after means are not directly comparable.` });
  }
  return {
    snapshotId: snapshot.id,
    snapshotAsOf: snapshot.asOf.toISOString(),
    segmentMembers: members,
    optedOut: members - n,
    eligibleCustomers: n,
    treatmentSize: n - controlSize,
    controlSize,
    holdoutRatio: h,
    baselineFrom: (forecast?.from ?? baselineFrom).toISOString(),
    baselineTo: (forecast?.to ?? baselineTo).toISOString(),
    baselineConversion: conversion,
    baselineRevenuePerCustomer: revenue.mean,
    baselineRevenueStandardDeviation: revenue.sd,
    baselineOrdersPerCustomer: orders.mean,
    baselineOrdersStandardDeviation: orders.sd,
    mdeConversion,
    mdeRevenuePerCustomer: mdeRevenue,
    mdeOrdersPerCustomer: mdeOrders,
    primaryKpi,
    expectedLift,
    isUnderpowered,
    requiredSegmentSize,
    overlappingCustomers,
    overlappingCampaignIds,
    warnings,
    baselineSource: forecast ? (input.objective === "win_back" ? "rf_cell_reactivation" : "rf_cell_history") : "segment_history",
    reactivationSnapshotId: forecast?.snapshotId ?? null,
    daysToDetect: daysToDetect(primaryKpi, expectedLift, input.outcomeWindowDays, primaryMde, conversion, n, settings),
    alpha: 0.05,
    power: 0.8,
    computedAt: new Date().toISOString(),
  };
}

/**
 * Days of outcome window until the expected lift of the primary KPI reaches the minimum
 * detectable lift, assuming purchases arrive as a Poisson process at the baseline's rate:
 * conversion after d days is 1 − (1 − p_W)^(d/W); revenue and orders per customer grow ∝ d
 * and their standard deviation ∝ √d, so their relative MDE shrinks ∝ 1/√d.
 */
function daysToDetect(
  primaryKpi: string,
  expectedLift: number | null,
  windowDays: number,
  primaryMde: Mde | null,
  conversion: number,
  n: number,
  settings: { holdoutRatio: number; alpha: number; power: number },
): number | null {
  const MAX_DAYS = 730;
  if (expectedLift === null || !(expectedLift > 0)) return null;
  if (primaryKpi !== "conversion") {
    if (primaryMde?.relative == null) return null;
    const days = Math.ceil(windowDays * (primaryMde.relative / expectedLift) ** 2);
    return days <= MAX_DAYS ? Math.max(1, days) : null;
  }
  if (!(conversion > 0 && conversion < 1)) return null;
  const rate = -Math.log(1 - conversion) / windowDays;
  const detectable = (d: number) => {
    const p = 1 - Math.exp(-rate * d);
    const mde = safely(() => minimumDetectableEffectProportion({ n, baselineRate: p, ...settings }));
    return mde !== null && Number.isFinite(mde.relative) && mde.relative <= expectedLift;
  };
  if (!detectable(MAX_DAYS)) return null;
  let lo = 1;
  let hi = MAX_DAYS;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (detectable(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** DRAFT → PLANNED with the stored plan; the snapshot is fixed here (default: the latest). */
export async function planCampaign(handle: DbHandle, viewer: Viewer | null, id: number, options: PlanReadOptions = {}): Promise<CampaignRow> {
  return handle.transaction(async ({ db, query }) => {
    const campaign = await lockCampaign(db, id);
    if (campaign.status !== "draft") throw wrongStatus(campaign, "planCampaign", ["draft"]);
    await assertLoyaltyOffer(query, campaign.loyaltyOffer);
    const plan = await powerAnalysis(query, {
      segmentId: campaign.segmentId,
      snapshotId: campaign.snapshotId,
      channel: campaign.channel,
      holdoutRatio: campaign.holdoutRatio,
      expectedLift: campaign.expectedLift,
      outcomeWindowDays: campaign.outcomeWindowDays,
      prePeriodDays: campaign.prePeriodDays,
      primaryKpi: campaign.primaryKpi,
      objective: campaign.objective,
      campaignId: campaign.id,
      assignmentSeed: campaign.assignmentSeed,
    }, options);
    await query("update campaigns set status = 'planned', snapshot_id = $2, plan = $3::jsonb, updated_at = now() where id = $1", [
      id,
      plan.snapshotId,
      JSON.stringify(plan),
    ]);
    await recordEvent(query, viewer, id, "plan", "draft", "planned", {
      snapshotId: plan.snapshotId,
      eligibleCustomers: plan.eligibleCustomers,
      warnings: plan.warnings.map((w) => w.code),
    });
    return getCampaign(db, id);
  });
}

/** Field problems of the `powerAnalysis` arguments (paths are the argument names). */
export const powerProblems = (args: CampaignFields) => campaignFieldProblems(args, "", false);
