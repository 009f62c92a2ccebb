// The plan wizard's form: its state, the checks that mirror the API's (apps/api/src/modules/
// campaigns/campaign.validate.ts), and the conversions to and from the GraphQL inputs.
import type { CampaignChannel, CampaignDraftQuery, CampaignKpi, CampaignObjective, CreateCampaignInput, LoyaltyOfferInput, LoyaltyOfferKind, UpdateCampaignInput } from "../../../gql/graphql.ts";
import { businessDay, dayBoundary } from "../../shared/zoned-date.ts";

export const OBJECTIVES: CampaignObjective[] = ["RETAIN", "WIN_BACK", "UPSELL", "CROSS_SELL", "ACTIVATE", "OTHER"];
export const CHANNELS: CampaignChannel[] = ["EMAIL", "LINE", "SMS", "DM", "COUPON", "POINTS", "OTHER"];
/** Channels whose opt-outs are removed from the roster (the schema's CampaignChannel doc). */
export const OPT_OUT_CHANNELS: CampaignChannel[] = ["EMAIL", "LINE", "SMS", "DM"];
export const KPIS: CampaignKpi[] = ["CONVERSION", "REVENUE_PER_CUSTOMER", "ORDERS_PER_CUSTOMER"];
export const LOYALTY_OFFER_KINDS: LoyaltyOfferKind[] = ["BONUS_POINTS", "BONUS_STAMPS", "EXPIRING_POINTS_REMINDER"];

/** The API's bounds (campaign.validate.ts). */
export const LIMITS = {
  nameLength: 200,
  hypothesisLength: 5000,
  offerLength: 2000,
  windowDays: 730,
  expectedLift: 100,
  money: 1e12,
  /** Loyalty offers: 1 < k ≤ 10 (2 decimals), 1–10 bonus stamps. */
  maxMultiplier: 10,
  maxBonusStamps: 10,
} as const;

export const DEFAULT_HOLDOUT = 0.1;
export const DEFAULT_WINDOW_DAYS = 30;

export interface PlanForm {
  segmentId: string | null;
  /** Kept from an edited draft; new plans use the latest snapshot when planned. */
  snapshotId: string | null;
  name: string;
  objective: CampaignObjective | null;
  hypothesis: string;
  channel: CampaignChannel | null;
  offer: string;
  /** Structured loyalty offer; null = none. */
  loyaltyOfferKind: LoyaltyOfferKind | null;
  /** BONUS_POINTS: the factor k on earned points. */
  loyaltyMultiplier: number | null;
  /** BONUS_STAMPS: extra stamps per qualifying purchase. */
  loyaltyBonusStamps: number | null;
  primaryKpi: CampaignKpi;
  guardrailKpis: CampaignKpi[];
  /** Relative lift of the primary KPI (0.1 = +10%); null = not stated (no power verdict). */
  expectedLift: number | null;
  holdoutRatio: number | null;
  outcomeWindowDays: number | null;
  /** Null: the same length as the outcome window (the API's default). */
  prePeriodDays: number | null;
  /** A calendar date (YYYY-MM-DD) in the business time zone. */
  plannedStart: string | null;
  costPerContact: number | null;
  fixedCost: number | null;
  /** Gross margin ratio; null = the settings' default (also at measurement time). */
  margin: number | null;
}

export function emptyPlanForm(segmentId: string | null = null): PlanForm {
  return {
    segmentId,
    snapshotId: null,
    name: "",
    objective: null,
    hypothesis: "",
    channel: null,
    offer: "",
    loyaltyOfferKind: null,
    loyaltyMultiplier: 2,
    loyaltyBonusStamps: 1,
    primaryKpi: "CONVERSION",
    guardrailKpis: [],
    expectedLift: null,
    holdoutRatio: DEFAULT_HOLDOUT,
    outcomeWindowDays: DEFAULT_WINDOW_DAYS,
    prePeriodDays: null,
    plannedStart: null,
    costPerContact: 0,
    fixedCost: 0,
    margin: null,
  };
}

