import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.ts";

export enum JobStatusEnum {
  QUEUED = "queued",
  RUNNING = "running",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(JobStatusEnum, {
  name: "JobStatus",
  description: "QUEUED (waiting for its time, or for a retry after a backoff), RUNNING, SUCCEEDED, FAILED (no attempts left), CANCELLED.",
});

@ObjectType({ description: "One background job: a snapshot, the nightly snapshot, a campaign's final measurement or a change of the business time zone." })
export class Job {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { description: "`snapshot` (started by a person), `snapshot.nightly` (scheduled), `campaign.measure` (a window closed), `settings.time-zone` (a new business time zone: the recount of purchase days; see `Settings.timeZoneChange`)." })
  kind!: string;

  @Field(() => JobStatusEnum)
  status!: JobStatusEnum;

  @Field(() => ID, { nullable: true, description: "What it works on: the snapshot (snapshot kinds) or the campaign (campaign.measure); null for settings.time-zone." })
  subjectId!: number | null;

  @Field(() => Int, { description: "Attempts started so far." })
  attempts!: number;

  @Field(() => Int)
  maxAttempts!: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "The slot (nightly snapshot) or due time (end of a campaign's outcome window) it was scheduled for." })
  scheduledFor!: Date | null;

  @Field(() => GraphQLISODateTime, { description: "It may start from this time on (later after a failed attempt: exponential backoff)." })
  runAfter!: Date;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Start of the latest attempt." })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description: "Why the latest attempt failed: CONFLICT (another snapshot was running), ABANDONED (its process stopped), ORDERS_INCOMPLETE, SNAPSHOT_FAILED, STATEMENT_TIMEOUT, QUERY_CANCELLED (a statement cancelled from elsewhere), CANCELLED, NOT_FOUND, INTERNAL, DATABASE_<sqlstate>.",
  })
  errorCode!: string | null;

  @Field(() => String, { nullable: true, description: "The latest error's message (English, for logs)." })
  error!: string | null;
}

export const JobConnection = Connection(Job, "Job");

@ObjectType({ description: "The nightly snapshot's schedule: a local time of the business time zone." })
export class NightlySnapshotSchedule {
  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { description: "HH:MM in `timeZone`." })
  localTime!: string;

  @Field(() => String, { description: "The settings' business time zone." })
  timeZone!: string;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "The next run (daylight-saving aware); null when disabled." })
  nextRunAt!: Date | null;

  @Field(() => Boolean, { description: "Whether this server runs the scheduler (LTVLOOP_SCHEDULER); if not, an `ltvloop worker` must." })
  schedulerInThisServer!: boolean;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;
}

@InputType()
export class SetNightlySnapshotScheduleInput {
  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: "HH:MM, 00:00–23:59, in the business time zone." })
  localTime?: string | null;
}
