import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { PageArgs, decodeCursor, pageSize, toConnection } from "../../graphql/connection.ts";
import { groupBy, loader } from "../../graphql/loaders.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { DeliveryOverview, ReachedEventEnum } from "./campaign-delivery.type.ts";
import { deliveryOverview } from "./campaign-measure.delivery.ts";
import { measureCampaign, latestResultsFor, resultsFor, type ResultRow } from "./campaign-measure.service.ts";
import { normalizeLift, normalizeMoney, toResultType } from "./campaign-result.map.ts";
import { CampaignFilter, CreateCampaignInput, PowerAnalysisArgs, UpdateCampaignInput } from "./campaign.input.ts";
import * as launches from "./campaign-launch.service.ts";
import * as lists from "./campaign-list.service.ts";
import * as plans from "./campaign-plan.service.ts";
import type { PlanReadOptions } from "./campaign-plan.baseline.ts";
import * as reviews from "./campaign-review.service.ts";
import * as campaigns from "./campaign.service.ts";
import {
  Campaign,
  CampaignComparison,
  CampaignConnection,
  CampaignDecisionEnum,
  CampaignEvent,
  CampaignPlan,
  CampaignResult,
  ReviewCampaignPayload,
  RosterSummary,
  type CampaignStatusEnum,
} from "./campaign.type.ts";
import { parseId } from "./campaign.validate.ts";

const DAY_MS = 86_400_000;
const MAX_COMPARE = 10;

function toPlan(plan: plans.PlanData | null): CampaignPlan | null {
  if (!plan) return null;
  return {
    ...plan,
    snapshotAsOf: new Date(plan.snapshotAsOf),
    baselineFrom: new Date(plan.baselineFrom),
    baselineTo: new Date(plan.baselineTo),
    computedAt: new Date(plan.computedAt),
    baselineSource: plan.baselineSource ?? "segment_history",
    reactivationSnapshotId: plan.reactivationSnapshotId ?? null,
    daysToDetect: plan.daysToDetect ?? null,
  } as unknown as CampaignPlan;
}

export function toCampaignType(row: campaigns.CampaignRow): Campaign {
  return {
    ...row,
    plan: toPlan(row.plan),
    outcomeWindowEndsAt: row.launchedAt ? new Date(row.launchedAt.getTime() + row.outcomeWindowDays * DAY_MS) : null,
    reviewedBy: row.reviewedByEmail,
    createdBy: row.createdByEmail,
  } as unknown as Campaign;
}

/** The planner's slow reads (the RF cells' past window) shared through the server's read cache. */
const planReads = (ctx: Context): PlanReadOptions => ({ cached: (key, load) => ctx.cache.read(key, load) });

@Resolver(() => Campaign)
export class CampaignResolver {
  // ------------------------------------------------------------ reads

