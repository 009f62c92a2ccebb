import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class ImportDeliveriesArgs {
  @Field(() => ID, { description: "A launched campaign (RUNNING, MEASURING, CHECKED or ACTED)." })
  campaignId!: string;

  @Field(() => String, {
    description:
      "CSV text with a header row: customer_external_id, event (sent, delivered, bounced, opened, clicked, redeemed), occurred_at, optional channel; tab-separated when the header line has tabs and no comma. At most 1 MB; larger files with `ltvloop import deliveries`.",
  })
  csv!: string;

  @Field(() => String, { defaultValue: "deliveries.csv", description: "A name for the file, shown in messages and the audit log." })
  fileName!: string;

  @Field(() => Boolean, { defaultValue: false, description: "Check and count only; write nothing." })
  dryRun!: boolean;
}
