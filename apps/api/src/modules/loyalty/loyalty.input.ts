import { ArgsType, Field, Float, GraphQLISODateTime, ID, InputType, Int } from "type-graphql";
import { LoyaltyEntryKindEnum, PointExpiryModeEnum, PointRoundingEnum, StampPerEnum } from "./loyalty.type.ts";

@InputType({ description: "A multiplier of the earn rate for one key." })
export class LoyaltyMultiplierInput {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  multiplier!: number;
}

@InputType({ description: "A new version of the points rules. It takes effect from effectiveFrom (now or later); earlier orders keep their points." })
export class LoyaltyPointRuleInput {
  @Field(() => GraphQLISODateTime)
  effectiveFrom!: Date;

  @Field(() => Float, { description: "Points per currency unit (0.01 = 1 point per ¥100)." })
  earnRate!: number;

  @Field(() => [LoyaltyMultiplierInput], { defaultValue: [] })
  channelMultipliers!: LoyaltyMultiplierInput[];

  @Field(() => [LoyaltyMultiplierInput], { defaultValue: [] })
  tierMultipliers!: LoyaltyMultiplierInput[];

  @Field(() => PointRoundingEnum, { defaultValue: PointRoundingEnum.FLOOR })
  rounding!: PointRoundingEnum;

  @Field(() => Float, { defaultValue: 0 })
  minOrderAmount!: number;

  @Field(() => PointExpiryModeEnum)
  expiryMode!: PointExpiryModeEnum;

  @Field(() => Int, { nullable: true })
  expiryDays?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "FIXED expiry: the instant the points expire. A last valid day D is the end of D, i.e. 00:00 of D + 1 in the business time zone (what the admin sends for a picked day)." })
  expiryDate?: Date | null;

  @Field(() => Float)
  pointValue!: number;

  @Field(() => String, { nullable: true, description: "The programme's name when this creates it." })
  programmeName?: string | null;
}

@InputType({ description: "A new version of the stamp card rules, from effectiveFrom (now or later)." })
export class LoyaltyStampRuleInput {
  @Field(() => GraphQLISODateTime)
  effectiveFrom!: Date;

  @Field(() => Float, { defaultValue: 0 })
  thresholdAmount!: number;

  @Field(() => StampPerEnum, { defaultValue: StampPerEnum.ORDER })
  per!: StampPerEnum;

  @Field(() => Int)
  cardSize!: number;

  @Field(() => String)
  rewardLabel!: string;

  @Field(() => Float, { defaultValue: 0 })
  rewardValue!: number;

  @Field(() => Int, { nullable: true })
  cardExpiryDays?: number | null;

  @Field(() => String, { nullable: true })
  programmeName?: string | null;
}

@InputType({ description: "A redemption or manual adjustment of one customer's points." })
export class LoyaltyEntryInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => LoyaltyEntryKindEnum)
  kind!: LoyaltyEntryKindEnum;

  @Field(() => Int, { description: "redeem: points used (> 0); adjust: signed change (≠ 0)." })
  points!: number;

  @Field(() => String, { description: "Your id of the entry: sending the same entry again records it once." })
  entryId!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ArgsType()
export class CustomerLoyaltyArgs {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Int, { defaultValue: 200, description: "Ledger entries returned, newest first (1–1000)." })
  limit!: number;
}

@ArgsType()
export class ImportLoyaltyEntriesArgs {
  @Field(() => String, { description: "CSV text: customer_external_id, kind, points, entry_id[, note]; tab-separated when the header line has tabs and no comma. At most 1 MB." })
  csv!: string;

  @Field(() => String, { defaultValue: "loyalty-entries.csv" })
  fileName!: string;
}
