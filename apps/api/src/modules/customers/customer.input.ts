import { Field, Float, GraphQLISODateTime, ID, InputType, Int, registerEnumType } from "type-graphql";
import { OrderStatusEnum } from "./customer.type.ts";

export enum CustomerSortField {
  PREDICTED_CLV = "PREDICTED_CLV",
  HISTORICAL_CLV = "HISTORICAL_CLV",
  P_ALIVE = "P_ALIVE",
  MONETARY = "MONETARY",
  REVENUE = "REVENUE",
  ORDER_COUNT = "ORDER_COUNT",
  RECENCY_DAYS = "RECENCY_DAYS",
  LAST_ORDER_AT = "LAST_ORDER_AT",
  ACQUIRED_AT = "ACQUIRED_AT",
  EXTERNAL_ID = "EXTERNAL_ID",
  NAME = "NAME",
}
registerEnumType(CustomerSortField, { name: "CustomerSortField" });

export enum SortDirection {
  ASC = "ASC",
  DESC = "DESC",
}
registerEnumType(SortDirection, { name: "SortDirection" });

@InputType()
export class CustomerOrderBy {
  @Field(() => CustomerSortField)
  field!: CustomerSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

@InputType({ description: "All given conditions must hold. Score conditions use the list's snapshot." })
export class CustomerFilter {
  @Field(() => ID, { nullable: true, description: "Members of this segment in the snapshot." })
  segmentId?: string | null;

  @Field(() => [String], { nullable: true, description: "RFM segment keys, e.g. [\"at_risk\", \"hibernating\"]." })
  rfmSegments?: string[] | null;

  @Field(() => Int, { nullable: true })
  decileMin?: number | null;

  @Field(() => Int, { nullable: true })
  decileMax?: number | null;

  @Field(() => Float, { nullable: true })
  predictedClvMin?: number | null;

  @Field(() => Float, { nullable: true })
  predictedClvMax?: number | null;

  @Field(() => Float, { nullable: true })
  pAliveMin?: number | null;

  @Field(() => Float, { nullable: true })
  pAliveMax?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Last completed order at or after." })
  lastPurchaseFrom?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Last completed order before." })
  lastPurchaseTo?: Date | null;

  @Field(() => [String], { nullable: true, description: "Prefectures, e.g. [\"東京都\", \"大阪府\"]." })
  prefectures?: string[] | null;

  @Field(() => [String], { nullable: true })
  acquisitionChannels?: string[] | null;

  @Field(() => String, { nullable: true, description: "Matches part of the name, e-mail or external id." })
  search?: string | null;
}

@InputType()
export class OrderFilter {
  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  to?: Date | null;

  @Field(() => [OrderStatusEnum], { nullable: true })
  statuses?: OrderStatusEnum[] | null;
}
