import { Field, GraphQLISODateTime, InputType, ObjectType } from "type-graphql";

@ObjectType({ description: "How complete the order data is: the watermark measurements compare their outcome window against." })
export class DataCompleteness {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Orders are complete up to this instant; null when no import was recorded and no admin value is set." })
  ordersCompleteUntil!: Date | null;

  @Field(() => String, { description: "admin (set with setOrdersWatermark), imports (latest order time an orders import covered) or unknown." })
  source!: string;

  @Field(() => String)
  note!: string;

  @Field(() => String, { nullable: true })
  setBy!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  setAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastOrdersImportAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Earliest ordered_at of the latest orders import." })
  lastOrdersImportCoveredFrom!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Latest ordered_at of the latest orders import." })
  lastOrdersImportCoveredTo!: Date | null;
}

@InputType()
export class SetOrdersWatermarkInput {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Orders are complete up to here (not in the future); null goes back to the imports' coverage." })
  ordersCompleteUntil!: Date | null;

  @Field(() => String, { nullable: true, description: "Why, e.g. which incremental feed was loaded." })
  note?: string | null;
}
