import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.ts";
import { CampaignLoyaltyOffer } from "./campaign-loyalty.type.ts";
import { CampaignKpiEnum, LiftEstimate } from "./campaign-lift.type.ts";
import { CampaignMoney } from "./campaign-result.type.ts";

export * from "./campaign-lift.type.ts";
export * from "./campaign-result.type.ts";

export enum CampaignStatusEnum {
  DRAFT = "draft",
  PLANNED = "planned",
  RUNNING = "running",
  MEASURING = "measuring",
  CHECKED = "checked",
  ACTED = "acted",
  CANCELLED = "cancelled",
}
registerEnumType(CampaignStatusEnum, {
  name: "CampaignStatus",
  description: "DRAFT → PLANNED → RUNNING → MEASURING (outcome window over) → CHECKED → ACTED; CANCELLED before launch.",
});

export enum CampaignObjectiveEnum {
  RETAIN = "retain",
  WIN_BACK = "win_back",
  UPSELL = "upsell",
  CROSS_SELL = "cross_sell",
  ACTIVATE = "activate",
  OTHER = "other",
}
registerEnumType(CampaignObjectiveEnum, { name: "CampaignObjective" });

export enum CampaignChannelEnum {
  EMAIL = "email",
  LINE = "line",
  SMS = "sms",
  DM = "dm",
  COUPON = "coupon",
  POINTS = "points",
  OTHER = "other",
}
registerEnumType(CampaignChannelEnum, { name: "CampaignChannel", description: "EMAIL, LINE, SMS and DM leave out customers who opted out of that channel." });

export enum CampaignDecisionEnum {
  ADOPT = "adopt",
  ITERATE = "iterate",
  STOP = "stop",
  INVALID = "invalid",
}
registerEnumType(CampaignDecisionEnum, { name: "CampaignDecision", description: "ITERATE creates the next cycle's draft." });

@ObjectType({ description: "Minimum detectable effect at α 0.05 and power 0.8." })
export class MinimumDetectableEffect {
  @Field(() => Float, { description: "Treatment − control (rate points or currency/orders per customer)." })
  absolute!: number;

  @Field(() => Float, { nullable: true, description: "Relative to the baseline (0.1 = +10%); null when the baseline is 0." })
  relative!: number | null;
}

@ObjectType()
export class PlanWarning {
  @Field(() => String, { description: "SMALL_CONTROL_GROUP, UNDERPOWERED, OVERLAPPING_CAMPAIGNS, NO_BASELINE or UNEQUAL_PERIODS." })
  code!: string;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: "Segment size after opt-outs, baseline from history, minimum detectable effects and warnings." })
export class CampaignPlan {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => GraphQLISODateTime)
  snapshotAsOf!: Date;

  @Field(() => Int, { description: "Segment members in the snapshot." })
  segmentMembers!: number;

  @Field(() => Int, { description: "Members who opted out of the channel." })
  optedOut!: number;

  @Field(() => Int, { description: "Customers the roster will hold." })
  eligibleCustomers!: number;

  @Field(() => Int)
  treatmentSize!: number;

  @Field(() => Int)
  controlSize!: number;

  @Field(() => Float)
  holdoutRatio!: number;

  @Field(() => GraphQLISODateTime, { description: "Baseline window: the window the baselines were read from — the outcome window after the earlier snapshot for an RF-cell forecast (baselineSource rf_cell_*), else the outcome window's length just before the snapshot's as-of." })
  baselineFrom!: Date;

  @Field(() => GraphQLISODateTime)
  baselineTo!: Date;

  @Field(() => Float, { description: "Forecast share of eligible customers with a completed order in an outcome window (see baselineSource)." })
  baselineConversion!: number;

  @Field(() => Float)
  baselineRevenuePerCustomer!: number;

  @Field(() => Float)
  baselineRevenueStandardDeviation!: number;

  @Field(() => Float)
  baselineOrdersPerCustomer!: number;

  @Field(() => MinimumDetectableEffect, { nullable: true })
  mdeConversion!: MinimumDetectableEffect | null;

  @Field(() => MinimumDetectableEffect, { nullable: true })
  mdeRevenuePerCustomer!: MinimumDetectableEffect | null;

  @Field(() => MinimumDetectableEffect, { nullable: true })
  mdeOrdersPerCustomer!: MinimumDetectableEffect | null;

  @Field(() => CampaignKpiEnum)
  primaryKpi!: CampaignKpiEnum;

  @Field(() => Float, { nullable: true })
  expectedLift!: number | null;

  @Field(() => Boolean, { description: "The expected lift is below the minimum detectable lift of the primary KPI." })
  isUnderpowered!: boolean;

  @Field(() => Int, { nullable: true, description: "Eligible customers needed to detect the expected lift with 80% power." })
  requiredSegmentSize!: number | null;

  @Field(() => Int, { description: "Eligible customers already in running campaigns." })
  overlappingCustomers!: number;

  @Field(() => [ID])
  overlappingCampaignIds!: number[];

  @Field(() => [PlanWarning])
  warnings!: PlanWarning[];

  @Field(() => String, {
    description:
      "Where the baselines (conversion, revenue and orders per customer, with their spreads) come from. rf_cell_history (rf_cell_reactivation for a win-back): what the same RF cells' customers did in the window after an earlier snapshot (one at least an outcome window older), weighted by the segment's cell mix. segment_history, without such a snapshot: the eligible customers' own last window, which overstates them for segments chosen for buying lately and understates them for lapsed ones.",
  })
  baselineSource!: string;

  @Field(() => ID, { nullable: true, description: "The earlier snapshot an RF-cell baseline (rf_cell_history or rf_cell_reactivation) was read from." })
  reactivationSnapshotId!: number | null;

  @Field(() => Int, { nullable: true, description: "Days of outcome window until the expected lift of the primary KPI is detectable with 80% power (Poisson-rate scaling of the baseline); null without an expected lift or beyond two years." })
  daysToDetect!: number | null;

  @Field(() => GraphQLISODateTime)
  computedAt!: Date;
}

