// Demo campaigns with known true effects, so a new user sees real Check results at first start
// and tests can check that measurement recovers what was planted. Each campaign runs the real
// PDCA path (create → plan → launch → measure → review) on a snapshot taken at launch time;
// the effect is planted as extra completed orders of treated customers in the outcome window
// (external id `demo-campaign-…`), deterministic for a seed.
import { createHash } from "node:crypto";
import type { DbHandle } from "@ltvloop/db/client";
import { conflict } from "../../errors.ts";
import { syncLoyaltyForCustomers } from "../loyalty/loyalty-earn.service.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { measureCampaign } from "./campaign-measure.service.ts";
import { launchCampaign } from "./campaign-launch.service.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { reviewCampaign } from "./campaign-review.service.ts";
import { createCampaign } from "./campaign.service.ts";

const DAY_MS = 86_400_000;
/** The demo campaigns' roster comes from a snapshot this many days before the seed's as-of. */
export const DEMO_CAMPAIGN_SNAPSHOT_DAYS_BEFORE = 90;
/**
 * The first demo launch comes this many days after that snapshot's as-of, so every campaign is
 * created (three days before its launch) and planned after the snapshot it is planned from.
 */
const FIRST_LAUNCH_DAYS_AFTER_SNAPSHOT = 4;

type Effect =
  /** Treated customers who would not have bought in the window buy once with this probability. */
  | { kind: "conversion"; probability: number; meanAmount: number }
  /** Treated customers who bought anyway add an add-on order with this probability (no new buyers). */
  | { kind: "basket"; probability: number; meanAmount: number }
  | { kind: "none" };

export interface DemoCampaignSpec {
  key: "win_back" | "coupon" | "newsletter" | "second_purchase" | "bonus_points";
  name: string;
  segmentKey: string;
  objective: "win_back" | "upsell" | "activate";
  channel: "email" | "coupon" | "line" | "points";
  offer: string;
  /** A structured loyalty offer (the bonus-points demo). */
  loyaltyOffer?: { kind: "bonus_points"; multiplier: number };
  hypothesis: string;
  primaryKpi: "conversion" | "revenue_per_customer";
  expectedLift: number;
  holdoutRatio: number;
  costPerContact: number;
  fixedCost: number;
  /** Launch this many days after the roster snapshot. */
  launchOffsetDays: number;
  outcomeWindowDays: number;
  effect: Effect;
  /** The reviewer's Act decision; null leaves the campaign CHECKED in the review queue. */
  decision: "adopt" | "iterate" | "stop" | null;
  rationale: string;
}

