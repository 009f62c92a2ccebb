// Shapes the API's power analysis (query powerAnalysis, type CampaignPlan) for the planner:
// when to ask for it, the minimum detectable effect per KPI, the verdict on the primary KPI, and
// each warning as a message key with the numbers that say what to do about it.
import type { CampaignKpi, PlanPowerAnalysisQuery, PlanPowerAnalysisQueryVariables } from "../../../gql/graphql.ts";
import { formatKpiChange, formatRelative, type NumberContext } from "./kpi-format.ts";
import { effectivePrePeriodDays, KPIS, LIMITS, type PlanForm } from "./plan-form.ts";

export type PowerPlan = PlanPowerAnalysisQuery["powerAnalysis"];

/** Mirrors MIN_CONTROL_SIZE of the API's campaign service (the SMALL_CONTROL_GROUP threshold). */
export const MIN_CONTROL_SIZE = 500;

/**
 * The powerAnalysis arguments for the form, or null while it cannot run (no segment or channel
 * yet, or a holdout/window the API would refuse). An invalid expected lift is left out rather
 * than stopping the analysis: its field shows the problem.
 */
export function powerVariables(form: PlanForm): PlanPowerAnalysisQueryVariables | null {
  const { segmentId, channel, holdoutRatio, outcomeWindowDays, expectedLift } = form;
  if (!segmentId || !channel || holdoutRatio === null || outcomeWindowDays === null) return null;
  if (!(holdoutRatio > 0 && holdoutRatio < 1)) return null;
  if (!(Number.isInteger(outcomeWindowDays) && outcomeWindowDays >= 1 && outcomeWindowDays <= LIMITS.windowDays)) return null;
  const isLiftValid = expectedLift !== null && Number.isFinite(expectedLift) && expectedLift > 0 && expectedLift <= LIMITS.expectedLift;
  return {
    segmentId,
    snapshotId: form.snapshotId,
    channel,
    holdoutRatio,
    outcomeWindowDays,
    primaryKpi: form.primaryKpi,
    // Win-back plans take their conversion baseline from the same RF cells' past reactivation.
    objective: form.objective,
    expectedLift: isLiftValid ? expectedLift : null,
  };
}

export interface MdeRow {
  kpi: CampaignKpi;
  isPrimary: boolean;
  baseline: number;
  /** Treatment − control the test can detect (rate, currency or orders per customer). */
  absolute: number | null;
  /** Relative to the baseline; null when the baseline is 0. */
  relative: number | null;
}

/** One row per KPI, the primary first. */
export function mdeRows(plan: PowerPlan): MdeRow[] {
  const of: Record<CampaignKpi, { baseline: number; mde: PowerPlan["mdeConversion"] }> = {
    CONVERSION: { baseline: plan.baselineConversion, mde: plan.mdeConversion },
    REVENUE_PER_CUSTOMER: { baseline: plan.baselineRevenuePerCustomer, mde: plan.mdeRevenuePerCustomer },
    ORDERS_PER_CUSTOMER: { baseline: plan.baselineOrdersPerCustomer, mde: plan.mdeOrdersPerCustomer },
  };
  const order = [plan.primaryKpi, ...KPIS.filter((k) => k !== plan.primaryKpi)];
  return order.map((kpi) => {
    const { baseline, mde } = of[kpi];
    // A zero baseline gives an MDE of 0 that means "cannot tell", not "detects anything".
    const absolute = mde && baseline > 0 ? mde.absolute : null;
    return { kpi, isPrimary: kpi === plan.primaryKpi, baseline, absolute, relative: mde?.relative ?? null };
  });
}

/**
 * powered: the expected lift is at least the primary KPI's minimum detectable lift;
 * underpowered: it is below (or no lift is detectable); noExpectedLift: nothing to compare;
 * noMde: no expected lift and no MDE (zero baseline).
 */
export type PowerVerdict = "powered" | "underpowered" | "noExpectedLift" | "noMde";

export function powerVerdict(plan: PowerPlan): PowerVerdict {
  const primary = mdeRows(plan)[0];
  if (plan.expectedLift === null) return primary?.relative == null ? "noMde" : "noExpectedLift";
  return plan.isUnderpowered ? "underpowered" : "powered";
}

