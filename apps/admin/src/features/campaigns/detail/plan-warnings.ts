// The planner's warnings in the reader's language. The API's messages are English; their
// numbers come from the stored plan, so each one is rebuilt here from the plan's fields.
import type { CampaignKpi } from "../../../gql/graphql.ts";
import type { StatFormat } from "../results/interpret.ts";

interface Mde {
  absolute: number;
  relative?: number | null;
}

/** The CampaignPlan fields the warnings quote. */
export interface PlanLike {
  primaryKpi: CampaignKpi;
  controlSize: number;
  baselineConversion: number;
  expectedLift?: number | null;
  requiredSegmentSize?: number | null;
  overlappingCustomers: number;
  overlappingCampaignIds: string[];
  mdeConversion?: Mde | null;
  mdeRevenuePerCustomer?: Mde | null;
  mdeOrdersPerCustomer?: Mde | null;
}

export interface WarningText {
  /** Message key under campaignDetail.warning, or null: show the API's (English) message. */
  key: string | null;
  params: Record<string, string>;
  /** Campaigns to link to (overlapping running campaigns). */
  campaignIds: string[];
}

/** The minimum detectable effect of the plan's primary KPI. */
export function primaryMde(plan: PlanLike): Mde | null {
  if (plan.primaryKpi === "CONVERSION") return plan.mdeConversion ?? null;
  if (plan.primaryKpi === "REVENUE_PER_CUSTOMER") return plan.mdeRevenuePerCustomer ?? null;
  return plan.mdeOrdersPerCustomer ?? null;
}

export function warningText(code: string, plan: PlanLike, campaign: { prePeriodDays: number; outcomeWindowDays: number }, fmt: StatFormat): WarningText {
  const none: string[] = [];
  switch (code) {
    case "SMALL_CONTROL_GROUP":
      return { key: "SMALL_CONTROL_GROUP", params: { control: fmt.number(plan.controlSize) }, campaignIds: none };
    case "NO_BASELINE":
      return { key: "NO_BASELINE", params: { rate: fmt.percent(plan.baselineConversion, 1) }, campaignIds: none };
    case "UNDERPOWERED": {
      const mde = primaryMde(plan);
      const params = {
        expected: fmt.percent(plan.expectedLift, 1),
        mde: mde?.relative != null ? fmt.percent(mde.relative, 1) : "—",
        required: fmt.number(plan.requiredSegmentSize),
      };
      // Without a baseline there is no minimum detectable lift to compare with: say that instead.
      if (mde?.relative == null) return { key: "UNDERPOWERED_NO_MDE", params, campaignIds: none };
      return { key: plan.requiredSegmentSize ? "UNDERPOWERED" : "UNDERPOWERED_NO_SIZE", params, campaignIds: none };
    }
    case "OVERLAPPING_CAMPAIGNS":
      return { key: "OVERLAPPING_CAMPAIGNS", params: { n: fmt.number(plan.overlappingCustomers) }, campaignIds: plan.overlappingCampaignIds };
    case "UNEQUAL_PERIODS":
      return { key: "UNEQUAL_PERIODS", params: { pre: fmt.number(campaign.prePeriodDays), window: fmt.number(campaign.outcomeWindowDays) }, campaignIds: none };
    default:
      return { key: null, params: {}, campaignIds: none };
  }
}

export type PlanPowerTag = "powered" | "underpowered" | "noMde" | "noExpectedLift";

/**
 * The plan card's tag: "detectable" only with a number behind it — a minimum detectable lift of
 * the primary KPI and an expected lift at or above it. Without a minimum detectable lift (no
 * baseline) the card says it cannot be computed; without an expected lift nothing is compared.
 */
export function planPowerTag(plan: PlanLike & { expectedLift?: number | null; isUnderpowered: boolean }): PlanPowerTag {
  const mde = primaryMde(plan);
  if (mde?.relative == null || !Number.isFinite(mde.relative)) return "noMde";
  if (plan.expectedLift == null) return "noExpectedLift";
  return plan.isUnderpowered ? "underpowered" : "powered";
}
