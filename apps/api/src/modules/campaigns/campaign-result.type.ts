// GraphQL types of a measurement (the Check step's results).
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DeliveryAnalysis } from "./campaign-delivery.type.ts";
import { CampaignLoyaltyResult } from "./campaign-loyalty.type.ts";

export enum CampaignKpiEnum {
  CONVERSION = "conversion",
  REVENUE_PER_CUSTOMER = "revenue_per_customer",
  ORDERS_PER_CUSTOMER = "orders_per_customer",
}
registerEnumType(CampaignKpiEnum, { name: "CampaignKpi" });

export enum AssignmentGroupEnum {
  TREATMENT = "treatment",
  CONTROL = "control",
}
registerEnumType(AssignmentGroupEnum, { name: "AssignmentGroup" });

@ObjectType()
export class ConfidenceInterval {
  @Field(() => Float)
  lower!: number;

  @Field(() => Float)
  upper!: number;
}

export enum LiftVerdictEnum {
  INCREASE = "increase",
  DECREASE = "decrease",
  NO_DETECTABLE_CHANGE = "no_detectable_change",
}
registerEnumType(LiftVerdictEnum, {
  name: "LiftVerdict",
  description: "What the shown difference interval says; the relative interval and p < 0.05 always say the same (one test, one verdict).",
});

export enum LiftAnalysisEnum {
  FIXED_HORIZON = "fixed_horizon",
  SEQUENTIAL = "sequential",
}
registerEnumType(LiftAnalysisEnum, {
  name: "LiftAnalysis",
  description: "FIXED_HORIZON: the classical 95% analysis, valid once at the window's end. SEQUENTIAL: always-valid 95% intervals for provisional looks (valid however often you look).",
});

@ObjectType({ description: "The fixed-horizon figures of a provisional look, for reference: peeking at them daily inflates false positives." })
export class FixedHorizonLift {
  @Field(() => ConfidenceInterval)
  differenceCi!: ConfidenceInterval;

  @Field(() => ConfidenceInterval, { nullable: true })
  relativeLiftCi!: ConfidenceInterval | null;

  @Field(() => Float)
  pValue!: number;

  @Field(() => LiftVerdictEnum)
  verdict!: LiftVerdictEnum;
}

@ObjectType()
export class GroupOutcome {
  @Field(() => AssignmentGroupEnum)
  group!: AssignmentGroupEnum;

  @Field(() => Int)
  n!: number;

  @Field(() => Int)
  converters!: number;

  @Field(() => Float)
  conversion!: number;

  @Field(() => Int)
  orders!: number;

  @Field(() => Float)
  revenue!: number;

  @Field(() => Float)
  revenuePerCustomer!: number;

  @Field(() => Float)
  ordersPerCustomer!: number;

  @Field(() => Float, { nullable: true })
  averageOrderValue!: number | null;

  @Field(() => Float)
  preConversion!: number;

  @Field(() => Float)
  preRevenuePerCustomer!: number;

  @Field(() => Float)
  preOrdersPerCustomer!: number;
}

@ObjectType({ description: "Treatment vs control on one metric, with 95% intervals; the verdict, p-value and both intervals come from one test." })
export class LiftEstimate {
  @Field(() => CampaignKpiEnum)
  metric!: CampaignKpiEnum;

  @Field(() => String, { description: "The test behind the p-value and the verdict." })
  method!: string;

  @Field(() => String, { description: "How differenceCi was made." })
  differenceMethod!: string;

  @Field(() => String, { description: "How relativeLiftCi was made (Fieller's interval from the same statistic)." })
  relativeLiftMethod!: string;

