import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection.ts";

export enum SegmentKindEnum {
  RFM = "rfm",
  RULE = "rule",
  MANUAL = "manual",
}
registerEnumType(SegmentKindEnum, {
  name: "SegmentKind",
  description: "RFM: named RF cells; RULE: a rule tree over scores and attributes; MANUAL: a list of customers.",
});

@ObjectType({ description: "Size and value of a segment in one snapshot. Amounts in the settings' currency." })
export class SegmentStats {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { description: "Share of the snapshot's scored customers." })
  customerShare!: number;

  @Field(() => Float, { description: "Lifetime revenue of the members up to the snapshot." })
  revenue!: number;

  @Field(() => Float, { description: "Share of all scored customers' revenue." })
  revenueShare!: number;

  @Field(() => Float, { nullable: true })
  meanPredictedClv!: number | null;

  @Field(() => Float, { nullable: true })
  meanPAlive!: number | null;
}

@ObjectType()
export class Segment {
  @Field(() => ID)
  id!: number;

  @Field(() => String, { nullable: true, description: "Stable key of a built-in RFM segment (champions, at_risk, …)." })
  key!: string | null;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => SegmentKindEnum)
  kind!: SegmentKindEnum;

  @Field(() => GraphQLJSON, { description: "RFM: { rfmSegment } or { cells: [{ r, f }] }; RULE: the rule tree; MANUAL: { customerExternalIds }." })
  definition!: unknown;

  @Field(() => String)
  color!: string;

  @Field(() => Boolean)
  archived!: boolean;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

export const SegmentConnection = Connection(Segment, "Segment");

@ObjectType({ description: "Customers who were in `from` in one snapshot and in `to` in the other." })
export class SegmentTransition {
  @Field(() => String, { nullable: true, description: "RFM segment key in the earlier snapshot; null = not yet a customer then." })
  from!: string | null;

  @Field(() => String, { nullable: true, description: "RFM segment key in the later snapshot; null = not scored then." })
  to!: string | null;

  @Field(() => Int)
  customers!: number;

  @Field(() => Float, { description: "Revenue the customers added between the two snapshots." })
  revenue!: number;
}

@ObjectType()
export class SegmentMigration {
  @Field(() => ID)
  fromSnapshotId!: number;

  @Field(() => ID)
  toSnapshotId!: number;

  @Field(() => GraphQLISODateTime)
  fromAsOf!: Date;

  @Field(() => GraphQLISODateTime)
  toAsOf!: Date;

  @Field(() => [SegmentTransition])
  transitions!: SegmentTransition[];
}

@ObjectType({ description: "What a segment definition would select, without saving it." })
export class SegmentPreview {
  @Field(() => ID)
  snapshotId!: number;

  @Field(() => SegmentStats)
  stats!: SegmentStats;
}
