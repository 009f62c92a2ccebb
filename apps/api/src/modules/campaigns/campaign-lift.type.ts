// GraphQL types of a measurement's estimates: the lift of treatment over control on one metric
// (plain, winsorized, CUPED-adjusted) and the before/after difference-in-differences.
import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";

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
