import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum RfmBinModeEnum {
  QUANTILE = "quantile",
  THRESHOLD = "threshold",
}
registerEnumType(RfmBinModeEnum, { name: "RfmBinMode", description: "Score RFM by quintiles of the population, or by fixed cut points." });

@ObjectType({ description: "R: upper bounds in days for scores 5, 4, 3, 2; F and M: lower bounds for scores 2, 3, 4, 5." })
export class RfmThresholdsType {
  @Field(() => [Int])
  recencyDays!: number[];

  @Field(() => [Int])
  frequency!: number[];

  @Field(() => [Float])
  monetary!: number[];
}

@InputType()
export class RfmThresholdsInput {
  @Field(() => [Int], { description: "Four ascending day counts, e.g. [30, 60, 90, 180]." })
  recencyDays!: number[];

  @Field(() => [Int], { description: "Four ascending purchase-day counts, e.g. [2, 3, 5, 10]." })
  frequency!: number[];

  @Field(() => [Float], { description: "Four ascending amounts, e.g. [10000, 30000, 50000, 100000]." })
  monetary!: number[];
}

@ObjectType()
export class SettingsType {
  @Field(() => String, { description: "IANA zone, e.g. Asia/Tokyo: purchase days and periods are counted in it." })
  timeZone!: string;

  @Field(() => String, { description: "ISO 4217 code, e.g. JPY." })
  currency!: string;

  @Field(() => Float, { description: "Default gross margin ratio 0–1." })
  defaultMargin!: number;

  @Field(() => RfmBinModeEnum)
  rfmBinMode!: RfmBinModeEnum;

  @Field(() => RfmThresholdsType)
  rfmThresholds!: RfmThresholdsType;

  @Field(() => GraphQLJSON, { nullable: true, description: "RF segment map (rows R1..R5 × columns F1..F5 of segment keys); null = default." })
  rfmSegmentMap!: unknown;

  @Field(() => [[String]], { description: "The RF segment map the next snapshot uses: the saved one, or the default." })
  effectiveRfmSegmentMap!: string[][];

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@InputType()
export class UpdateSettingsInput {
  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => String, { nullable: true })
  currency?: string | null;

  @Field(() => Float, { nullable: true })
  defaultMargin?: number | null;

  @Field(() => RfmBinModeEnum, { nullable: true })
  rfmBinMode?: RfmBinModeEnum | null;

  @Field(() => RfmThresholdsInput, { nullable: true })
  rfmThresholds?: RfmThresholdsInput | null;

  @Field(() => [[String]], {
    nullable: true,
    description: "RF segment map: 5 rows (R1..R5) of 5 segment keys (F1..F5), every cell one of champions, loyal, new, promising, need_attention, at_risk, hibernating, lost. The next snapshot uses it.",
  })
  rfmSegmentMap?: string[][] | null;

  @Field(() => Boolean, { nullable: true, description: "true: back to the default RF segment map." })
  resetRfmSegmentMap?: boolean | null;
}