/** The planted campaigns and their mechanisms (the realised effects are returned by the seed). */
export const DEMO_CAMPAIGNS: readonly DemoCampaignSpec[] = [
  {
    key: "win_back",
    name: "離反予備軍 win-back 10% OFF (demo)",
    segmentKey: "at_risk",
    objective: "win_back",
    channel: "email",
    offer: "10% OFF クーポン（30日間有効）",
    hypothesis: "期間限定の割引で、離れかけた常連客を失う前に呼び戻せる。",
    primaryKpi: "conversion",
    expectedLift: 0.5,
    holdoutRatio: 0.3,
    costPerContact: 20,
    fixedCost: 30_000,
    launchOffsetDays: 0,
    outcomeWindowDays: 30,
    effect: { kind: "conversion", probability: 0.15, meanAmount: 5_500 },
    decision: "adopt",
    rationale: "購入率のリフトは明らかにゼロより大きく、増分粗利がコストを上回った。離反予備軍の全員に展開する。",
  },
  {
    key: "coupon",
    name: "ロイヤル顧客 まとめ買いクーポン (demo)",
    segmentKey: "loyal",
    objective: "upsell",
    channel: "coupon",
    offer: "¥8,000 以上で ¥1,000 OFF",
    hypothesis: "ロイヤル顧客はもともと購入する。まとめ買いクーポンは購入の有無ではなく購入金額を押し上げる。",
    primaryKpi: "revenue_per_customer",
    expectedLift: 0.1,
    holdoutRatio: 0.3,
    costPerContact: 0,
    fixedCost: 50_000,
    launchOffsetDays: 7,
    outcomeWindowDays: 30,
    effect: { kind: "basket", probability: 0.8, meanAmount: 4_000 },
    decision: "iterate",
    rationale: "仮説どおり、購入率は変わらず顧客あたり売上が伸びた。次のサイクルでは利用条件の金額を引き上げて試す。",
  },
  {
    key: "newsletter",
    name: "休眠顧客 LINE ニュースレター (demo)",
    segmentKey: "hibernating",
    objective: "activate",
    channel: "line",
    offer: "新商品のお知らせ",
    hypothesis: "新商品のお知らせで休眠顧客が再び購入する。",
    primaryKpi: "conversion",
    expectedLift: 0.2,
    holdoutRatio: 0.3,
    costPerContact: 3,
    fixedCost: 10_000,
    launchOffsetDays: 14,
    outcomeWindowDays: 30,
    effect: { kind: "none" },
    decision: "stop",
    rationale: "どの KPI にも検出できるリフトがなく、この内容では休眠顧客は動かない。中止してオファーを見直す。",
  },
  {
    key: "second_purchase",
    name: "新規顧客 2回目購入 DM (demo)",
    segmentKey: "new",
    objective: "activate",
    channel: "email",
    offer: "2回目のご購入で送料無料",
    hypothesis: "2回目の注文の送料無料で、初回購入者がリピーターになる。",
    primaryKpi: "conversion",
    expectedLift: 0.3,
    holdoutRatio: 0.3,
    costPerContact: 15,
    fixedCost: 20_000,
    launchOffsetDays: 21,
    outcomeWindowDays: 30,
    effect: { kind: "conversion", probability: 0.08, meanAmount: 4_500 },
    decision: null,
    rationale: "",
  },
  {
    key: "bonus_points",
    name: "優良顧客 ポイント2倍キャンペーン (demo)",
    segmentKey: "champions",
    objective: "upsell",
    channel: "points",
    offer: "期間中のご購入でポイント2倍",
    loyaltyOffer: { kind: "bonus_points", multiplier: 2 },
    hypothesis: "1か月のポイント2倍で、優良顧客が他店でしていたはずの購入をこちらに移す。",
    primaryKpi: "revenue_per_customer",
    expectedLift: 0.1,
    holdoutRatio: 0.3,
    costPerContact: 0,
    fixedCost: 20_000,
    launchOffsetDays: 28,
    outcomeWindowDays: 30,
    effect: { kind: "basket", probability: 0.5, meanAmount: 5_000 },
    decision: "adopt",
    rationale: "顧客あたり売上の伸びがボーナスポイントの負債コストを上回った。次のシーズンも優良顧客向けにポイント2倍を実施する。",
  },
];

export interface PlantedEffect {
  key: DemoCampaignSpec["key"];
  campaignId: number;
  treatmentN: number;
  controlN: number;
  plantedOrders: number;
  /** Realised effect on the treated: induced converters / treated customers (rate points). */
  trueConversionLift: number;
  /** Planted revenue / treated customers (currency per customer). */
  trueRevenueLiftPerCustomer: number;
  /** Planted orders / treated customers. */
  trueOrdersLiftPerCustomer: number;
}

/** A uniform in [0, 1) from md5 of its parts: deterministic and independent of row order. */
function uniform(...parts: (string | number)[]): number {
  return createHash("md5").update(parts.join(":")).digest().readUInt32BE(0) / 4_294_967_296;
}

/**
 * Plants the demo campaigns. Needs demo customers and orders reaching `asOf`; takes (or
 * reuses) a snapshot `DEMO_CAMPAIGN_SNAPSHOT_DAYS_BEFORE` days before `asOf` for the rosters.
 * Call it before computing the current snapshot so that snapshot's scores see the planted
 * orders. Refuses to plant twice.
 */