  @Field(() => String, { nullable: true, description: "A stable code for `method`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  methodCode!: string | null;

  @Field(() => String, { nullable: true, description: "A stable code for `differenceMethod`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  differenceMethodCode!: string | null;

  @Field(() => String, { nullable: true, description: "A stable code for `relativeLiftMethod`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  relativeLiftMethodCode!: string | null;

  @Field(() => LiftAnalysisEnum, { description: "Which analysis the intervals, p-value and verdict are from." })
  analysis!: LiftAnalysisEnum;

  @Field(() => LiftVerdictEnum)
  verdict!: LiftVerdictEnum;

  @Field(() => FixedHorizonLift, { nullable: true, description: "On a SEQUENTIAL look: the fixed-horizon figures of the same data (not for decisions)." })
  fixedHorizon!: FixedHorizonLift | null;

  @Field(() => Float)
  treatment!: number;

  @Field(() => Float)
  control!: number;

  @Field(() => Float, { description: "Treatment − control." })
  difference!: number;

  @Field(() => ConfidenceInterval)
  differenceCi!: ConfidenceInterval;

  @Field(() => Float, { nullable: true, description: "Treatment / control − 1; null when the control is 0." })
  relativeLift!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true, description: "Null when the control is 0 or not distinguishable from 0 (Fieller's interval is then unbounded)." })
  relativeLiftCi!: ConfidenceInterval | null;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Boolean, { description: "verdict is INCREASE or DECREASE (⇔ p < 0.05 ⇔ the intervals exclude 0)." })
  isSignificant!: boolean;
}

@ObjectType()
export class WinsorizedLift extends LiftEstimate {
  @Field(() => Float, { description: "Pooled percentile used as the cap (0.99)." })
  percentile!: number;

  @Field(() => Float)
  cap!: number;

  @Field(() => Int)
  cappedTreatment!: number;

  @Field(() => Int)
  cappedControl!: number;
}

@ObjectType()
export class CupedLift {
  @Field(() => CampaignKpiEnum)
  metric!: CampaignKpiEnum;

  @Field(() => Float)
  theta!: number;

  @Field(() => Float, { description: "Share of the variance of the difference removed by the pre-period covariate." })
  varianceReduction!: number;

  @Field(() => LiftEstimate)
  lift!: LiftEstimate;
}

@ObjectType({ description: "Before/after × treatment/control." })
export class DidEstimate {
  @Field(() => CampaignKpiEnum)
  metric!: CampaignKpiEnum;

  @Field(() => Float)
  treatmentPre!: number;

  @Field(() => Float)
  treatmentPost!: number;

  @Field(() => Float)
  controlPre!: number;

  @Field(() => Float)
  controlPost!: number;

  @Field(() => Float)
  estimate!: number;

  @Field(() => ConfidenceInterval)
  ci!: ConfidenceInterval;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Boolean)
  isSignificant!: boolean;
}

@ObjectType({ description: "One arm at measurement time." })
export class ObservableArm {
  @Field(() => AssignmentGroupEnum)
  group!: AssignmentGroupEnum;

  @Field(() => Int)
  roster!: number;

  @Field(() => Int, { description: "Customers whose purchase history up to the snapshot is still on record." })
  observable!: number;

  @Field(() => Int, { description: "Customers with orders up to the snapshot no longer on record (deleted, merged or lost by a feed)." })
  historyMissing!: number;

  @Field(() => Int, { description: "Opted out of the channel after launch (still measured: intention to treat)." })
  optedOutAfterLaunch!: number;
}

@ObjectType({ description: "Sample ratio mismatch: chi-square of what can drift after launch (observable customers per arm) against the roster's split." })
export class SrmCheck {
  @Field(() => String, { description: "observable_customers; roster on results measured before lift-2 (which could not fire)." })
  basis!: string;

  @Field(() => [ObservableArm])
  arms!: ObservableArm[];

  @Field(() => Float)
  chiSquare!: number;

  @Field(() => Float)
  pValue!: number;

  @Field(() => Boolean, { description: "p < 0.001: the assignment or the data is suspect; do not trust the lift." })
  isMismatch!: boolean;

  @Field(() => Float)
  plannedHoldoutRatio!: number;

  @Field(() => Float)
  observedHoldoutRatio!: number;
}

@ObjectType()
export class StratumLift {
  @Field(() => String)
  stratum!: string;

  @Field(() => Int)
  treatmentN!: number;

  @Field(() => Int)
  controlN!: number;

  @Field(() => Float, { nullable: true })
  treatmentConversion!: number | null;

  @Field(() => Float, { nullable: true })
  controlConversion!: number | null;

  @Field(() => Float, { nullable: true })
  difference!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true })
  differenceCi!: ConfidenceInterval | null;

  @Field(() => Float, { nullable: true })
  pValue!: number | null;

  @Field(() => Float, { nullable: true, description: "Benjamini–Hochberg adjusted over the strata." })
  adjustedPValue!: number | null;

  @Field(() => Boolean)
  isSignificant!: boolean;
}

@ObjectType({ description: "Causal money: the per-customer revenue lift × treated customers." })
export class CampaignMoney {
  @Field(() => Float)
  incrementalRevenue!: number;

  @Field(() => ConfidenceInterval, { nullable: true })
  incrementalRevenueCi!: ConfidenceInterval | null;

  @Field(() => Float)
  incrementalGrossProfit!: number;

  @Field(() => ConfidenceInterval, { nullable: true })
  incrementalGrossProfitCi!: ConfidenceInterval | null;

  @Field(() => Float, { description: "Cost per contact × treated + fixed cost + loyaltyCost." })
  campaignCost!: number;

  @Field(() => Float, { description: "The loyalty offer's bonus-points liability inside campaignCost (0 without one)." })
  loyaltyCost!: number;

