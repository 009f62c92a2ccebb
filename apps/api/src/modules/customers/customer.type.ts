import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.ts";

export enum OrderStatusEnum {
  COMPLETED = "completed",
  REFUNDED = "refunded",
  CANCELLED = "cancelled",
}
registerEnumType(OrderStatusEnum, { name: "OrderStatus", description: "Refunded and cancelled orders never count as purchases." });

@ObjectType({ description: "A customer's scores in one snapshot. Amounts are in the settings' currency." })
export class CustomerScore {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => Int, { description: "Days since the last purchase." })
  recencyDays!: number;

  @Field(() => Int, { description: "Purchase days in the look-back window." })
  frequency!: number;

  @Field(() => Float, { description: "Revenue in the look-back window." })
  monetary!: number;

  @Field(() => Int)
  rScore!: number;

  @Field(() => Int)
  fScore!: number;

  @Field(() => Int)
  mScore!: number;

  @Field(() => String, { description: "RFM segment key: champions, loyal, new, promising, need_attention, at_risk, hibernating, lost." })
  rfmSegment!: string;

  @Field(() => Int, { description: "Revenue decile, 1 = top 10%." })
  decile!: number;

  @Field(() => Int, { description: "BTYD x: repeat purchase days." })
  repeatPurchases!: number;

  @Field(() => Float, { description: "BTYD t_x in the snapshot's time unit (weeks by default)." })
  recencyT!: number;

  @Field(() => Float, { description: "BTYD T (customer age) in the snapshot's time unit." })
  ageT!: number;

  @Field(() => Float, { nullable: true, description: "Probability the customer is still active (alive)." })
  pAlive!: number | null;

  @Field(() => Float, { nullable: true, description: "Expected purchases over the snapshot's horizon." })
  expectedPurchases!: number | null;

  @Field(() => Float, { nullable: true, description: "Expected spend per purchase (Gamma-Gamma)." })
  expectedSpend!: number | null;

  @Field(() => Float, { nullable: true, description: "Predicted CLV: discounted monthly sum over the horizon × margin." })
  predictedClv!: number | null;

  @Field(() => Float, { nullable: true, description: "Historical CLTV: AOV × purchases per year × lifespan × margin − acquisition cost." })
  historicalClv!: number | null;

  @Field(() => Float, { description: "Revenue of all completed orders up to the snapshot." })
  revenue!: number;

  @Field(() => Int)
  orderCount!: number;
}

@ObjectType()
export class Order {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  externalId!: string;

  @Field(() => ID)
  customerId!: number;

  @Field(() => GraphQLISODateTime)
  orderedAt!: Date;

  @Field(() => Float)
  amount!: number;

  @Field(() => String)
  currency!: string;

  @Field(() => Float, { nullable: true, description: "Gross margin ratio; null means the settings' default." })
  grossMargin!: number | null;

  @Field(() => OrderStatusEnum)
  status!: OrderStatusEnum;

  @Field(() => String, { nullable: true })
  channel!: string | null;

  @Field(() => Int)
  items!: number;
}

export const OrderConnection = Connection(Order, "Order");

@ObjectType()
export class SegmentMembershipEntry {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => GraphQLISODateTime)
  asOf!: Date;

  @Field(() => ID)
  segmentId!: number;

  @Field(() => String)
  segmentName!: string;

  @Field(() => String, { nullable: true })
  segmentKey!: string | null;

  @Field(() => String)
  color!: string;
}

@ObjectType()
export class CampaignExposure {
  @Field(() => ID)
  campaignId!: number;

  @Field(() => String)
  campaignName!: string;

  @Field(() => String, { description: "treatment or control." })
  group!: string;

  @Field(() => String)
  status!: string;

  @Field(() => GraphQLISODateTime)
  assignedAt!: Date;
}

@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  externalId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => GraphQLJSONObject, { description: "prefecture, gender, birthYear and any imported attr_* columns." })
  attributes!: Record<string, unknown>;

  @Field(() => String, { nullable: true })
  prefecture!: string | null;

  @Field(() => String, { nullable: true })
  acquisitionChannel!: string | null;

  @Field(() => Float, { nullable: true })
  acquisitionCost!: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  acquiredAt!: Date | null;

  @Field(() => Boolean)
  emailOptIn!: boolean;

  @Field(() => Boolean)
  lineOptIn!: boolean;

  @Field(() => Boolean)
  smsOptIn!: boolean;

  @Field(() => Boolean)
  dmOptIn!: boolean;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "First completed order (current data)." })
  firstOrderAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastOrderAt!: Date | null;

  @Field(() => Int, { description: "Completed orders (current data)." })
  orderCount!: number;

  @Field(() => Float, { description: "Revenue of completed orders (current data)." })
  revenue!: number;

  @Field(() => CustomerScore, { nullable: true, description: "Scores in the list's snapshot (the latest unless given)." })
  score!: CustomerScore | null;
}

export const CustomerConnection = Connection(Customer, "Customer");
