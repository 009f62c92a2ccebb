import { Field, Float, GraphQLISODateTime, InputType, Int } from "type-graphql";
import { BtydModelEnum } from "./snapshot.type.ts";

@InputType()
export class CreateSnapshotInput {
  @Field(() => GraphQLISODateTime, { nullable: true, description: "Default: now." })
  asOf?: Date | null;

  @Field(() => BtydModelEnum, { nullable: true, description: "Model driving the predictions; default BG_NBD." })
  model?: BtydModelEnum | null;

  @Field(() => Int, { nullable: true, description: "Predicted CLV horizon in 30-day months (1–120; default 12)." })
  horizonMonths?: number | null;

  @Field(() => Float, { nullable: true, description: "Monthly discount rate (0–0.2; default 0.01)." })
  monthlyDiscountRate?: number | null;

  @Field(() => Int, { nullable: true, description: "Days F and M look back (7–3650; default 365)." })
  lookbackDays?: number | null;

  @Field(() => Int, { nullable: true, description: "Holdout diagnostics period in days (7–1095; default 182)." })
  holdoutDays?: number | null;

  @Field(() => Float, { nullable: true, description: "Gross margin 0–1; default the settings' margin." })
  margin?: number | null;
}
