import { ArgsType, Field, GraphQLISODateTime, ID, Int } from "type-graphql";
import { GranularityEnum } from "./analytics.type.ts";

@ArgsType()
export class SnapshotScopeArgs {
  @Field(() => ID, { nullable: true, description: "A succeeded snapshot; default the latest one." })
  snapshotId?: string | null;
}

@ArgsType()
export class KpiOverviewArgs {
  @Field(() => GraphQLISODateTime, { description: "Start of the range (inclusive)." })
  from!: Date;

  @Field(() => GraphQLISODateTime, { description: "End of the range (exclusive); after `from`." })
  to!: Date;

  @Field(() => GranularityEnum, { defaultValue: GranularityEnum.MONTH, description: "Period length; at most 400 periods per range." })
  granularity!: GranularityEnum;
}

@ArgsType()
export class CohortRetentionArgs {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Customers first purchasing from here on; default 12 months before `to`." })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "…and before here; default the end of the month of the latest completed order (so the default is the last 12 cohorts).",
  })
  to?: Date | null;

  @Field(() => Int, { defaultValue: 12, description: "Months after acquisition to follow (0–60)." })
  maxMonths!: number;
}
