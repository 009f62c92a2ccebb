import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { listImportRuns } from "./import-history.service.ts";
import { ImportRunType } from "./import-run.type.ts";

@Resolver()
export class ImportResolver {
  @Authorized(...ALLOW.read)
  @Query(() => [ImportRunType], { description: "Committed imports, newest first (at most 200). Upload files with POST /import/customers or /import/orders." })
  async importRuns(@Arg("first", () => Int, { defaultValue: 50 }) first: number, @Ctx() ctx: Context): Promise<ImportRunType[]> {
    return (await listImportRuns(ctx.db, first)).map((run) => ({ ...run, id: String(run.id), campaignId: run.campaignId === null ? null : String(run.campaignId) }));
  }
}
