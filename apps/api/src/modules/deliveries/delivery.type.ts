import { Field, ID, Int, ObjectType } from "type-graphql";
import { CsvDelimiterEnum, type CsvDelimiterValue } from "../import/delimiter.type.ts";

@ObjectType({ description: "What a delivery results import did (or, on a dry run, would do)." })
export class DeliveryImportResult {
  @Field(() => ID)
  campaignId!: number;

  @Field(() => String)
  fileName!: string;

  @Field(() => Boolean, { description: "Nothing was written: the file was only checked and counted." })
  isDryRun!: boolean;

  @Field(() => Int, { description: "Data rows in the file." })
  rowsRead!: number;

  @Field(() => CsvDelimiterEnum, { description: "The separator the file was read with (from its header line)." })
  delimiter!: CsvDelimiterValue;

  @Field(() => Int)
  inserted!: number;

  @Field(() => Int, { description: "Rows already stored whose channel changed." })
  updated!: number;

  @Field(() => Int, { description: "Rows already stored as they are (a replayed file changes nothing)." })
  unchanged!: number;

  @Field(() => Int, { description: "Control customers the file has rows for: the holdout was contacted (contamination, reported by the measurement as CONTROL_CONTACTED)." })
  controlCustomers!: number;
}
