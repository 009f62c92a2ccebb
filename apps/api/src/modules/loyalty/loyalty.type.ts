import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { CsvDelimiterEnum, type CsvDelimiterValue } from "../import/delimiter.type.ts";

// Points are whole numbers (Float in GraphQL, as they may exceed 2^31); money is Float in the
// settings' currency.

export enum PointRoundingEnum {
  FLOOR = "floor",
  ROUND = "round",
  CEIL = "ceil",
}
registerEnumType(PointRoundingEnum, { name: "PointRounding", description: "How an order's fractional points are rounded." });

export enum PointExpiryModeEnum {
  NONE = "none",
  ROLLING = "rolling",
  FIXED = "fixed",
}
registerEnumType(PointExpiryModeEnum, { name: "PointExpiryMode", description: "Points never expire, expire N days after they were earned (rolling), or on a fixed date." });

export enum StampPerEnum {
  ORDER = "order",
  DAY = "day",
}
registerEnumType(StampPerEnum, { name: "StampPer", description: "One stamp per qualifying order, or per business day with a qualifying order." });

export enum LoyaltyEntryKindEnum {
  REDEEM = "redeem",
  ADJUST = "adjust",
}
registerEnumType(LoyaltyEntryKindEnum, { name: "LoyaltyEntryKind", description: "A manual ledger entry: a redemption or an adjustment." });

@ObjectType({ description: "A multiplier of the earn rate for one key (an order channel or an RFM segment)." })
export class LoyaltyMultiplier {
  @Field(() => String)
  key!: string;

  @Field(() => Float)
  multiplier!: number;
}

@ObjectType({ description: "A version of the points rules, in force from effectiveFrom until the next version." })
export class LoyaltyPointRule {
  @Field(() => ID)
  id!: number;

  @Field(() => GraphQLISODateTime)
  effectiveFrom!: Date;

  @Field(() => Float, { description: "Points per currency unit of the order amount (0.01 = 1 point per ¥100)." })
  earnRate!: number;

  @Field(() => [LoyaltyMultiplier], { description: "Earn-rate multipliers per order channel." })
  channelMultipliers!: LoyaltyMultiplier[];

  @Field(() => [LoyaltyMultiplier], { description: "Earn-rate multipliers per RFM segment of the customer in the latest snapshot as of the order." })
  tierMultipliers!: LoyaltyMultiplier[];

  @Field(() => PointRoundingEnum)
  rounding!: PointRoundingEnum;

  @Field(() => Float)
  minOrderAmount!: number;

  @Field(() => PointExpiryModeEnum)
  expiryMode!: PointExpiryModeEnum;

  @Field(() => Int, { nullable: true })
  expiryDays!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "FIXED expiry: the instant the points expire. A last valid day D is the end of D, i.e. 00:00 of D + 1 in the business time zone (what the admin sends for a picked day)." })
  expiryDate!: Date | null;

  @Field(() => Float, { description: "Currency value of one point (the liability)." })
  pointValue!: number;

  @Field(() => Boolean, { description: "True for the version in force now." })
  isCurrent!: boolean;
}

@ObjectType({ description: "A version of the stamp card rules, in force from effectiveFrom." })
export class LoyaltyStampRule {
  @Field(() => ID)
  id!: number;

  @Field(() => GraphQLISODateTime)
  effectiveFrom!: Date;

  @Field(() => Float, { description: "Least order amount that earns a stamp." })
  thresholdAmount!: number;

  @Field(() => StampPerEnum)
  per!: StampPerEnum;

  @Field(() => Int)
  cardSize!: number;

  @Field(() => String)
  rewardLabel!: string;

  @Field(() => Float)
  rewardValue!: number;

  @Field(() => Int, { nullable: true, description: "Days from a card's first stamp after which an unfinished card lapses; null = never." })
  cardExpiryDays!: number | null;

  @Field(() => Boolean)
  isCurrent!: boolean;
}

