// The one schema builder, shared by the server, the tests and the committed schema file.
import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema as buildTypeGraphQLSchema } from "type-graphql";
import { authChecker } from "./graphql/auth-checker.ts";
import { validateIdInputs } from "./graphql/id-input.ts";
import { AcquisitionResolver } from "./modules/acquisition/acquisition.resolver.ts";
import { AnalyticsResolver } from "./modules/analytics/analytics.resolver.ts";
import { AuthResolver } from "./modules/auth/auth.resolver.ts";
import { PasswordResolver } from "./modules/auth/password.resolver.ts";
import { CampaignResolver } from "./modules/campaigns/campaign.resolver.ts";
import { CustomerResolver } from "./modules/customers/customer.resolver.ts";
import { DataQualityResolver } from "./modules/data-quality/data-quality.resolver.ts";
import { DeliveryResolver } from "./modules/deliveries/delivery.resolver.ts";
import { ImportResolver } from "./modules/import/import.resolver.ts";
import { SavedViewResolver } from "./modules/saved-views/saved-views.resolver.ts";
import { HealthResolver } from "./modules/health/health.resolver.ts";
import { LoyaltyResolver } from "./modules/loyalty/loyalty.resolver.ts";
import { SegmentResolver } from "./modules/segments/segment.resolver.ts";
import { SchedulerResolver } from "./modules/scheduler/scheduler.resolver.ts";
import { SettingsResolver } from "./modules/settings/settings.resolver.ts";
import { SnapshotResolver } from "./modules/snapshots/snapshot.resolver.ts";

export const resolvers = [AuthResolver, PasswordResolver, CustomerResolver, HealthResolver, SegmentResolver, SettingsResolver, SnapshotResolver, AnalyticsResolver, CampaignResolver, DeliveryResolver, DataQualityResolver, AcquisitionResolver, SchedulerResolver, LoyaltyResolver, ImportResolver, SavedViewResolver] as const;

let cached: Promise<GraphQLSchema> | undefined;

export function buildSchema(): Promise<GraphQLSchema> {
  validateIdInputs();
  cached ??= buildTypeGraphQLSchema({
    resolvers: [...resolvers],
    validate: false,
    authChecker,
    authMode: "error",
  });
  return cached;
}

/** The committed schema file's text: sorted, so diffs show real changes only. */
export async function printSchemaFile(): Promise<string> {
  return `# Generated from the code by \`pnpm --filter @ltvloop/api schema\`. Do not edit.\n\n${printSchema(lexicographicSortSchema(await buildSchema()))}\n`;
}