export type PlanField = keyof Omit<PlanForm, "snapshotId">;
export type PlanStep = "segment" | "objective" | "power" | "windows";
export const PLAN_STEPS: PlanStep[] = ["segment", "objective", "power", "windows"];

/** Which step shows which field (the wizard jumps to the first step with a problem). */
export const STEP_FIELDS: Record<PlanStep, PlanField[]> = {
  segment: ["segmentId"],
  objective: ["name", "objective", "hypothesis", "channel", "offer", "loyaltyOfferKind", "loyaltyMultiplier", "loyaltyBonusStamps", "primaryKpi", "guardrailKpis", "expectedLift"],
  power: ["holdoutRatio"],
  windows: ["outcomeWindowDays", "prePeriodDays", "plannedStart", "costPerContact", "fixedCost", "margin"],
};

/** A problem as a message key under `campaignPlan.validation` with its parameters. */
export interface FieldError {
  key: string;
  params?: Record<string, number>;
}

export type PlanErrors = Partial<Record<PlanField, FieldError>>;

const isWholeDays = (v: number) => Number.isInteger(v) && v >= 1 && v <= LIMITS.windowDays;
const isMoney = (v: number) => Number.isFinite(v) && v >= 0 && v < LIMITS.money;

/** Every problem the API would report, so the operator sees them before saving. */
export function validatePlan(form: PlanForm): PlanErrors {
  const errors: PlanErrors = {};
  if (!form.segmentId) errors.segmentId = { key: "segmentRequired" };
  if (form.name.trim().length === 0) errors.name = { key: "nameRequired" };
  else if (form.name.trim().length > LIMITS.nameLength) errors.name = { key: "tooLong", params: { max: LIMITS.nameLength } };
  if (!form.objective) errors.objective = { key: "objectiveRequired" };
  if (!form.channel) errors.channel = { key: "channelRequired" };
  if (form.hypothesis.length > LIMITS.hypothesisLength) errors.hypothesis = { key: "tooLong", params: { max: LIMITS.hypothesisLength } };
  if (form.offer.length > LIMITS.offerLength) errors.offer = { key: "tooLong", params: { max: LIMITS.offerLength } };
  if (form.loyaltyOfferKind === "BONUS_POINTS") {
    const k = form.loyaltyMultiplier;
    if (k === null) errors.loyaltyMultiplier = { key: "multiplierRequired" };
    else if (!(Number.isFinite(k) && k > 1 && k <= LIMITS.maxMultiplier && Math.round(k * 100) === k * 100)) errors.loyaltyMultiplier = { key: "multiplier", params: { max: LIMITS.maxMultiplier } };
  }
  if (form.loyaltyOfferKind === "BONUS_STAMPS") {
    const n = form.loyaltyBonusStamps;
    if (n === null) errors.loyaltyBonusStamps = { key: "bonusStampsRequired" };
    else if (!(Number.isInteger(n) && n >= 1 && n <= LIMITS.maxBonusStamps)) errors.loyaltyBonusStamps = { key: "bonusStamps", params: { max: LIMITS.maxBonusStamps } };
  }
  if (form.guardrailKpis.includes(form.primaryKpi)) errors.guardrailKpis = { key: "guardrailIsPrimary" };
  if (form.expectedLift !== null && !(Number.isFinite(form.expectedLift) && form.expectedLift > 0 && form.expectedLift <= LIMITS.expectedLift)) {
    errors.expectedLift = { key: "expectedLift", params: { max: LIMITS.expectedLift * 100 } };
  }
  if (form.holdoutRatio === null) errors.holdoutRatio = { key: "holdoutRequired" };
  else if (!(form.holdoutRatio > 0 && form.holdoutRatio < 1)) errors.holdoutRatio = { key: "holdout" };
  if (form.outcomeWindowDays === null) errors.outcomeWindowDays = { key: "daysRequired" };
  else if (!isWholeDays(form.outcomeWindowDays)) errors.outcomeWindowDays = { key: "days", params: { max: LIMITS.windowDays } };
  if (form.prePeriodDays !== null && !isWholeDays(form.prePeriodDays)) errors.prePeriodDays = { key: "days", params: { max: LIMITS.windowDays } };
  if (form.plannedStart !== null && !/^\d{4}-\d{2}-\d{2}$/.test(form.plannedStart)) errors.plannedStart = { key: "date" };
  if (form.costPerContact === null) errors.costPerContact = { key: "moneyRequired" };
  else if (!isMoney(form.costPerContact)) errors.costPerContact = { key: "nonNegative" };
  if (form.fixedCost === null) errors.fixedCost = { key: "moneyRequired" };
  else if (!isMoney(form.fixedCost)) errors.fixedCost = { key: "nonNegative" };
  if (form.margin !== null && !(form.margin >= 0 && form.margin <= 1)) errors.margin = { key: "margin" };
  return errors;
}

