import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A committed import (from the admin's upload or the CLI). Dry runs and rejected files leave none." })
export class ImportRunType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "customers, orders or deliveries." })
  kind!: string;

  @Field(() => ID, { nullable: true, description: "The campaign whose delivery results were imported (deliveries only)." })
  campaignId!: string | null;

  @Field(() => String, { description: "The file name the importer gave." })
  label!: string;

  @Field(() => Int, { description: "Rows imported (valid rows; skipped ones not counted)." })
  rows!: number;

  @Field(() => Int)
  inserted!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Orders: earliest ordered_at in the file." })
  coveredFrom!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Orders: latest ordered_at in the file." })
  coveredTo!: Date | null;

  @Field(() => GraphQLISODateTime)
  importedAt!: Date;

  @Field(() => String, { nullable: true, description: "E-mail of the user who imported; null for the CLI." })
  importedBy!: string | null;
}