export async function seedDemoCampaigns(handle: DbHandle, options: { asOf: Date; seed: number }): Promise<PlantedEffect[]> {
  const [already] = await handle.query("select 1 from orders where external_id like 'demo-campaign-%' limit 1");
  if (already) throw conflict("Demo campaigns were already planted in this database.", "DEMO_ALREADY_PLANTED");
  const settings = await getSettings(handle.query);
  const rosterAsOf = new Date(options.asOf.getTime() - DEMO_CAMPAIGN_SNAPSHOT_DAYS_BEFORE * DAY_MS);
  // A win-back plan reads the same RF cells' past reactivation rate from a snapshot at least one
  // outcome window older than the roster's: take one first, so the demo's win-back plan has it.
  const windowDays = Math.max(...DEMO_CAMPAIGNS.map((c) => c.outcomeWindowDays));
  await snapshotAt(handle, new Date(rosterAsOf.getTime() - windowDays * DAY_MS));
  const snapshotId = await snapshotAt(handle, rosterAsOf);

  // Without the demo points programme (`seed --no-loyalty`) the bonus-points campaign has nothing
  // to grant: it is left out rather than failing the seed.
  const [points] = await handle.query("select 1 from loyalty_programmes where kind = 'points' and is_active");
  const planted: PlantedEffect[] = [];
  for (const spec of DEMO_CAMPAIGNS) {
    if (spec.loyaltyOffer && !points) continue;
    const [segment] = await handle.query<{ id: number }>("select id from segments where key = $1", [spec.segmentKey]);
    if (!segment) throw new Error(`The RFM segment ${spec.segmentKey} is missing.`);
    const campaign = await createCampaign(
      handle,
      null,
      {
        name: spec.name,
        segmentId: String(segment.id),
        snapshotId: String(snapshotId),
        objective: spec.objective,
        channel: spec.channel,
        offer: spec.offer,
        hypothesis: spec.hypothesis,
        primaryKpi: spec.primaryKpi,
        guardrailKpis: ["orders_per_customer"],
        expectedLift: spec.expectedLift,
        holdoutRatio: spec.holdoutRatio,
        costPerContact: spec.costPerContact,
        fixedCost: spec.fixedCost,
        outcomeWindowDays: spec.outcomeWindowDays,
        loyaltyOffer: spec.loyaltyOffer ?? null,
      },
      { assignmentSeed: `demo-${options.seed}-${spec.key}` },
    );
    await planCampaign(handle, null, campaign.id);
    const launchedAt = new Date(rosterAsOf.getTime() + (FIRST_LAUNCH_DAYS_AFTER_SNAPSHOT + spec.launchOffsetDays) * DAY_MS);
    await launchCampaign(handle, null, campaign.id, `demo-${options.seed}-${spec.key}-${campaign.id}`, { launchedAt, now: options.asOf });
    const windowTo = new Date(launchedAt.getTime() + spec.outcomeWindowDays * DAY_MS);

    const roster = await handle.query<{ customer_id: number; group: string; first_order: Date | null }>(
      `select a.customer_id, a."group", min(o.ordered_at) as first_order
         from campaign_assignments a
         left join orders o on o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $2 and o.ordered_at < $3
        where a.campaign_id = $1 group by a.customer_id, a."group" order by a.customer_id`,
      [campaign.id, launchedAt, windowTo],
    );
    const treated = roster.filter((r) => r.group === "treatment");
    const orders: { customerId: number; at: Date; amount: number }[] = [];
    const effect = spec.effect;
    for (const r of treated) {
      if (effect.kind === "none") break;
      const u = (salt: string) => uniform(options.seed, spec.key, r.customer_id, salt);
      const amount = Math.round(effect.meanAmount * (0.5 + u("amount")));
      if (effect.kind === "conversion" && r.first_order === null && u("effect") < effect.probability) {
        const at = new Date(launchedAt.getTime() + Math.floor(u("time") * (spec.outcomeWindowDays * DAY_MS - 3_600_000)));
        orders.push({ customerId: r.customer_id, at, amount });
      }
      if (effect.kind === "basket" && r.first_order !== null && u("effect") < effect.probability) {
        const at = new Date(Math.min(r.first_order.getTime() + 600_000, windowTo.getTime() - 1_000));
        orders.push({ customerId: r.customer_id, at, amount });
      }
    }
    if (orders.length > 0) {
      await handle.query(
        `insert into orders (external_id, customer_id, ordered_at, amount, status, channel, items)
         select 'demo-campaign-' || $1::text || '-' || t.customer_id, t.customer_id, t.at, t.amount, 'completed', 'online', 1
           from unnest($2::bigint[], $3::timestamptz[], $4::numeric[]) as t(customer_id, at, amount)`,
        [campaign.id, orders.map((o) => o.customerId), orders.map((o) => o.at.toISOString()), orders.map((o) => o.amount)],
      );
      await refreshRollups(handle.query, settings.timeZone, orders.map((o) => o.customerId));
      // The planted orders earn points and stamps like imported ones (and the bonus, for the bonus-points demo).
      await handle.transaction(({ query }) => syncLoyaltyForCustomers(query, [...new Set(orders.map((o) => o.customerId))], settings.timeZone, options.asOf));
    }
    const nT = treated.length;
    planted.push({
      key: spec.key,
      campaignId: campaign.id,
      treatmentN: nT,
      controlN: roster.length - nT,
      plantedOrders: orders.length,
      trueConversionLift: effect.kind === "conversion" ? orders.length / nT : 0,
      trueRevenueLiftPerCustomer: orders.reduce((s, o) => s + o.amount, 0) / nT,
      trueOrdersLiftPerCustomer: orders.length / nT,
    });

    const now = new Date(Math.max(Date.now(), options.asOf.getTime()));
    const measured = await measureCampaign(handle, null, campaign.id, { now });
    if (measured.status === "checked" && spec.decision) await reviewCampaign(handle, null, campaign.id, spec.decision, spec.rationale);
    await backdateHistory(handle, campaign.id, launchedAt, windowTo, now);
  }
  return planted;
}