@ObjectType()
export class RosterStratum {
  @Field(() => String, { description: "RF cell, e.g. R2F4." })
  stratum!: string;

  @Field(() => Int)
  treatment!: number;

  @Field(() => Int)
  control!: number;
}

@ObjectType({ description: "The frozen roster's group sizes, overall and per RF cell." })
export class RosterSummary {
  @Field(() => Int)
  treatment!: number;

  @Field(() => Int)
  control!: number;

  @Field(() => [RosterStratum])
  strata!: RosterStratum[];
}

@ObjectType({ description: "One entry of the append-only PDCA log." })
export class CampaignEvent {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "create, edit, plan, launch, measure, review, cancel." })
  kind!: string;

  @Field(() => CampaignStatusEnum, { nullable: true })
  fromStatus!: CampaignStatusEnum | null;

  @Field(() => CampaignStatusEnum, { nullable: true })
  toStatus!: CampaignStatusEnum | null;

  @Field(() => GraphQLJSONObject)
  details!: Record<string, unknown>;

  @Field(() => String, { description: "The actor's e-mail, or system." })
  actor!: string;

  @Field(() => GraphQLISODateTime)
  at!: Date;
}

@ObjectType()
export class Campaign {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => ID)
  segmentId!: number;

  @Field(() => String)
  segmentName!: string;

  @Field(() => String, { nullable: true, description: "The segment's key when it is a built-in RFM segment (e.g. `loyal`): clients name it in their own language." })
  segmentKey!: string | null;

  @Field(() => ID, { nullable: true, description: "Fixed at planning; null means the latest until then." })
  snapshotId!: number | null;

  @Field(() => CampaignObjectiveEnum)
  objective!: CampaignObjectiveEnum;

  @Field(() => String)
  hypothesis!: string;

  @Field(() => CampaignChannelEnum)
  channel!: CampaignChannelEnum;

  @Field(() => String, { description: "The offer's free-text description." })
  offer!: string;

  @Field(() => CampaignLoyaltyOffer, { nullable: true, description: "The structured loyalty offer; null for none." })
  loyaltyOffer!: CampaignLoyaltyOffer | null;

  @Field(() => CampaignKpiEnum)
  primaryKpi!: CampaignKpiEnum;

  @Field(() => [CampaignKpiEnum])
  guardrailKpis!: CampaignKpiEnum[];

  @Field(() => Float, { nullable: true, description: "Expected relative lift of the primary KPI (0.1 = +10%)." })
  expectedLift!: number | null;

  @Field(() => Float)
  holdoutRatio!: number;

  @Field(() => Float)
  costPerContact!: number;

  @Field(() => Float)
  fixedCost!: number;

  @Field(() => Float, { nullable: true, description: "Gross margin ratio; null uses the settings' default." })
  margin!: number | null;

  @Field(() => Int)
  outcomeWindowDays!: number;

  @Field(() => Int)
  prePeriodDays!: number;

  @Field(() => GraphQLISODateTime, { nullable: true })
  plannedStart!: Date | null;

  @Field(() => CampaignStatusEnum)
  status!: CampaignStatusEnum;

  @Field(() => CampaignPlan, { nullable: true })
  plan!: CampaignPlan | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  launchedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "End of the outcome window (exclusive)." })
  outcomeWindowEndsAt!: Date | null;

  @Field(() => CampaignDecisionEnum, { nullable: true })
  decision!: CampaignDecisionEnum | null;

  @Field(() => String, { nullable: true })
  decisionRationale!: string | null;

  @Field(() => String, { nullable: true })
  reviewedBy!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  reviewedAt!: Date | null;

  @Field(() => ID, { nullable: true })
  parentCampaignId!: number | null;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

export const CampaignConnection = Connection(Campaign, "Campaign");

@ObjectType()
export class ReviewCampaignPayload {
  @Field(() => Campaign)
  campaign!: Campaign;

  @Field(() => Campaign, { nullable: true, description: "The next cycle's draft when the decision is ITERATE." })
  nextCycle!: Campaign | null;
}

@ObjectType({ description: "One column of compareCampaigns: the latest result's headline figures." })
export class CampaignComparison {
  @Field(() => Campaign)
  campaign!: Campaign;

  @Field(() => Boolean)
  hasResult!: boolean;

  @Field(() => Boolean, { nullable: true })
  isProvisional!: boolean | null;

  @Field(() => LiftEstimate, { nullable: true })
  primary!: LiftEstimate | null;

  @Field(() => LiftEstimate, { nullable: true })
  conversion!: LiftEstimate | null;

  @Field(() => LiftEstimate, { nullable: true })
  revenuePerCustomer!: LiftEstimate | null;

  @Field(() => Int, { nullable: true })
  treatmentN!: number | null;

  @Field(() => Int, { nullable: true })
  controlN!: number | null;

  @Field(() => Float, { nullable: true })
  incrementalRevenue!: number | null;

  @Field(() => Float, { nullable: true, description: "Point estimate only; read money.roiCi and money.isProfitable before calling it a win." })
  roi!: number | null;

  @Field(() => CampaignMoney, { nullable: true, description: "Money with intervals and P(ROI > 0) of the latest result." })
  money!: CampaignMoney | null;

  @Field(() => Boolean, { nullable: true })
  isSrmMismatch!: boolean | null;

  @Field(() => CampaignDecisionEnum, { nullable: true })
  decision!: CampaignDecisionEnum | null;
}
