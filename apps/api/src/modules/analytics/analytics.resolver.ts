import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import * as analytics from "./analytics.service.ts";
import { CohortRetentionArgs, KpiOverviewArgs, SnapshotScopeArgs } from "./analytics.input.ts";
import { CohortRetention, DecileRow, KpiOverview, RfMatrix, RfmSegmentSummary, type GranularityEnum } from "./analytics.type.ts";
import { ClvModel } from "./clv-model.type.ts";
import type { BtydModelEnum } from "../snapshots/snapshot.type.ts";

@Resolver()
export class AnalyticsResolver {
  @Authorized(...ALLOW.read)
  @Query(() => RfMatrix, { description: "The RF matrix (5×5 recency × frequency) of a snapshot, with look-back revenue per cell." })
  async rfMatrix(@Args(() => SnapshotScopeArgs) { snapshotId }: SnapshotScopeArgs, @Ctx() ctx: Context): Promise<RfMatrix> {
    return analytics.rfMatrix(ctx.query, await analytics.snapshotScope(ctx.query, snapshotId));
  }

  @Authorized(...ALLOW.read)
  @Query(() => [DecileRow], { description: "Customers in ten equal groups by lifetime revenue (decile 1 = top), with revenue shares." })
  async deciles(@Args(() => SnapshotScopeArgs) { snapshotId }: SnapshotScopeArgs, @Ctx() ctx: Context): Promise<DecileRow[]> {
    return analytics.deciles(ctx.query, await analytics.snapshotScope(ctx.query, snapshotId));
  }

  @Authorized(...ALLOW.read)
  @Query(() => [RfmSegmentSummary], { description: "Customers, lifetime revenue, mean predicted CLV and P(alive) per RFM segment; largest revenue first." })
  async rfmSegmentSummary(@Args(() => SnapshotScopeArgs) { snapshotId }: SnapshotScopeArgs, @Ctx() ctx: Context): Promise<RfmSegmentSummary[]> {
    return analytics.rfmSegmentSummary(ctx.query, await analytics.snapshotScope(ctx.query, snapshotId));
  }

  @Authorized(...ALLOW.read)
  @Query(() => KpiOverview, { description: "Customers, orders, revenue, repeat and retention per period from completed orders." })
  async kpiOverview(@Args(() => KpiOverviewArgs) args: KpiOverviewArgs, @Ctx() ctx: Context): Promise<KpiOverview> {
    const key = `kpiOverview:${args.from.toISOString()}:${args.to.toISOString()}:${args.granularity}`;
    const result = await ctx.cache.read(key, () => analytics.kpiOverview(ctx.query, args));
    return { ...result, granularity: result.granularity as GranularityEnum };
  }

  @Authorized(...ALLOW.read)
  @Query(() => CohortRetention, { description: "Monthly acquisition cohorts and the share of each cohort buying again month by month." })
  cohortRetention(@Args(() => CohortRetentionArgs) args: CohortRetentionArgs, @Ctx() ctx: Context): Promise<CohortRetention> {
    const key = `cohortRetention:${args.from?.toISOString() ?? ""}:${args.to?.toISOString() ?? ""}:${args.maxMonths}`;
    return ctx.cache.read(key, () => analytics.cohortRetention(ctx.query, args));
  }

  @Authorized(...ALLOW.read)
  @Query(() => ClvModel, { description: "A snapshot's BG/NBD, Pareto/NBD and Gamma-Gamma fits, holdout diagnostics and score histograms." })
  async clvModel(@Args(() => SnapshotScopeArgs) { snapshotId }: SnapshotScopeArgs, @Ctx() ctx: Context): Promise<ClvModel> {
    const result = await analytics.clvModel(ctx.query, await analytics.snapshotScope(ctx.query, snapshotId));
    return { ...result, drivingModel: result.drivingModel as BtydModelEnum };
  }
}
