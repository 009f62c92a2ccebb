// Loyalty offers on campaigns: the offer's checks (fields, then the programme at plan time), the
// bonus the earning path gives treatment-arm orders inside the window (none to the control arm,
// none outside the window, nothing more on a replay, reversed with a refund), bonus stamps, and
// the measurement's points per arm with the liability in the cost.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { importOrders } from "../import/orders-import.service.ts";
import { launchCampaign } from "./campaign-launch.service.ts";
import { measureCampaign } from "./campaign-measure.service.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { createCampaign, getCampaign } from "./campaign.service.ts";

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id loyaltyOffer { kind multiplier bonusStamps } } }`;
const LAUNCHED_AT = new Date("2025-06-02T00:00:00+09:00");
const SEEN = new Date("2025-06-20T00:00:00+09:00");

describe.each(testDatabaseKinds())("loyalty offers on campaigns (%s)", (kind) => {
  let api: TestApi;
  let cookie: string;
  let segmentId: string;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 800);
    cookie = await api.loginAs("operator");
    const [largest] = await api.db.query<{ segment_id: number }>("select segment_id from segment_members group by segment_id order by count(*) desc limit 1");
    segmentId = String(largest?.segment_id);
  }, 300_000);
  afterAll(async () => {
    await api.close();
  });

  const base = () => ({ name: "bonus", segmentId, objective: "UPSELL", channel: "POINTS", holdoutRatio: 0.3 });
  const problems = async (loyaltyOffer: Record<string, unknown>) => {
    const res = await api.gql(CREATE, { input: { ...base(), loyaltyOffer } }, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    return res.errors?.[0]?.extensions?.problems ?? [];
  };

  it("refuses an offer with a missing or out-of-range factor, or a field of another kind, naming the field", async () => {
    expect(await problems({ kind: "BONUS_POINTS" })).toEqual([{ path: "input.loyaltyOffer.multiplier", message: "is required", reason: "REQUIRED" }]);
    expect(await problems({ kind: "BONUS_POINTS", multiplier: 1 })).toEqual([{ path: "input.loyaltyOffer.multiplier", message: expect.stringMatching(/above 1/), reason: "MULTIPLIER_RANGE", params: { max: 10 } }]);
    expect(await problems({ kind: "BONUS_POINTS", multiplier: 25 })).toEqual([{ path: "input.loyaltyOffer.multiplier", message: expect.stringMatching(/at most 10/), reason: "MULTIPLIER_RANGE", params: { max: 10 } }]);
    expect(await problems({ kind: "BONUS_STAMPS", bonusStamps: 0 })).toEqual([{ path: "input.loyaltyOffer.bonusStamps", message: expect.stringMatching(/1 to 10/), reason: "WHOLE_NUMBER", params: { min: 1, max: 10 } }]);
    expect(await problems({ kind: "EXPIRING_POINTS_REMINDER", multiplier: 2 })).toEqual([{ path: "input.loyaltyOffer.multiplier", message: expect.stringMatching(/only to bonus points/), reason: "NOT_APPLICABLE", params: { appliesTo: "bonus points" } }]);
    const ok = await api.gql<{ createCampaign: { loyaltyOffer: unknown } }>(CREATE, { input: { ...base(), loyaltyOffer: { kind: "BONUS_POINTS", multiplier: 1.5 } } }, { cookie });
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.createCampaign.loyaltyOffer).toEqual({ kind: "BONUS_POINTS", multiplier: 1.5, bonusStamps: null });
  });

  it("plans an offer only while its programme is active", async () => {
    const c = await createCampaign(api.db, null, { ...base(), objective: "upsell", channel: "points", loyaltyOffer: { kind: "bonus_stamps", bonusStamps: 1 } });
    await api.db.query("update loyalty_programmes set is_active = false where kind = 'stamps'");
    try {
      await expect(planCampaign(api.db, null, c.id)).rejects.toThrow(/needs an active stamp card/);
      expect((await getCampaign(api.db.db, c.id)).status).toBe("draft");
    } finally {
      await api.db.query("update loyalty_programmes set is_active = true where kind = 'stamps'");
    }
    expect((await planCampaign(api.db, null, c.id)).status).toBe("planned");
  });

  it("gives treatment-arm orders in the window k × their points and nothing to the control arm; replay, refund and measurement agree", async () => {
    const c = await createCampaign(api.db, null, { ...base(), objective: "upsell", channel: "points", fixedCost: 1000, loyaltyOffer: { kind: "bonus_points", multiplier: 3 } });
    await planCampaign(api.db, null, c.id);
    await launchCampaign(api.db, null, c.id, `bonus-${kind}`, { launchedAt: LAUNCHED_AT });
    const pick = async (group: string) => {
      const [row] = await api.db.query<{ id: number; external_id: string }>(
        `select cu.id, cu.external_id from campaign_assignments a join customers cu on cu.id = a.customer_id
          where a.campaign_id = $1 and a."group" = $2 order by cu.id limit 1`,
        [c.id, group],
      );
      return { id: Number(row?.id), ext: row?.external_id as string };
    };
    const t = await pick("treatment");
    const k = await pick("control");
    // Demo rule from a year before the as-of: 1.5 points per ¥100 (floor) → ¥10,000 = 150 points; the bonus is 150 × (3 − 1) = 300.
    const orders = (status: string) =>
      `external_id,customer_external_id,ordered_at,amount,status\n` +
      `lb-t1,${t.ext},2025-06-10 12:00,10000,${status}\n` +
      `lb-c1,${k.ext},2025-06-10 12:00,10000,completed\n` +
      `lb-t2,${t.ext},2025-07-10 12:00,10000,completed\n`;
    await importOrders({ handle: api.db, source: orders("completed"), label: "lb.csv", now: new Date("2025-07-11T00:00:00+09:00") });
    const entries = async (customerId: number) =>
      api.db.query<{ ext: string; points: string; campaign: number | null; key: string }>(
        `select o.external_id as ext, e.points::text, e.source_campaign_id as campaign, e.idempotency_key as key
           from loyalty_point_entries e join orders o on o.id = e.source_order_id
          where e.customer_id = $1 and o.external_id like 'lb-%' order by e.id`,
        [customerId],
      );
    const tRows = await entries(t.id);
    expect(tRows.map((r) => [r.ext, Number(r.points), r.campaign === null ? null : Number(r.campaign)])).toEqual(
      expect.arrayContaining([
        ["lb-t1", 150, null],
        ["lb-t1", 300, c.id],
        ["lb-t2", 150, null],
      ]),
    );
    expect(tRows).toHaveLength(3);
    expect((await entries(k.id)).map((r) => [r.ext, Number(r.points), r.campaign])).toEqual([["lb-c1", 150, null]]);

    // Replay: nothing new.
    const [before] = await api.db.query<{ n: number }>("select count(*)::int as n from loyalty_point_entries");
    await importOrders({ handle: api.db, source: orders("completed"), label: "lb.csv", now: new Date("2025-07-12T00:00:00+09:00") });
    expect((await api.db.query<{ n: number }>("select count(*)::int as n from loyalty_point_entries"))[0]).toEqual(before);

    // Measured (provisional, window still open at SEEN): the bonus and the liability in the cost.
    const measured = await measureCampaign(api.db, null, c.id, { now: SEEN });
    expect(measured.id).toBe(c.id);
    const [stored] = await api.db.query<{ results: { loyalty: { arms: { group: string; bonusPoints: number; pointsEarned: number }[]; bonusPoints: number; liability: number; pointValue: number; expectedRedemptionRate: number }; money: { campaignCost: number; loyaltyCost: number } } }>(
      "select results from campaign_results where campaign_id = $1 order by id desc limit 1",
      [c.id],
    );
    const loyalty = stored!.results.loyalty;
    expect(loyalty.arms.find((a) => a.group === "treatment")).toMatchObject({ bonusPoints: 300 });
    expect(loyalty.arms.find((a) => a.group === "control")).toMatchObject({ bonusPoints: 0 });
    expect(loyalty.bonusPoints).toBe(300);
    expect(loyalty.pointValue).toBe(1);
    expect(loyalty.expectedRedemptionRate).toBeGreaterThan(0);
    expect(loyalty.liability).toBeCloseTo(300 * loyalty.expectedRedemptionRate, 6);
    expect(stored!.results.money.campaignCost).toBeCloseTo(1000 + loyalty.liability, 6);

    // A refund takes back the order's points and its bonus.
    await importOrders({ handle: api.db, source: orders("refunded"), label: "lb.csv", now: new Date("2025-07-13T00:00:00+09:00") });
    const net = await api.db.query<{ campaign: number | null; net: string }>(
      `select e.source_campaign_id as campaign, sum(e.points)::text as net from loyalty_point_entries e join orders o on o.id = e.source_order_id
        where o.external_id = 'lb-t1' group by e.source_campaign_id order by 1 nulls first`,
    );
    expect(net.map((r) => Number(r.net))).toEqual([0, 0]);
  });

  it("adds bonus stamps to treatment-arm purchases in the window", async () => {
    const c = await createCampaign(api.db, null, { ...base(), objective: "upsell", channel: "points", loyaltyOffer: { kind: "bonus_stamps", bonusStamps: 2 } });
    await planCampaign(api.db, null, c.id);
    await launchCampaign(api.db, null, c.id, `stamps-${kind}`, { launchedAt: LAUNCHED_AT });
    const [t] = await api.db.query<{ id: number; external_id: string }>(
      `select cu.id, cu.external_id from campaign_assignments a join customers cu on cu.id = a.customer_id
        where a.campaign_id = $1 and a."group" = 'treatment' order by cu.id desc limit 1`,
      [c.id],
    );
    // Demo stamp rule: one stamp per day with an order of ¥3,000 or more → 1 + 2 bonus stamps.
    await importOrders({ handle: api.db, source: `external_id,customer_external_id,ordered_at,amount\nls-1,${t?.external_id},2025-06-11 12:00,5000\n`, label: "ls.csv", now: SEEN });
    const rows = await api.db.query<{ campaign: number | null; n: number }>(
      `select e.source_campaign_id as campaign, sum(e.stamps)::int as n from loyalty_stamp_entries e join orders o on o.id = e.source_order_id
        where o.external_id = 'ls-1' group by 1 order by 1 nulls first`,
    );
    expect(rows.map((r) => [r.campaign === null ? null : Number(r.campaign), r.n])).toEqual([
      [null, 1],
      [c.id, 2],
    ]);
    // The cards count all three stamps.
    const [cards] = await api.db.query<{ stamps: number }>("select coalesce(sum(stamps), 0)::int as stamps from loyalty_stamp_cards where customer_id = $1", [t?.id]);
    const [ledger] = await api.db.query<{ stamps: number }>("select coalesce(sum(stamps), 0)::int as stamps from loyalty_stamp_entries where customer_id = $1", [t?.id]);
    expect(cards?.stamps).toBe(ledger?.stamps);
  });
});
