// GraphQL types of exposure and delivery: delivery rates per arm, the checks of the delivery
// records against the roster, and the complier average causal effect (CACE).
import { Field, Float, GraphQLISODateTime, Int, ObjectType, registerEnumType } from "type-graphql";
import { AssignmentGroupEnum, CampaignKpiEnum, ConfidenceInterval, LiftAnalysisEnum, LiftVerdictEnum } from "./campaign-lift.type.ts";

export enum DeliveryEventEnum {
  SENT = "sent",
  DELIVERED = "delivered",
  BOUNCED = "bounced",
  OPENED = "opened",
  CLICKED = "clicked",
  REDEEMED = "redeemed",
}
registerEnumType(DeliveryEventEnum, { name: "DeliveryEvent", description: "What the sending tool reported for a customer." });

export enum ReachedEventEnum {
  SENT = "sent",
  DELIVERED = "delivered",
  OPENED = "opened",
  CLICKED = "clicked",
}
registerEnumType(ReachedEventEnum, { name: "ReachedEvent", description: "The delivery event that counts as reached for the CACE (an exposure, never an outcome such as REDEEMED)." });

@ObjectType()
export class DeliveryEventCount {
  @Field(() => DeliveryEventEnum)
  event!: DeliveryEventEnum;

  @Field(() => Int, { description: "Customers of the arm with at least one such event." })
  customers!: number;

  @Field(() => Float, { description: "customers / the arm's roster size." })
  share!: number;
}

@ObjectType({ description: "One arm's delivery records." })
export class DeliveryArm {
  @Field(() => AssignmentGroupEnum)
  group!: AssignmentGroupEnum;

  @Field(() => Int)
  roster!: number;

  @Field(() => Int, { description: "Customers with any delivery row (control: should be 0)." })
  contacted!: number;

  @Field(() => Float)
  contactedShare!: number;

  @Field(() => Int, { description: "Customers with the reached event." })
  reached!: number;

  @Field(() => Float)
  reachedShare!: number;

  @Field(() => [DeliveryEventCount])
  events!: DeliveryEventCount[];
}

@ObjectType({ description: "A check of the delivery records against the roster; the UI words it from the code." })
export class DeliveryWarning {
  @Field(() => String, {
    description:
      "NO_DELIVERY_DATA (nothing imported: no CACE), CONTROL_CONTACTED (control customers have delivery rows: contamination), LOW_DELIVERY_COVERAGE (under coverageThreshold of the treatment arm has any record), NO_REACHED_EVENTS, REACHED_AFTER_WINDOW (reached only after the counted window; not counted as reached), WEAK_COMPLIANCE (the reach difference cannot be told from 0: the CACE interval is unbounded).",
  })
  code!: string;

  @Field(() => String, { description: "error, warning or info." })
  severity!: string;

  @Field(() => Int, { nullable: true })
  customers!: number | null;

  @Field(() => Float, { nullable: true })
  share!: number | null;
}

@ObjectType({ description: "The effect on the customers the campaign reached (CACE) next to the intention-to-treat lift." })
export class ComplierEffectEstimate {
  @Field(() => CampaignKpiEnum)
  metric!: CampaignKpiEnum;

  @Field(() => Float, { description: "Intention-to-treat effect (treatment − control over everyone assigned)." })
  itt!: number;

  @Field(() => ConfidenceInterval)
  ittCi!: ConfidenceInterval;

  @Field(() => Float, { nullable: true, description: "ITT ÷ compliance; null when nobody was reached." })
  estimate!: number | null;

  @Field(() => ConfidenceInterval, { nullable: true, description: "Fieller interval; null when unbounded or undefined (see intervalKind)." })
  ci!: ConfidenceInterval | null;

  @Field(() => String, { description: "bounded, unbounded (the compliance is not distinguishable from 0) or undefined (nobody reached)." })
  intervalKind!: string;

  @Field(() => LiftVerdictEnum, { description: "Always the ITT test's verdict (0 is in the Fieller set ⇔ the ITT test does not reject)." })
  verdict!: LiftVerdictEnum;

  @Field(() => Boolean)
  isSignificant!: boolean;

  @Field(() => Float, { nullable: true, description: "Delta-method standard error, for reference." })
  standardError!: number | null;

  @Field(() => Float, { description: "Critical value of the ITT interval shown (1.96 fixed-horizon z; Welch t; larger on sequential looks)." })
  critical!: number;

  @Field(() => LiftAnalysisEnum)
  analysis!: LiftAnalysisEnum;

  @Field(() => String)
  method!: string;

  @Field(() => String, { nullable: true, description: "A stable code for `method`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  methodCode!: string | null;
}

@ObjectType({ description: "Exposure: who was reached per arm, checks of the delivery records, and the CACE." })
export class DeliveryAnalysis {
  @Field(() => Boolean, { description: "Delivery results were imported for the campaign." })
  hasData!: boolean;

  @Field(() => ReachedEventEnum)
  reachedEvent!: ReachedEventEnum;

  @Field(() => Int, { description: "Delivery rows stored for the campaign." })
  rows!: number;

  @Field(() => [DeliveryArm])
  arms!: DeliveryArm[];

  @Field(() => Float)
  reachedTreatment!: number;

  @Field(() => Float)
  reachedControl!: number;

  @Field(() => Float, { description: "reachedTreatment − reachedControl: the CACE's denominator." })
  compliance!: number;

  @Field(() => Int)
  reachedAfterWindow!: number;

  @Field(() => Float)
  coverageThreshold!: number;

  @Field(() => [DeliveryWarning])
  warnings!: DeliveryWarning[];

  @Field(() => ComplierEffectEstimate, { nullable: true })
  conversion!: ComplierEffectEstimate | null;

  @Field(() => ComplierEffectEstimate, { nullable: true })
  revenuePerCustomer!: ComplierEffectEstimate | null;

  @Field(() => String)
  method!: string;

  @Field(() => String, { nullable: true, description: "A stable code for `method`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  methodCode!: string | null;
}

@ObjectType({ description: "Delivery results imported so far, counted up to now (no outcomes: the CACE is in the measurement)." })
export class DeliveryOverview {
  @Field(() => Int, { description: "Delivery rows stored for the campaign." })
  rows!: number;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastImportedAt!: Date | null;

  @Field(() => ReachedEventEnum)
  reachedEvent!: ReachedEventEnum;

  @Field(() => [DeliveryArm])
  arms!: DeliveryArm[];

  @Field(() => [DeliveryWarning])
  warnings!: DeliveryWarning[];
}