export function stepErrors(errors: PlanErrors, step: PlanStep): PlanField[] {
  return STEP_FIELDS[step].filter((f) => errors[f]);
}

/** Index of the first step with a problem, or -1. */
export function firstStepWithErrors(errors: PlanErrors): number {
  return PLAN_STEPS.findIndex((s) => stepErrors(errors, s).length > 0);
}

/** The field an API problem path (`input.holdoutRatio`, `input.guardrailKpis.0`) belongs to. */
export function fieldOfProblemPath(path: string): PlanField | null {
  const parts = path.split(".");
  const at = parts[0] === "input" ? 1 : 0;
  if (parts[at] === "loyaltyOffer") {
    return parts[at + 1] === "multiplier" ? "loyaltyMultiplier" : parts[at + 1] === "bonusStamps" ? "loyaltyBonusStamps" : "loyaltyOfferKind";
  }
  const name = parts[at];
  const all = Object.values(STEP_FIELDS).flat();
  return all.find((f) => f === name) ?? null;
}

/** The pre-period actually used: the outcome window's length unless set apart. */
export const effectivePrePeriodDays = (form: PlanForm): number | null => form.prePeriodDays ?? form.outcomeWindowDays;

/** Midnight of a calendar date in the business time zone, as an ISO instant. */
export function zonedDateToIso(date: string, timeZone: string): string {
  return new Date(dayBoundary(date, timeZone, "start")).toISOString();
}

/** The calendar date (YYYY-MM-DD) of an instant in the business time zone. */
export function isoToZonedDate(iso: string, timeZone: string): string {
  const day = businessDay(iso, timeZone);
  if (day === null) throw new RangeError(`not an instant: ${iso}`);
  return day;
}

/** The loyalty offer as the API takes it (null = none). */
export function loyaltyOfferInput(form: PlanForm): LoyaltyOfferInput | null {
  const kind = form.loyaltyOfferKind;
  if (!kind) return null;
  return {
    kind,
    multiplier: kind === "BONUS_POINTS" ? form.loyaltyMultiplier : null,
    bonusStamps: kind === "BONUS_STAMPS" ? form.loyaltyBonusStamps : null,
  };
}

/** The fields both create and update send; call only when validatePlan found nothing. */
function commonInput(form: PlanForm, timeZone: string) {
  return {
    loyaltyOffer: loyaltyOfferInput(form),
    name: form.name.trim(),
    segmentId: form.segmentId as string,
    objective: form.objective as CampaignObjective,
    channel: form.channel as CampaignChannel,
    hypothesis: form.hypothesis.trim(),
    offer: form.offer.trim(),
    primaryKpi: form.primaryKpi,
    guardrailKpis: form.guardrailKpis.filter((k) => k !== form.primaryKpi),
    expectedLift: form.expectedLift,
    holdoutRatio: form.holdoutRatio as number,
    outcomeWindowDays: form.outcomeWindowDays as number,
    prePeriodDays: effectivePrePeriodDays(form) as number,
    plannedStart: form.plannedStart ? zonedDateToIso(form.plannedStart, timeZone) : null,
    costPerContact: form.costPerContact as number,
    fixedCost: form.fixedCost as number,
    margin: form.margin,
  };
}