@ObjectType({ description: "A loyalty programme." })
export class LoyaltyProgramme {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: "The active points programme and stamp card with every version of their rules, newest first." })
export class LoyaltySettings {
  @Field(() => LoyaltyProgramme, { nullable: true })
  pointsProgramme!: LoyaltyProgramme | null;

  @Field(() => LoyaltyProgramme, { nullable: true })
  stampProgramme!: LoyaltyProgramme | null;

  @Field(() => [LoyaltyPointRule])
  pointRules!: LoyaltyPointRule[];

  @Field(() => [LoyaltyStampRule])
  stampRules!: LoyaltyStampRule[];
}

@ObjectType({ description: "Loyalty figures of a group of customers: an RFM segment, an RF cell, or everyone." })
export class LoyaltyGroupRow {
  @Field(() => String, { description: "RFM segment key, r<R>f<F> for a cell, 'unscored' (not in the snapshot) or 'total'." })
  key!: string;

  @Field(() => Int, { nullable: true })
  rScore!: number | null;

  @Field(() => Int, { nullable: true })
  fScore!: number | null;

  @Field(() => Int)
  customers!: number;

  @Field(() => Int, { description: "Customers with any ledger entry." })
  members!: number;

  @Field(() => Int)
  membersWithBalance!: number;

  @Field(() => Float, { nullable: true, description: "Mean balance of the members with a balance." })
  meanBalance!: number | null;

  @Field(() => Float, { description: "Points earned from orders, net of reversals." })
  pointsEarned!: number;

  @Field(() => Float)
  pointsAdjusted!: number;

  @Field(() => Float)
  pointsRedeemed!: number;

  @Field(() => Float)
  pointsExpired!: number;

  @Field(() => Float)
  outstandingPoints!: number;

  @Field(() => Float, { nullable: true, description: "Points earned per currency unit of completed revenue." })
  earnRate!: number | null;

  @Field(() => Float, { nullable: true, description: "Points redeemed ÷ points credited (earned + positive adjustments)." })
  redemptionRate!: number | null;

  @Field(() => Float, { nullable: true, description: "Breakage: points expired unused ÷ points credited." })
  breakageRate!: number | null;

  @Field(() => Float, { description: "Outstanding points × the point value in force: what the programme owes." })
  liability!: number;

  @Field(() => Int)
  openCards!: number;

  @Field(() => Int, { description: "Completed stamp cards (rewards earned)." })
  rewardCompletions!: number;

  @Field(() => [Int], { description: "Open cards by stamps still needed: element i counts cards i+1 stamps from the reward." })
  stampsToReward!: number[];
}

@ObjectType({ description: "Outstanding points and their value at the end of a business-time-zone month (the current month: now)." })
export class LiabilityPoint {
  @Field(() => String, { description: "YYYY-MM" })
  month!: string;

  @Field(() => Float)
  outstandingPoints!: number;

  @Field(() => Float)
  pointValue!: number;

  @Field(() => Float)
  liability!: number;

  @Field(() => Float)
  earned!: number;

  @Field(() => Float)
  redeemed!: number;

  @Field(() => Float)
  expired!: number;
}

@ObjectType({ description: "Repeat purchase of customers by programme activity. Descriptive only: customers choose to redeem, so this is not the programme's effect." })
export class ActivityRepeatRow {
  @Field(() => String, { description: "redeemed (at least one redemption), earned_only (points, never redeemed) or no_points." })
  activity!: string;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { nullable: true, description: "Share with purchases on two or more days." })
  repeatRate!: number | null;

  @Field(() => Float, { nullable: true })
  meanOrders!: number | null;

  @Field(() => Float, { nullable: true })
  meanRevenue!: number | null;
}

