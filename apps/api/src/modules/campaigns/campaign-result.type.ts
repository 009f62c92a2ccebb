// GraphQL types of a measurement (the Check step's results).
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { DeliveryAnalysis } from "./campaign-delivery.type.ts";
import { CampaignLoyaltyResult } from "./campaign-loyalty.type.ts";
import { AssignmentGroupEnum, ConfidenceInterval, CupedLift, DidEstimate, GroupOutcome, LiftEstimate, WinsorizedLift } from "./campaign-lift.type.ts";

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