  @Authorized(...ALLOW.read)
  @Query(() => Campaign)
  async campaign(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Campaign> {
    return toCampaignType(await campaigns.getCampaign(ctx.db, parseId(id, "id", "campaign")));
  }

  @Authorized(...ALLOW.read)
  @Query(() => CampaignConnection, { description: "Campaigns, newest first." })
  async campaigns(
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("filter", () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Ctx() ctx: Context,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, 1);
    const { rows, total } = await lists.listCampaigns(ctx.db, size + 1, cursor ? Number(cursor[0]) : null, filter);
    return toConnection(rows, size, total, toCampaignType, (r) => [r.id]);
  }

  @Authorized(...ALLOW.read)
  @Query(() => [CampaignComparison], { description: `Side by side (at most ${MAX_COMPARE}), in the order given: each campaign's latest result.` })
  async compareCampaigns(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<CampaignComparison[]> {
    if (ids.length === 0 || ids.length > MAX_COMPARE) {
      throw badInput(`Compare 1 to ${MAX_COMPARE} campaigns; got ${ids.length}.`, [fieldProblem("ids", "ITEM_COUNT", { min: 1, max: MAX_COMPARE })]);
    }
    const numeric = ids.map((id, i) => parseId(id, `ids.${i}`, "campaign"));
    const rows = await lists.campaignsByIds(ctx.db, numeric);
    const missing = numeric.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0) throw badInput(`Campaign(s) ${missing.join(", ")} do not exist.`, missing.map((id) => fieldProblem(`ids.${numeric.indexOf(id)}`, "NO_SUCH_CAMPAIGN", { id })), "CAMPAIGN_NOT_FOUND", { id: missing.join(", ") });
    const results = await latestResultsFor(ctx.query, numeric);
    return numeric.map((id) => {
      const row = rows.find((r) => r.id === id) as campaigns.CampaignRow;
      const res = results.find((r) => r.campaignId === id)?.results;
      return {
        campaign: toCampaignType(row),
        hasResult: Boolean(res),
        isProvisional: res ? res.isProvisional : null,
        primary: res ? normalizeLift(res.primary) : null,
        conversion: res ? normalizeLift(res.conversion) : null,
        revenuePerCustomer: res ? normalizeLift(res.revenuePerCustomer) : null,
        treatmentN: res?.groups.find((g) => g.group === "treatment")?.n ?? null,
        controlN: res?.groups.find((g) => g.group === "control")?.n ?? null,
        incrementalRevenue: res?.money.incrementalRevenue ?? null,
        roi: res?.money.roi ?? null,
        money: res ? normalizeMoney(res.money) : null,
        isSrmMismatch: res?.srm.isMismatch ?? null,
        decision: (row.decision as CampaignDecisionEnum | null) ?? null,
      } as unknown as CampaignComparison;
    });
  }

  @Authorized(...ALLOW.read)
  @Query(() => CampaignPlan, { description: "The planner's numbers for a segment, channel and holdout, without saving anything." })
  async powerAnalysis(@Args(() => PowerAnalysisArgs) args: PowerAnalysisArgs, @Ctx() ctx: Context): Promise<CampaignPlan> {
    const problems = plans.powerProblems(args);
    if (problems.length > 0) throw badInput("The power analysis input is invalid; fix the fields listed in extensions.problems.", problems);
    const plan = await plans.powerAnalysis(ctx.query, {
      segmentId: Number(args.segmentId),
      snapshotId: args.snapshotId ? Number(args.snapshotId) : null,
      channel: args.channel,
      holdoutRatio: args.holdoutRatio,
      expectedLift: args.expectedLift ?? null,
      outcomeWindowDays: args.outcomeWindowDays,
      primaryKpi: args.primaryKpi ?? null,
      objective: args.objective ?? null,
    }, planReads(ctx));
    return toPlan(plan) as CampaignPlan;
  }

  @FieldResolver(() => RosterSummary, { nullable: true, description: "Null before launch." })
  async roster(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<RosterSummary | null> {
    const rows = await loader<number, lists.RosterRow[]>(ctx, "campaignRoster", async (ids) =>
      groupBy(ids, await lists.rosterCounts(ctx.query, ids), (r) => r.campaign_id),
    ).load(campaign.id);
    if (rows.length === 0) return null;
    const strata = new Map<string, { stratum: string; treatment: number; control: number }>();
    for (const r of rows) {
      const s = strata.get(r.stratum) ?? { stratum: r.stratum, treatment: 0, control: 0 };
      s[r.group as "treatment" | "control"] += r.n;
      strata.set(r.stratum, s);
    }
    const list = [...strata.values()];
    return { treatment: list.reduce((a, s) => a + s.treatment, 0), control: list.reduce((a, s) => a + s.control, 0), strata: list };
  }

  @FieldResolver(() => CampaignResult, { nullable: true, description: "The newest measurement." })
  async latestResult(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<CampaignResult | null> {
    const row = await loader<number, ResultRow | null>(ctx, "campaignLatestResult", async (ids) => {
      const rows = await latestResultsFor(ctx.query, ids);
      return ids.map((id) => rows.find((r) => r.campaignId === id) ?? null);
    }).load(campaign.id);
    return row ? toResultType(row) : null;
  }

  @FieldResolver(() => [CampaignResult], { description: "Every measurement, oldest first." })
  async results(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<CampaignResult[]> {
    const rows = await loader<number, ResultRow[]>(ctx, "campaignResults", async (ids) =>
      groupBy(ids, await resultsFor(ctx.query, ids), (r) => r.campaignId),
    ).load(campaign.id);
    return rows.map(toResultType);
  }

  @FieldResolver(() => DeliveryOverview, { nullable: true, description: "Delivery results imported so far (importDeliveries), per arm up to now; null before launch." })
  async deliveries(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<DeliveryOverview | null> {
    const launchedAt = campaign.launchedAt as Date | null;
    if (!launchedAt) return null;
    return (await deliveryOverview(ctx.query, campaign.id, launchedAt, new Date())) as unknown as DeliveryOverview;
  }

  @FieldResolver(() => [CampaignEvent], { description: "The PDCA log, oldest first." })
  async events(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<CampaignEvent[]> {
    const rows = await loader<number, lists.EventRow[]>(ctx, "campaignEvents", async (ids) =>
      groupBy(ids, await lists.eventsFor(ctx.query, ids), (r) => r.campaign_id),
    ).load(campaign.id);
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fromStatus: r.from_status as CampaignStatusEnum | null,
      toStatus: r.to_status as CampaignStatusEnum | null,
      details: r.details,
      actor: r.actor_email ?? r.actor_label,
      at: r.at,
    }));
  }

  @FieldResolver(() => [Campaign], { description: "Every PDCA cycle of this campaign's chain, first cycle first (this one included)." })
  async chain(@Root() campaign: Campaign, @Ctx() ctx: Context): Promise<Campaign[]> {
    const rows = await loader<number, campaigns.CampaignRow[]>(ctx, "campaignChain", async (ids) => {
      const chains = await lists.chainsFor(ctx, ids);
      return ids.map((id) => chains.get(id) ?? []);
    }).load(campaign.id);
    return rows.map(toCampaignType);
  }

  // ------------------------------------------------------------ changes

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, { description: "A new DRAFT." })
  async createCampaign(@Arg("input", () => CreateCampaignInput) input: CreateCampaignInput, @Ctx() ctx: Context): Promise<Campaign> {
    return toCampaignType(await campaigns.createCampaign(ctx.handle, ctx.viewer, input));
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, { description: "Edits a DRAFT." })
  async updateCampaign(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateCampaignInput) input: UpdateCampaignInput,
    @Ctx() ctx: Context,
  ): Promise<Campaign> {
    return toCampaignType(await campaigns.updateCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), input));
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, { description: "DRAFT → PLANNED: stores the plan (size after opt-outs, baseline, MDE, warnings)." })
  async planCampaign(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Campaign> {
    return toCampaignType(await plans.planCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), planReads(ctx)));
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, {
    description: "PLANNED → RUNNING: freezes the roster and the stratified holdout. Retrying with the same key returns the same campaign; another key is a CONFLICT.",
  })
  async launchCampaign(
    @Arg("id", () => ID) id: string,
    @Arg("idempotencyKey", () => String, { description: "Any unique string per launch attempt, e.g. a UUID made when the button was shown." }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<Campaign> {
    return toCampaignType(await launches.launchCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), idempotencyKey));
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, { description: "Computes and stores lift; provisional (status stays RUNNING) before the outcome window ends, CHECKED after." })
  async measureCampaign(
    @Arg("id", () => ID) id: string,
    @Arg("reachedEvent", () => ReachedEventEnum, { defaultValue: ReachedEventEnum.DELIVERED, description: "The delivery event that counts as reached for the complier effect (CACE)." })
    reachedEvent: ReachedEventEnum,
    @Ctx() ctx: Context,
  ): Promise<Campaign> {
    return toCampaignType(await measureCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), { reachedEvent }));
  }

  @Authorized(...ALLOW.runCampaigns)
  @Mutation(() => Campaign, { description: "DRAFT or PLANNED → CANCELLED." })
  async cancelCampaign(@Arg("id", () => ID) id: string, @Arg("reason", () => String) reason: string, @Ctx() ctx: Context): Promise<Campaign> {
    return toCampaignType(await reviews.cancelCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), reason));
  }

  @Authorized(...ALLOW.review)
  @Mutation(() => ReviewCampaignPayload, { description: "The Act step on a CHECKED campaign; ITERATE also creates the next cycle's draft." })
  async reviewCampaign(
    @Arg("id", () => ID) id: string,
    @Arg("decision", () => CampaignDecisionEnum) decision: CampaignDecisionEnum,
    @Arg("rationale", () => String) rationale: string,
    @Ctx() ctx: Context,
  ): Promise<ReviewCampaignPayload> {
    const { campaign, nextCycle } = await reviews.reviewCampaign(ctx.handle, ctx.viewer, parseId(id, "id", "campaign"), decision, rationale);
    return { campaign: toCampaignType(campaign), nextCycle: nextCycle ? toCampaignType(nextCycle) : null };
  }
}
