// GraphQL shapes of a campaign's loyalty offer (plan) and of its loyalty measurement (Check).
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum LoyaltyOfferKindEnum {
  BONUS_POINTS = "bonus_points",
  BONUS_STAMPS = "bonus_stamps",
  EXPIRING_POINTS_REMINDER = "expiring_points_reminder",
}
registerEnumType(LoyaltyOfferKindEnum, {
  name: "LoyaltyOfferKind",
  description:
    "BONUS_POINTS: treatment-arm customers earn multiplier × the points of their orders in the outcome window; BONUS_STAMPS: bonusStamps extra stamps per stamped purchase in the window; EXPIRING_POINTS_REMINDER: a message about points expiring soon, without ledger effect.",
});

@ObjectType({ description: "A campaign's structured loyalty offer (the free-text offer stays its description)." })
export class CampaignLoyaltyOffer {
  @Field(() => LoyaltyOfferKindEnum)
  kind!: LoyaltyOfferKindEnum;

  @Field(() => Float, { nullable: true, description: "BONUS_POINTS: the factor k on earned points (1 < k ≤ 10)." })
  multiplier!: number | null;

  @Field(() => Int, { nullable: true, description: "BONUS_STAMPS: extra stamps per qualifying purchase (1–10)." })
  bonusStamps!: number | null;
}

@InputType({ description: "A loyalty offer; checked when the campaign is planned (the programme must be active)." })
export class LoyaltyOfferInput {
  @Field(() => LoyaltyOfferKindEnum)
  kind!: LoyaltyOfferKindEnum;

  @Field(() => Float, { nullable: true, description: "Required for BONUS_POINTS: above 1, at most 10, 2 decimals (2 = double points)." })
  multiplier?: number | null;

  @Field(() => Int, { nullable: true, description: "Required for BONUS_STAMPS: 1–10." })
  bonusStamps?: number | null;
}

@ObjectType({ description: "One arm's points inside the counted window." })
export class CampaignLoyaltyArm {
  @Field(() => String, { description: "treatment or control." })
  group!: string;

  @Field(() => Int)
  n!: number;

  @Field(() => Float, { description: "Points earned by the programme's rules on the arm's orders (net of reversals)." })
  pointsEarned!: number;

  @Field(() => Float, { description: "The campaign's bonus points (net of reversals); 0 in the control arm." })
  bonusPoints!: number;

  @Field(() => Int, { description: "The campaign's bonus stamps (net)." })
  bonusStamps!: number;

  @Field(() => Float)
  pointsRedeemed!: number;

  @Field(() => Float)
  pointsRedeemedPerCustomer!: number;

  @Field(() => Float, { nullable: true, description: "Points redeemed ÷ points available in the window (balance at its start + credits in it)." })
  redemptionRate!: number | null;
}

@ObjectType({ description: "A loyalty offer's measurement: points per arm and the bonus points' liability (part of the campaign's cost)." })
export class CampaignLoyaltyResult {
  @Field(() => LoyaltyOfferKindEnum)
  offerKind!: LoyaltyOfferKindEnum;

  @Field(() => Float, { nullable: true })
  multiplier!: number | null;

  @Field(() => Int, { nullable: true })
  bonusStamps!: number | null;

  @Field(() => [CampaignLoyaltyArm])
  arms!: CampaignLoyaltyArm[];

  @Field(() => Float, { description: "Bonus points the campaign credited (net)." })
  bonusPoints!: number;

  @Field(() => Float, { description: "Currency per point: the rule in force at launch." })
  pointValue!: number;

  @Field(() => Float, { nullable: true, description: "The programme's observed redemption rate: points redeemed ÷ points credited, all customers, up to the counted time." })
  expectedRedemptionRate!: number | null;

  @Field(() => Float, { description: "bonusPoints × pointValue × expectedRedemptionRate; included in money.campaignCost." })
  liability!: number;

  @Field(() => String)
  method!: string;

  @Field(() => String, { nullable: true, description: "A stable code for `method`, for clients that word methods in their own language (see docs/graphql.md); null for a text no version of the measurement wrote." })
  methodCode!: string | null;
}