export function toCreateInput(form: PlanForm, timeZone: string): CreateCampaignInput {
  const input: CreateCampaignInput = commonInput(form, timeZone);
  if (form.snapshotId) input.snapshotId = form.snapshotId;
  return input;
}

/** Every field, so clearing one (expected lift, margin, planned start) clears it on the server. */
export function toUpdateInput(form: PlanForm, timeZone: string): UpdateCampaignInput {
  return commonInput(form, timeZone);
}

type Draft = CampaignDraftQuery["campaign"];

export function formFromDraft(c: Draft, timeZone: string): PlanForm {
  return {
    segmentId: c.segmentId,
    snapshotId: c.snapshotId,
    name: c.name,
    objective: c.objective,
    hypothesis: c.hypothesis,
    channel: c.channel,
    offer: c.offer,
    loyaltyOfferKind: c.loyaltyOffer?.kind ?? null,
    loyaltyMultiplier: c.loyaltyOffer?.multiplier ?? 2,
    loyaltyBonusStamps: c.loyaltyOffer?.bonusStamps ?? 1,
    primaryKpi: c.primaryKpi,
    guardrailKpis: c.guardrailKpis.filter((k) => k !== c.primaryKpi),
    expectedLift: c.expectedLift,
    holdoutRatio: c.holdoutRatio,
    outcomeWindowDays: c.outcomeWindowDays,
    prePeriodDays: c.prePeriodDays === c.outcomeWindowDays ? null : c.prePeriodDays,
    plannedStart: c.plannedStart ? isoToZonedDate(c.plannedStart, timeZone) : null,
    costPerContact: c.costPerContact,
    fixedCost: c.fixedCost,
    margin: c.margin,
  };
}

/** A ratio shown as a percentage in an input (0.07 → 7, without 7.000000000000001). */
export const toPercentInput = (ratio: number | null): number | null => (ratio === null ? null : Math.round(ratio * 1e8) / 1e6);
export const fromPercentInput = (percent: number | null): number | null => (percent === null ? null : Math.round(percent * 1e6) / 1e8);

export interface Economics {
  /** Cost per contact × treated customers + fixed cost (the API's campaignEconomics). */
  cost: number;
  /** Incremental revenue whose gross profit pays the cost: cost / margin. */
  breakEvenRevenue: number | null;
  breakEvenPerTreated: number | null;
  /** Break-even as a lift of revenue per customer over the baseline (0.1 = +10%). */
  breakEvenRelativeLift: number | null;
}

/**
 * The money side of the plan, as the API will compute it at measurement
 * (packages/scoring/src/lift/money.ts): only the treatment group is contacted.
 */
export function planEconomics(input: {
  costPerContact: number | null;
  fixedCost: number | null;
  margin: number;
  treatmentSize: number | null;
  baselineRevenuePerCustomer: number | null;
}): Economics | null {
  const { costPerContact, fixedCost, margin, treatmentSize, baselineRevenuePerCustomer } = input;
  if (costPerContact === null || fixedCost === null || treatmentSize === null) return null;
  const cost = costPerContact * treatmentSize + fixedCost;
  const breakEvenRevenue = margin > 0 ? cost / margin : null;
  const breakEvenPerTreated = breakEvenRevenue !== null && treatmentSize > 0 ? breakEvenRevenue / treatmentSize : null;
  const breakEvenRelativeLift = breakEvenPerTreated !== null && baselineRevenuePerCustomer ? breakEvenPerTreated / baselineRevenuePerCustomer : null;
  return { cost, breakEvenRevenue, breakEvenPerTreated, breakEvenRelativeLift };
}

// Amount inputs (30,000) are shared with the acquisition page's budget.
export { formatAmountInput, parseAmountInput } from "../../shared/amount-input.ts";
