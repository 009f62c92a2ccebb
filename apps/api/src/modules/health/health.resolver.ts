import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import { ALLOW } from "../../graphql/roles.ts";
import type { Context } from "../../context.ts";
import { checkHealth } from "./health.service.ts";
import { Health } from "./health.type.ts";

@Resolver()
export class HealthResolver {
  @Authorized(...ALLOW.read)
  @Query(() => Health, { description: "The server's and database's state, with row counts (maintained by triggers, not counted per call)." })
  async health(@Ctx() ctx: Context): Promise<Health> {
    const report = await checkHealth(ctx.query, ctx.databaseKind, { counts: true });
    return { status: report.status, database: report.database, customers: report.counts?.customers ?? 0, orders: report.counts?.orders ?? 0 };
  }
}
