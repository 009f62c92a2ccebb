import { Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { AcquisitionEconomicsArgs, ImportChannelSpendArgs, RetentionVsAcquisitionArgs } from "./acquisition.input.ts";
import * as acquisition from "./acquisition.service.ts";
import {
  AcquisitionEconomics,
  ChannelSpendImportResult,
  ChannelSpendRow,
  RetentionVsAcquisition,
  type AcquisitionGroupByEnum,
  type CohortUnitEnum,
  type RetentionVsAcquisitionKindEnum,
} from "./acquisition.type.ts";
import { importChannelSpend, listChannelSpend } from "./channel-spend-import.ts";
import { retentionVsAcquisition } from "./retention-vs-acquisition.service.ts";

const MAX_CSV_CHARS = 1_000_000;

/** Groupings computed together: the acquisition page asks for channels and cohorts at once. */
const COMPUTED_TOGETHER: readonly acquisition.GroupBy[] = ["channel", "cohort"];

/**
 * Acquisition economics through the server's read cache (until orders, customers, spend, settings
 * or snapshots change). Channels and cohorts of the same range come from one statement and one
 * cache entry, so the page's two requests (and the retention comparison's channels) make the
 * per-customer rows once. Without a snapshot the reference time is now, so only snapshot-based
 * results are cached.
 */
async function cachedEconomics(ctx: Context, input: acquisition.AcquisitionInput): Promise<acquisition.AcquisitionEconomicsResult> {
  const latest = await ctx.cache.latestSnapshot();
  const groupBys = COMPUTED_TOGETHER.includes(input.groupBy) ? COMPUTED_TOGETHER : [input.groupBy];
  const load = () => acquisition.acquisitionEconomicsByGrouping(ctx.query, { ...input, groupBys });
  const key = `acquisitionEconomics:${latest?.id}:${groupBys.join("+")}:${input.cohortUnit}:${input.from?.toISOString() ?? ""}:${input.to?.toISOString() ?? ""}`;
  const results = latest ? await ctx.cache.read(key, load) : await load();
  return results.get(input.groupBy) as acquisition.AcquisitionEconomicsResult;
}

@Resolver()
export class AcquisitionResolver {
  @Authorized(...ALLOW.read)
  @Query(() => AcquisitionEconomics, {
    description:
      "Acquisition economics per channel and/or acquisition cohort: customers, CAC, realised gross profit, predicted residual CLV, LTV/CAC with a 95% bootstrap interval, payback month, repeat rate and 12-month retention.",
  })
  async acquisitionEconomics(@Args(() => AcquisitionEconomicsArgs) args: AcquisitionEconomicsArgs, @Ctx() ctx: Context): Promise<AcquisitionEconomics> {
    const result = await cachedEconomics(ctx, { groupBy: args.groupBy as acquisition.GroupBy, cohortUnit: args.cohortUnit as acquisition.CohortUnit, from: args.from, to: args.to });
    return { ...result, groupBy: result.groupBy as AcquisitionGroupByEnum, cohortUnit: result.cohortUnit as CohortUnitEnum };
  }

  @Authorized(...ALLOW.read)
  @Query(() => RetentionVsAcquisition, {
    description: "Gross profit per yen of the measured retention campaigns (Check/Act) next to each acquisition channel's LTV/CAC, with their assumptions.",
  })
  async retentionVsAcquisition(@Args(() => RetentionVsAcquisitionArgs) args: RetentionVsAcquisitionArgs, @Ctx() ctx: Context): Promise<RetentionVsAcquisition> {
    const result = await retentionVsAcquisition(ctx.query, args, (input) => cachedEconomics(ctx, input));
    return { ...result, rows: result.rows.map((row) => ({ ...row, kind: row.kind as RetentionVsAcquisitionKindEnum })) };
  }

  @Authorized(...ALLOW.read)
  @Query(() => [ChannelSpendRow], { description: "Imported acquisition spend per channel and month." })
  channelSpend(@Ctx() ctx: Context): Promise<ChannelSpendRow[]> {
    return listChannelSpend(ctx.db);
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => ChannelSpendImportResult, {
    description: "Imports channel spend from CSV or tab-separated text (channel, month, amount[, currency]); all rows or none, in one transaction; re-importing changes nothing.",
  })
  async importChannelSpend(@Args(() => ImportChannelSpendArgs) { csv, fileName }: ImportChannelSpendArgs, @Ctx() ctx: Context): Promise<ChannelSpendImportResult> {
    if (csv.length > MAX_CSV_CHARS) throw badInput(`The file is too large (${csv.length} characters): at most ${MAX_CSV_CHARS}; use \`ltvloop import channel-spend\`.`, [fieldProblem("csv", "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: csv.length })], "FILE_TOO_LARGE", { max: MAX_CSV_CHARS, length: csv.length, command: "ltvloop import channel-spend" });
    return importChannelSpend(ctx.handle, csv, { label: fileName, actor: ctx.viewer });
  }
}
