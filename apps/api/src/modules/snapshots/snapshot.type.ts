import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.ts";

export enum SnapshotStatusEnum {
  PENDING = "pending",
  RUNNING = "running",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(SnapshotStatusEnum, { name: "SnapshotStatus" });

export enum BtydModelEnum {
  BG_NBD = "bg-nbd",
  PARETO_NBD = "pareto-nbd",
}
registerEnumType(BtydModelEnum, { name: "BtydModel", description: "BG/NBD (Fader, Hardie & Lee 2005) or Pareto/NBD (Schmittlein et al. 1987)." });

@ObjectType({ description: "One scoring run: every customer's RFM, decile, P(alive) and CLV at a point in time." })
export class Snapshot {
  @Field(() => ID)
  id!: number;

  @Field(() => GraphQLISODateTime, { description: "Orders before this instant count." })
  asOf!: Date;

  @Field(() => SnapshotStatusEnum)
  status!: SnapshotStatusEnum;

  @Field(() => Float, { description: "0–1; poll while RUNNING." })
  progress!: number;

  @Field(() => String, { nullable: true, description: "Current stage: aggregate, fit, predict, scores, segments, holdout, done." })
  stage!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int, { nullable: true })
  customerCount!: number | null;

  @Field(() => GraphQLJSONObject, { description: "Everything needed to reproduce it: time zone, model, horizon, discount rate, margin, RFM bins." })
  parameters!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: "Milliseconds per stage." })
  timings!: Record<string, number>;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  startedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;
}

export const SnapshotConnection = Connection(Snapshot, "Snapshot");
