import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int } from "type-graphql";
import { LoyaltyOfferInput } from "./campaign-loyalty.type.ts";
import { CampaignChannelEnum, CampaignKpiEnum, CampaignObjectiveEnum, CampaignStatusEnum } from "./campaign.type.ts";

@InputType({ description: "A new campaign (DRAFT). Plan it next with planCampaign." })
export class CreateCampaignInput {
  @Field(() => String)
  name!: string;

  @Field(() => ID)
  segmentId!: string;

  @Field(() => ID, { nullable: true, description: "Default: the latest snapshot when planned." })
  snapshotId?: string | null;

  @Field(() => CampaignObjectiveEnum)
  objective!: CampaignObjectiveEnum;

  @Field(() => String, { nullable: true })
  hypothesis?: string | null;

  @Field(() => CampaignChannelEnum)
  channel!: CampaignChannelEnum;

  @Field(() => String, { nullable: true, description: "Free-text description of the offer." })
  offer?: string | null;

  @Field(() => LoyaltyOfferInput, { nullable: true, description: "A structured loyalty offer (bonus points, bonus stamps, expiring-points reminder)." })
  loyaltyOffer?: LoyaltyOfferInput | null;

  @Field(() => CampaignKpiEnum, { nullable: true, description: "Default CONVERSION." })
  primaryKpi?: CampaignKpiEnum | null;

  @Field(() => [CampaignKpiEnum], { nullable: true })
  guardrailKpis?: CampaignKpiEnum[] | null;

  @Field(() => Float, { nullable: true, description: "Expected relative lift of the primary KPI (0.1 = +10%), for the power check." })
  expectedLift?: number | null;

  @Field(() => Float, { nullable: true, description: "Share held out as control, between 0 and 1 exclusive. Default 0.1." })
  holdoutRatio?: number | null;

  @Field(() => Float, { nullable: true, description: "Currency per contacted (treatment) customer, ≥ 0." })
  costPerContact?: number | null;

  @Field(() => Float, { nullable: true, description: "≥ 0." })
  fixedCost?: number | null;

  @Field(() => Float, { nullable: true, description: "Gross margin ratio 0–1; default: the settings' margin." })
  margin?: number | null;

  @Field(() => Int, { nullable: true, description: "1–730 days. Default 30." })
  outcomeWindowDays?: number | null;

  @Field(() => Int, { nullable: true, description: "1–730 days before launch. Default: the outcome window's length." })
  prePeriodDays?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  plannedStart?: Date | null;
}

@InputType({ description: "Changes to a DRAFT; absent fields stay as they are." })
export class UpdateCampaignInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ID, { nullable: true })
  segmentId?: string | null;

  @Field(() => ID, { nullable: true })
  snapshotId?: string | null;

  @Field(() => CampaignObjectiveEnum, { nullable: true })
  objective?: CampaignObjectiveEnum | null;

  @Field(() => String, { nullable: true })
  hypothesis?: string | null;

  @Field(() => CampaignChannelEnum, { nullable: true })
  channel?: CampaignChannelEnum | null;

  @Field(() => String, { nullable: true, description: "Free-text description of the offer." })
  offer?: string | null;

  @Field(() => LoyaltyOfferInput, { nullable: true, description: "A structured loyalty offer (bonus points, bonus stamps, expiring-points reminder)." })
  loyaltyOffer?: LoyaltyOfferInput | null;

  @Field(() => CampaignKpiEnum, { nullable: true })
  primaryKpi?: CampaignKpiEnum | null;

  @Field(() => [CampaignKpiEnum], { nullable: true })
  guardrailKpis?: CampaignKpiEnum[] | null;

  @Field(() => Float, { nullable: true })
  expectedLift?: number | null;

  @Field(() => Float, { nullable: true })
  holdoutRatio?: number | null;

  @Field(() => Float, { nullable: true })
  costPerContact?: number | null;

  @Field(() => Float, { nullable: true })
  fixedCost?: number | null;

  @Field(() => Float, { nullable: true })
  margin?: number | null;

  @Field(() => Int, { nullable: true })
  outcomeWindowDays?: number | null;

  @Field(() => Int, { nullable: true })
  prePeriodDays?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  plannedStart?: Date | null;
}

@InputType({ description: "All given conditions must hold." })
export class CampaignFilter {
  @Field(() => [CampaignStatusEnum], { nullable: true, description: "Effective status (a running campaign whose window ended is MEASURING)." })
  statuses?: CampaignStatusEnum[] | null;

  @Field(() => ID, { nullable: true })
  segmentId?: string | null;

  @Field(() => [CampaignObjectiveEnum], { nullable: true })
  objectives?: CampaignObjectiveEnum[] | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Start (launch, else planned start, else creation) at or after." })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Start before." })
  to?: Date | null;
}

@ArgsType()
export class PowerAnalysisArgs {
  @Field(() => ID)
  segmentId!: string;

  @Field(() => ID, { nullable: true, description: "Default: the latest snapshot." })
  snapshotId?: string | null;

  @Field(() => CampaignChannelEnum)
  channel!: CampaignChannelEnum;

  @Field(() => Float, { defaultValue: 0.1 })
  holdoutRatio!: number;

  @Field(() => Float, { nullable: true })
  expectedLift?: number | null;

  @Field(() => Int, { defaultValue: 30 })
  outcomeWindowDays!: number;

  @Field(() => CampaignKpiEnum, { nullable: true })
  primaryKpi?: CampaignKpiEnum | null;

  @Field(() => CampaignObjectiveEnum, { nullable: true, description: "WIN_BACK takes the conversion baseline from the same RF cells' past reactivation rate." })
  objective?: CampaignObjectiveEnum | null;
}
