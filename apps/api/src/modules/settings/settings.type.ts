import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { JobStatusEnum } from "../scheduler/scheduler.type.ts";

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

@ObjectType({
  description:
    "A change of the business time zone: a background job (kind `settings.time-zone` in `jobs`) that recounts every customer's purchase days in the new zone and sets it, in one transaction. Until it succeeds the old zone stays in force everywhere; a failed or cancelled change leaves the zone and the rollups as they were.",
})
export class TimeZoneChangeType {
  @Field(() => ID, { description: "The job's id (as in `jobs`)." })
  id!: number;

  @Field(() => String, { description: "The zone in force when the change was asked for." })
  from!: string;

  @Field(() => String, { description: "The zone asked for." })
  to!: string;

  @Field(() => JobStatusEnum, { description: "QUEUED (about to start), RUNNING, SUCCEEDED (the new zone is in force), FAILED or CANCELLED (nothing changed)." })
  status!: JobStatusEnum;

  @Field(() => String, {
    nullable: true,
    description:
      "While RUNNING: `waiting` (for imports under way to finish), `recounting` (every customer's purchase days: minutes on millions of orders), `saving` (the zone and the audit row; the commit follows). Null otherwise, and on the embedded database, where nobody can read the job while it runs.",
  })
  stage!: string | null;

  @Field(() => String, { nullable: true, description: "E-mail of who asked for it." })
  requestedBy!: string | null;

  @Field(() => Boolean, { description: "A cancel was asked for (cancelTimeZoneChange); a running change stops at its next stage." })
  cancelRequested!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Why it failed: STATEMENT_TIMEOUT (the recount outran LTVLOOP_JOB_STATEMENT_TIMEOUTS kind `time-zone`), ABANDONED (its process stopped), CANCELLED, QUERY_CANCELLED, INTERNAL, DATABASE_<sqlstate>.",
  })
  errorCode!: string | null;

  @Field(() => String, { nullable: true, description: "The error's message (English, for logs)." })
  error!: string | null;
}

@ObjectType()
export class SettingsType {
  @Field(() => String, {
    description: "IANA zone, e.g. Asia/Tokyo: purchase days and periods are counted in it. The zone in force: a new one takes effect when its `timeZoneChange` succeeds.",
  })
  timeZone!: string;

  /** Filled by the resolver when already known (updateSettings); else its field resolver reads it. */
  timeZoneChange?: TimeZoneChangeType | null;

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
  @Field(() => String, {
    nullable: true,
    description:
      "A new IANA zone is not set at once: it queues a background job that recounts every customer's purchase days and then sets it (`Settings.timeZoneChange`). Refused (CONFLICT, TIME_ZONE_CHANGE_BUSY) while a change to another zone is queued or running.",
  })
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