/** The succeeded snapshot as of `asOf`, computed when there is none. */
async function snapshotAt(handle: DbHandle, asOf: Date): Promise<number> {
  const [existing] = await handle.query<{ id: number }>("select id from snapshots where status = 'succeeded' and as_of = $1 order by id desc limit 1", [asOf]);
  if (existing) return existing.id;
  const created = await createSnapshot(handle, null, { asOf });
  const done = await executeSnapshot(handle, created.id);
  if (done.status !== "succeeded") throw new Error(`The demo campaigns' snapshot as of ${asOf.toISOString()} failed: ${done.error}`);
  return done.id;
}

/**
 * The demo runs every step at seed time; its history should read as it would have happened:
 * created three days and planned one day before the launch, measured the day after the outcome
 * window closed, reviewed two days later (a next cycle's draft is created by that review); the
 * stored plan's and measurement's own times follow.
 */
async function backdateHistory(handle: DbHandle, campaignId: number, launchedAt: Date, windowTo: Date, now: Date): Promise<void> {
  const at = (ms: number) => new Date(Math.min(ms, now.getTime())).toISOString();
  const created = at(launchedAt.getTime() - 3 * DAY_MS);
  const planned = at(launchedAt.getTime() - DAY_MS);
  const measured = at(windowTo.getTime() + DAY_MS);
  const reviewed = at(windowTo.getTime() + 3 * DAY_MS);
  await handle.query(
    `update campaign_events set at = case kind when 'create' then $2::timestamptz when 'edit' then $2::timestamptz when 'plan' then $3::timestamptz
       when 'launch' then $4::timestamptz when 'review' then $6::timestamptz else $5::timestamptz end
     where campaign_id = $1`,
    [campaignId, created, planned, launchedAt.toISOString(), measured, reviewed],
  );
  await handle.query(
    `update campaigns set created_at = $2, reviewed_at = case when reviewed_at is null then null else $3::timestamptz end,
            plan = case when plan is null then null else jsonb_set(plan, '{computedAt}', to_jsonb($4::text)) end
      where id = $1`,
    [campaignId, created, reviewed, planned],
  );
  // The stored plan and measurement carry their own times, shown beside the events: the same days.
  await handle.query("update campaign_results set computed_at = $2 where campaign_id = $1", [campaignId, measured]);
  await handle.query(
    `update campaign_events set at = $2 where campaign_id in (select id from campaigns where parent_campaign_id = $1)`,
    [campaignId, reviewed],
  );
  await handle.query("update campaigns set created_at = $2, updated_at = $2 where parent_campaign_id = $1", [campaignId, reviewed]);
}
