import { ArgsType, Field, Float, GraphQLISODateTime } from "type-graphql";
import { AcquisitionGroupByEnum, CohortUnitEnum } from "./acquisition.type.ts";

@ArgsType()
export class AcquisitionEconomicsArgs {
  @Field(() => AcquisitionGroupByEnum, { defaultValue: AcquisitionGroupByEnum.CHANNEL })
  groupBy!: AcquisitionGroupByEnum;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Customers acquired from here on (inclusive); default all." })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "…and before here (exclusive); default up to the reference time." })
  to?: Date | null;

  @Field(() => CohortUnitEnum, { defaultValue: CohortUnitEnum.MONTH, description: "Cohort length when grouping by cohort." })
  cohortUnit!: CohortUnitEnum;
}

@ArgsType()
export class RetentionVsAcquisitionArgs {
  @Field(() => Float, { nullable: true, description: "A budget in the settings' currency: each row then shows the gross profit it would bring at its ratio." })
  budget?: number | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Channel figures over customers acquired from here on; default all." })
  from?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "…and before here." })
  to?: Date | null;
}

@ArgsType()
export class ImportChannelSpendArgs {
  @Field(() => String, { description: "CSV text with a header row: channel, month (YYYY-MM), amount, optional currency; tab-separated when the header line has tabs and no comma. At most 1 MB." })
  csv!: string;

  @Field(() => String, { defaultValue: "channel-spend.csv", description: "A name for the file, shown in messages and the audit log." })
  fileName!: string;
}
