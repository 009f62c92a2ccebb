import { Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput } from "../../errors.ts";
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

@Resolver()
export class AcquisitionResolver {
  @Authorized(...ALLOW.read)
  @Query(() => AcquisitionEconomics, {
    description:
      "Acquisition economics per channel and/or acquisition cohort: customers, CAC, realised gross profit, predicted residual CLV, LTV/CAC with a 95% bootstrap interval, payback month, repeat rate and 12-month retention.",
  })
  async acquisitionEconomics(@Args(() => AcquisitionEconomicsArgs) args: AcquisitionEconomicsArgs, @Ctx() ctx: Context): Promise<AcquisitionEconomics> {
    // Without a snapshot the reference time is now, so only snapshot-based results are cached.
    const latest = await ctx.cache.latestSnapshot();
    const load = () => acquisition.acquisitionEconomics(ctx.query, args);
    const key = `acquisitionEconomics:${latest?.id}:${args.groupBy}:${args.cohortUnit}:${args.from?.toISOString() ?? ""}:${args.to?.toISOString() ?? ""}`;
    const result = latest ? await ctx.cache.read(key, load) : await load();
    return { ...result, groupBy: result.groupBy as AcquisitionGroupByEnum, cohortUnit: result.cohortUnit as CohortUnitEnum };
  }

  @Authorized(...ALLOW.read)
  @Query(() => RetentionVsAcquisition, {
    description: "Gross profit per yen of the measured retention campaigns (Check/Act) next to each acquisition channel's LTV/CAC, with their assumptions.",
  })
  async retentionVsAcquisition(@Args(() => RetentionVsAcquisitionArgs) args: RetentionVsAcquisitionArgs, @Ctx() ctx: Context): Promise<RetentionVsAcquisition> {
    const result = await retentionVsAcquisition(ctx.query, args);
    return { ...result, rows: result.rows.map((row) => ({ ...row, kind: row.kind as RetentionVsAcquisitionKindEnum })) };
  }

  @Authorized(...ALLOW.read)
  @Query(() => [ChannelSpendRow], { description: "Imported acquisition spend per channel and month." })
  channelSpend(@Ctx() ctx: Context): Promise<ChannelSpendRow[]> {
    return listChannelSpend(ctx.db);
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => ChannelSpendImportResult, {
    description: "Imports channel spend from CSV text (channel, month, amount[, currency]); all rows or none, in one transaction; re-importing changes nothing.",
  })
  async importChannelSpend(@Args(() => ImportChannelSpendArgs) { csv, fileName }: ImportChannelSpendArgs, @Ctx() ctx: Context): Promise<ChannelSpendImportResult> {
    if (csv.length > MAX_CSV_CHARS) throw badInput(`The file is too large (${csv.length} characters): at most ${MAX_CSV_CHARS}; use \`ltvloop import channel-spend\`.`);
    return importChannelSpend(ctx.handle, csv, { label: fileName, actor: ctx.viewer });
  }
}
