import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import { ALLOW } from "../../graphql/roles.ts";
import type { Context } from "../../context.ts";
import { checkHealth } from "./health.service.ts";
import { Health } from "./health.type.ts";

@Resolver()
export class HealthResolver {
  @Authorized(...ALLOW.read)
  @Query(() => Health, { description: "The server's and database's state, with row counts." })
  async health(@Ctx() ctx: Context): Promise<Health> {
    const report = await checkHealth(ctx.query, ctx.databaseKind);
    return { status: report.status, database: report.database, ...report.counts };
  }
}