@ObjectType({ description: "The loyalty programme analysed per RFM segment and RF cell of the latest snapshot." })
export class LoyaltyAnalysis {
  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => ID, { nullable: true, description: "The snapshot whose segments group the customers; null before the first snapshot." })
  snapshotId!: number | null;

  @Field(() => Float)
  pointValue!: number;

  @Field(() => String)
  currency!: string;

  @Field(() => Int, { description: "The largest card size (the length of stampsToReward)." })
  maxCardSize!: number;

  @Field(() => LoyaltyGroupRow)
  totals!: LoyaltyGroupRow;

  @Field(() => [LoyaltyGroupRow])
  segments!: LoyaltyGroupRow[];

  @Field(() => [LoyaltyGroupRow])
  cells!: LoyaltyGroupRow[];

  @Field(() => [LiabilityPoint])
  liabilityOverTime!: LiabilityPoint[];

  @Field(() => [ActivityRepeatRow], { description: "Descriptive (DESCRIPTIVE_NOT_CAUSAL): the causal answer comes from campaigns with a holdout." })
  activityVsRepeat!: ActivityRepeatRow[];

  @Field(() => String, { description: "Always DESCRIPTIVE_NOT_CAUSAL: a label for activityVsRepeat the UI words." })
  activityVsRepeatLabel!: string;
}

@ObjectType({ description: "One points ledger entry with the balance after it." })
export class LoyaltyLedgerEntry {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "earn, redeem, expire, adjust or reverse." })
  kind!: string;

  @Field(() => Float)
  points!: number;

  @Field(() => GraphQLISODateTime)
  occurredAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => ID, { nullable: true })
  ruleId!: number | null;

  @Field(() => ID, { nullable: true })
  sourceOrderId!: number | null;

  @Field(() => String, { nullable: true })
  sourceOrderExternalId!: string | null;

  @Field(() => ID, { nullable: true })
  sourceCampaignId!: number | null;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Float)
  balanceAfter!: number;
}

@ObjectType({ description: "A stamp card." })
export class LoyaltyStampCard {
  @Field(() => Int)
  cardNo!: number;

  @Field(() => Int)
  stamps!: number;

  @Field(() => Int)
  cardSize!: number;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  completedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => String, { description: "open, completed or expired." })
  status!: string;

  @Field(() => String)
  rewardLabel!: string;
}

@ObjectType({ description: "A customer's points balance (the sum of the ledger), ledger and stamp cards." })
export class CustomerLoyalty {
  @Field(() => Float)
  balance!: number;

  @Field(() => Float, { description: "Points of credits that expire within 30 days, counted before any use (gross: points already spent are included)." })
  creditsExpiringIn30Days!: number;

  @Field(() => Float, {
    description:
      "Points of the balance that will have expired 30 days from now if none are spent (including expiries already due but not yet written): unused credits are used earliest-expiring first, so points already redeemed never count.",
  })
  pointsExpiringIn30Days!: number;

  @Field(() => [LoyaltyLedgerEntry], { description: "Newest first." })
  entries!: LoyaltyLedgerEntry[];

  @Field(() => [LoyaltyStampCard], { description: "Newest first." })
  cards!: LoyaltyStampCard[];
}

@ObjectType({ description: "A recorded redemption or adjustment." })
export class LoyaltyEntryResult {
  @Field(() => ID)
  entryId!: number;

  @Field(() => ID)
  customerId!: number;

  @Field(() => Float)
  points!: number;

  @Field(() => Float, { description: "The balance after the entry." })
  balance!: number;

  @Field(() => Boolean, { description: "True when this entry id was recorded before (nothing changed)." })
  isReplay!: boolean;
}

@ObjectType({ description: "What an import of loyalty entries did." })
export class LoyaltyEntriesImportResult {
  @Field(() => String)
  label!: string;

  @Field(() => Int)
  rowsRead!: number;

  @Field(() => CsvDelimiterEnum, { description: "The separator the file was read with (from its header line)." })
  delimiter!: CsvDelimiterValue;

  @Field(() => Int)
  recorded!: number;

  @Field(() => Int)
  unchanged!: number;
}

@ObjectType({ description: "What an expiry run wrote." })
export class LoyaltyExpiryResult {
  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => Int, { description: "Expiry entries written (0 when everything due was already written)." })
  entriesWritten!: number;
}