export interface WarningView {
  code: string;
  /** Under `campaignPlan.warnings.<code>`; null for a code this UI does not know (show `fallback`). */
  bodyKey: string | null;
  adviceKey: string | null;
  params: Record<string, string>;
  /** The API's English message. */
  fallback: string;
}

export interface WarningContext {
  /** The form's windows: the pre-period is not a powerAnalysis argument, so UNEQUAL_PERIODS is checked here. */
  outcomeWindowDays: number;
  prePeriodDays: number | null;
  kpiLabel: (kpi: CampaignKpi) => string;
  numbers: NumberContext;
}

/** Every warning of the plan with what it means in numbers and what to do next. */
export function planWarnings(plan: PowerPlan, ctx: WarningContext): WarningView[] {
  const n = (v: number) => new Intl.NumberFormat(ctx.numbers.locale).format(v);
  const pct = (v: number | null | undefined) => formatRelative(v, ctx.numbers, false);
  const primary = mdeRows(plan)[0];
  const views = plan.warnings.map((w): WarningView => {
    const base = { code: w.code, fallback: w.message };
    switch (w.code) {
      case "SMALL_CONTROL_GROUP":
        return { ...base, bodyKey: "SMALL_CONTROL_GROUP.body", adviceKey: "SMALL_CONTROL_GROUP.advice", params: { control: n(plan.controlSize), min: n(MIN_CONTROL_SIZE) } };
      case "UNDERPOWERED":
        return {
          ...base,
          bodyKey: primary?.relative == null ? "UNDERPOWERED.bodyNoMde" : "UNDERPOWERED.body",
          adviceKey: plan.requiredSegmentSize ? "UNDERPOWERED.adviceSize" : "UNDERPOWERED.advice",
          params: {
            expected: pct(plan.expectedLift),
            mde: pct(primary?.relative),
            kpi: ctx.kpiLabel(plan.primaryKpi),
            required: plan.requiredSegmentSize ? n(plan.requiredSegmentSize) : "",
            eligible: n(plan.eligibleCustomers),
          },
        };
      case "OVERLAPPING_CAMPAIGNS":
        return {
          ...base,
          bodyKey: "OVERLAPPING_CAMPAIGNS.body",
          adviceKey: "OVERLAPPING_CAMPAIGNS.advice",
          params: { customers: n(plan.overlappingCustomers), campaigns: plan.overlappingCampaignIds.map((id) => `#${id}`).join(", ") },
        };
      case "NO_BASELINE":
        return {
          ...base,
          bodyKey: "NO_BASELINE.body",
          adviceKey: "NO_BASELINE.advice",
          params: { days: n(ctx.outcomeWindowDays), rate: pct(plan.baselineConversion), min: n(MIN_CONTROL_SIZE) },
        };
      case "UNEQUAL_PERIODS":
        return { ...base, bodyKey: "UNEQUAL_PERIODS.body", adviceKey: "UNEQUAL_PERIODS.advice", params: { pre: n(ctx.prePeriodDays ?? 0), window: n(ctx.outcomeWindowDays) } };
      default:
        return { ...base, bodyKey: null, adviceKey: null, params: {} };
    }
  });
  const pre = ctx.prePeriodDays ?? ctx.outcomeWindowDays;
  if (pre !== ctx.outcomeWindowDays && !views.some((v) => v.code === "UNEQUAL_PERIODS")) {
    views.push({
      code: "UNEQUAL_PERIODS",
      bodyKey: "UNEQUAL_PERIODS.body",
      adviceKey: "UNEQUAL_PERIODS.advice",
      params: { pre: n(pre), window: n(ctx.outcomeWindowDays) },
      fallback: "",
    });
  }
  return views;
}

/** The form's windows for planWarnings. */
export const warningWindows = (form: PlanForm) => ({ outcomeWindowDays: form.outcomeWindowDays ?? 0, prePeriodDays: effectivePrePeriodDays(form) });

/** "+5.4 pt (+6.2%)": the MDE in the KPI's unit and relative to its baseline. */
export function formatMde(row: MdeRow, ctx: NumberContext): { absolute: string; relative: string } {
  return { absolute: formatKpiChange(row.kpi, row.absolute, ctx, false), relative: formatRelative(row.relative, ctx, false) };
}