  @Field(() => Float, { nullable: true, description: "Incremental gross profit − campaign cost (null on results before lift-2)." })
  netProfit!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true })
  netProfitCi!: ConfidenceInterval | null;

  @Field(() => Float, { nullable: true, description: "(incremental gross profit − cost) / cost; null when the cost is 0." })
  roi!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true, description: "95% interval of the ROI (the revenue lift's interval mapped through the same linear formula)." })
  roiCi!: ConfidenceInterval | null;

  @Field(() => Float, { nullable: true, description: "P(ROI > 0) from the revenue lift's t distribution; null on provisional looks and when the cost is 0." })
  probabilityRoiPositive!: number | null;

  @Field(() => Boolean, { description: "The whole ROI interval is above 0; an interval crossing 0 is never a win." })
  isProfitable!: boolean;

  @Field(() => String, { description: "How the money intervals were made." })
  method!: string;

  @Field(() => String, { nullable: true, description: "A stable code for `method` (WELCH_T_LINEAR; LEGACY_NO_ROI_INTERVAL for results measured before the intervals existed), for clients that word methods in their own language." })
  methodCode!: string | null;

  @Field(() => Float)
  margin!: number;

  @Field(() => String, { description: "campaign or settings." })
  marginSource!: string;
}

@ObjectType()
export class SeriesPoint {
  @Field(() => Int, { description: "Days since launch (24-hour days)." })
  day!: number;

  @Field(() => GraphQLISODateTime)
  date!: Date;

  @Field(() => Float)
  treatmentConversion!: number;

  @Field(() => Float)
  controlConversion!: number;

  @Field(() => Float)
  treatmentRevenuePerCustomer!: number;

  @Field(() => Float)
  controlRevenuePerCustomer!: number;
}

@ObjectType({ description: "One measurement (Check). Re-measuring adds a new one; earlier ones are kept." })
export class CampaignResult {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  methodVersion!: string;

  @Field(() => Boolean, { description: "Measured before the outcome window ended, or before the orders were known to be complete to its end." })
  isProvisional!: boolean;

  @Field(() => [String], { description: "Why the result is provisional; empty when final." })
  provisionalReasons!: string[];

  @Field(() => [String], {
    description:
      "A code per provisionalReasons entry, in the same order, for clients that word it in their own language with windowTo, countedUntil and ordersCompleteUntil: WINDOW_OPEN, ORDERS_INCOMPLETE_WATERMARK (an admin's watermark), ORDERS_INCOMPLETE_IMPORTS (the latest order an import covered), or OTHER.",
  })
  provisionalReasonCodes!: string[];

  @Field(() => GraphQLISODateTime, { description: "Orders were counted up to here (exclusive): the window's end, or the measurement time or the watermark when earlier." })
  countedUntil!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "The orders-complete watermark at measurement time; null when unknown." })
  ordersCompleteUntil!: Date | null;

  @Field(() => GraphQLISODateTime)
  computedAt!: Date;

  @Field(() => String, { nullable: true })
  computedBy!: string | null;

  @Field(() => GraphQLISODateTime)
  windowFrom!: Date;

  @Field(() => GraphQLISODateTime)
  windowTo!: Date;

  @Field(() => GraphQLISODateTime)
  prePeriodFrom!: Date;

  @Field(() => GraphQLISODateTime)
  prePeriodTo!: Date;

  @Field(() => [GroupOutcome])
  groups!: GroupOutcome[];

  @Field(() => LiftEstimate, { description: "The campaign's primary KPI." })
  primary!: LiftEstimate;

  @Field(() => LiftEstimate)
  conversion!: LiftEstimate;

  @Field(() => LiftEstimate)
  revenuePerCustomer!: LiftEstimate;

  @Field(() => WinsorizedLift)
  revenuePerCustomerWinsorized!: WinsorizedLift;

  @Field(() => LiftEstimate)
  ordersPerCustomer!: LiftEstimate;

  @Field(() => [CupedLift])
  cuped!: CupedLift[];

  @Field(() => [DidEstimate])
  did!: DidEstimate[];

  @Field(() => SrmCheck)
  srm!: SrmCheck;

  @Field(() => [StratumLift])
  strata!: StratumLift[];

  @Field(() => DeliveryAnalysis, { nullable: true, description: "Exposure and delivery: rates per arm, checks, CACE. Null on results measured before lift-3." })
  delivery!: DeliveryAnalysis | null;

  @Field(() => CampaignLoyaltyResult, { nullable: true, description: "Points per arm and the bonus liability; null without a loyalty offer." })
  loyalty!: CampaignLoyaltyResult | null;

  @Field(() => CampaignMoney)
  money!: CampaignMoney;

  @Field(() => [SeriesPoint])
  series!: SeriesPoint[];
}

