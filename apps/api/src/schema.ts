// The one schema builder, shared by the server, the tests and the committed schema file.
import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema as buildTypeGraphQLSchema } from "type-graphql";
import { HealthResolver } from "./modules/health/health.resolver.ts";

export const resolvers = [HealthResolver] as const;

let cached: Promise<GraphQLSchema> | undefined;

export function buildSchema(): Promise<GraphQLSchema> {
  cached ??= buildTypeGraphQLSchema({
    resolvers: [...resolvers],
    validate: false,
  });
  return cached;
}
