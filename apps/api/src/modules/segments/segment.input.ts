import { GraphQLJSON } from "graphql-scalars";
import { Field, InputType } from "type-graphql";
import { SegmentKindEnum } from "./segment.type.ts";

@InputType()
export class CreateSegmentInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { defaultValue: "" })
  description!: string;

  @Field(() => SegmentKindEnum)
  kind!: SegmentKindEnum;

  @Field(() => GraphQLJSON, {
    description:
      'RULE: e.g. { "all": [{ "field": "rfmSegment", "op": "eq", "value": "at_risk" }, { "field": "pAlive", "op": "gte", "value": 0.3 }] }; RFM: { "cells": [{ "r": 5, "f": 4 }] }; MANUAL: { "customerExternalIds": ["C000001"] }.',
  })
  definition!: unknown;

  @Field(() => String, { nullable: true, description: "#rrggbb" })
  color?: string | null;
}

@InputType()
export class UpdateSegmentInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: "A new definition of the same kind." })
  definition?: unknown;

  @Field(() => String, { nullable: true })
  color?: string | null;
}
