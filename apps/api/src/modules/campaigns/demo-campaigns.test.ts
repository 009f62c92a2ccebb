import { createTestDb, testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { DEMO_AS_OF_DATE, seedScoredDemo } from "../../testing/demo.ts";
import { silentProgress } from "../../cli/progress.ts";
import { seedDemoData } from "../seed/seed.service.ts";
import { DEMO_CAMPAIGNS, seedDemoCampaigns, type PlantedEffect } from "./demo-campaigns.ts";

interface Lift {
  difference: number;
  differenceCi: { lower: number; upper: number };
  pValue: number;
  isSignificant: boolean;
}
interface Measured {
  campaign: {
    status: string;
    decision: string | null;
    roster: { treatment: number; control: number };
    latestResult: {
      isProvisional: boolean;
      conversion: Lift;
      revenuePerCustomer: Lift;
      ordersPerCustomer: Lift;
      srm: { isMismatch: boolean };
      cuped: { metric: string; varianceReduction: number; lift: Lift }[];
      did: { metric: string; estimate: number; ci: { lower: number; upper: number } }[];
      money: { incrementalRevenue: number; roi: number | null; campaignCost: number; loyaltyCost: number };
      loyalty: {
        offerKind: string;
        bonusPoints: number;
        pointValue: number;
        expectedRedemptionRate: number | null;
        liability: number;
        arms: { group: string; n: number; pointsEarned: number; bonusPoints: number; pointsRedeemed: number; redemptionRate: number | null }[];
      } | null;
      series: { day: number }[];
    };
  };
}

const MEASURED = `query($id: ID!) { campaign(id: $id) {
  status decision roster { treatment control }
  latestResult {
    isProvisional
    conversion { difference differenceCi { lower upper } pValue isSignificant }
    revenuePerCustomer { difference differenceCi { lower upper } pValue isSignificant }
    ordersPerCustomer { difference differenceCi { lower upper } pValue isSignificant }
    srm { isMismatch }
    cuped { metric varianceReduction lift { difference differenceCi { lower upper } pValue isSignificant } }
    did { metric estimate ci { lower upper } }
    money { incrementalRevenue roi campaignCost loyaltyCost }
    loyalty { offerKind bonusPoints pointValue expectedRedemptionRate liability arms { group n pointsEarned bonusPoints pointsRedeemed redemptionRate } }
    series { day }
  } } }`;

const contains = (ci: { lower: number; upper: number }, value: number) => ci.lower <= value && value <= ci.upper;

describe.each(testDatabaseKinds())("demo campaigns recover their planted effects on %s", (kind) => {
  let api: TestApi;
  let planted: PlantedEffect[];
  let cookie: string;
  const measured = new Map<string, Measured["campaign"]>();

  // One realisation of the demo (fixed seeds), large enough that each planted campaign's arms hold
  // 50–300 customers. The intervals' coverage over many realisations is campaign-planted.test.ts's job.
  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 4000);
    planted = await seedDemoCampaigns(api.db, { asOf: new Date(`${DEMO_AS_OF_DATE}T00:00:00+09:00`), seed: 8 });
    cookie = await api.loginAs("analyst");
    for (const p of planted) {
      const res = await api.gql<Measured>(MEASURED, { id: String(p.campaignId) }, { cookie });
      expect(res.errors).toBeUndefined();
      measured.set(p.key, (res.data as Measured).campaign);
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it("runs every demo campaign through the whole cycle; the last one waits in the review queue", () => {
    expect(planted.map((p) => p.key)).toEqual(["win_back", "coupon", "newsletter", "second_purchase", "bonus_points"]);
    for (const p of planted) {
      const c = measured.get(p.key);
      expect(c?.status).toBe(p.key === "second_purchase" ? "CHECKED" : "ACTED");
      expect(c?.latestResult.isProvisional).toBe(false);
      expect(c?.latestResult.srm.isMismatch).toBe(false);
      expect(c?.latestResult.series).toHaveLength(30);
      expect(c?.roster.treatment).toBe(p.treatmentN);
      expect(p.treatmentN).toBeGreaterThan(30);
    }
    expect(measured.get("win_back")?.decision).toBe("ADOPT");
    expect(measured.get("second_purchase")?.decision).toBeNull();
  });

  it("plans the win-back from the same RF cells' past reactivation rate (the demo has the older snapshot it needs)", async () => {
    const win = planted.find((p) => p.key === "win_back") as PlantedEffect;
    const [row] = await api.db.query<{ source: string; baseline: number; warnings: { code: string }[] }>(
      "select plan ->> 'baselineSource' as source, (plan ->> 'baselineConversion')::float8 as baseline, plan -> 'warnings' as warnings from campaigns where id = $1",
      [win.campaignId],
    );
    expect(row?.source).toBe("rf_cell_reactivation");
    expect(row?.baseline).toBeGreaterThan(0);
    expect(row?.warnings.map((w) => w.code)).not.toContain("NO_BASELINE");
  });

  it("the win-back's 95% intervals contain its true conversion and revenue lift, and the lift is significant", () => {
    const truth = planted.find((p) => p.key === "win_back") as PlantedEffect;
    const result = measured.get("win_back")?.latestResult;
    expect(truth.trueConversionLift).toBeGreaterThan(0.05);
    expect(contains(result!.conversion.differenceCi, truth.trueConversionLift)).toBe(true);
    expect(contains(result!.revenuePerCustomer.differenceCi, truth.trueRevenueLiftPerCustomer)).toBe(true);
    expect(result!.conversion.isSignificant).toBe(true);
    const cuped = result!.cuped.find((c) => c.metric === "CONVERSION");
    expect(contains(cuped!.lift.differenceCi, truth.trueConversionLift)).toBe(true);
    const did = result!.did.find((d) => d.metric === "CONVERSION");
    expect(contains(did!.ci, truth.trueConversionLift)).toBe(true);
  });

  it("the coupon's revenue interval contains its true lift, and its conversion interval contains zero", () => {
    const truth = planted.find((p) => p.key === "coupon") as PlantedEffect;
    const result = measured.get("coupon")?.latestResult;
    expect(truth.trueConversionLift).toBe(0);
    expect(truth.trueRevenueLiftPerCustomer).toBeGreaterThan(0);
    expect(contains(result!.revenuePerCustomer.differenceCi, truth.trueRevenueLiftPerCustomer)).toBe(true);
    expect(contains(result!.ordersPerCustomer.differenceCi, truth.trueOrdersLiftPerCustomer)).toBe(true);
    expect(contains(result!.conversion.differenceCi, 0)).toBe(true);
  });

  it("the bonus-points campaign recovers its planted revenue lift and reports points per arm, its liability counted in the cost", async () => {
    const truth = planted.find((p) => p.key === "bonus_points") as PlantedEffect;
    const result = measured.get("bonus_points")?.latestResult;
    expect(truth.trueRevenueLiftPerCustomer).toBeGreaterThan(0);
    expect(contains(result!.revenuePerCustomer.differenceCi, truth.trueRevenueLiftPerCustomer)).toBe(true);
    expect(contains(result!.ordersPerCustomer.differenceCi, truth.trueOrdersLiftPerCustomer)).toBe(true);
    const loyalty = result!.loyalty!;
    expect(loyalty.offerKind).toBe("BONUS_POINTS");
    const arm = (g: string) => loyalty.arms.find((a) => a.group === g)!;
    expect(arm("treatment").n).toBe(truth.treatmentN);
    expect(arm("control").n).toBe(truth.controlN);
    // Double points: the treatment's bonus is its rule points again (less rounding down per order); the control gets none.
    expect(arm("control").bonusPoints).toBe(0);
    expect(arm("treatment").bonusPoints).toBeGreaterThan(0);
    expect(arm("treatment").bonusPoints).toBeLessThanOrEqual(arm("treatment").pointsEarned);
    expect(arm("treatment").bonusPoints).toBeGreaterThan(arm("treatment").pointsEarned * 0.9);
    // The ledger agrees: every bonus entry names the campaign and belongs to a treatment customer.
    const [ledger] = await api.db.query<{ total: string; outside: number }>(
      `select coalesce(sum(e.points), 0)::text as total,
              count(*) filter (where a."group" is distinct from 'treatment')::int as outside
         from loyalty_point_entries e left join campaign_assignments a on a.campaign_id = e.source_campaign_id and a.customer_id = e.customer_id
        where e.source_campaign_id = $1 and e.source_order_id is not null`,
      [truth.campaignId],
    );
    expect(Number(ledger?.total)).toBe(loyalty.bonusPoints);
    expect(ledger?.outside).toBe(0);
    // Liability = bonus × point value × the programme's observed redemption rate, and it is part of the cost (¥20,000 fixed).
    expect(loyalty.expectedRedemptionRate).toBeGreaterThan(0);
    expect(loyalty.liability).toBeCloseTo(loyalty.bonusPoints * loyalty.pointValue * loyalty.expectedRedemptionRate!, 6);
    expect(result!.money.loyaltyCost).toBeCloseTo(loyalty.liability, 6);
    expect(result!.money.campaignCost).toBeCloseTo(20_000 + loyalty.liability, 6);
    // Campaigns without a loyalty offer report none.
    expect(measured.get("win_back")?.latestResult.loyalty).toBeNull();
  });

  it("the newsletter without an effect is not called significant", () => {
    const truth = planted.find((p) => p.key === "newsletter") as PlantedEffect;
    const result = measured.get("newsletter")?.latestResult;
    expect(truth.plantedOrders).toBe(0);
    expect(result!.conversion.isSignificant).toBe(false);
    expect(result!.revenuePerCustomer.isSignificant).toBe(false);
    expect(contains(result!.conversion.differenceCi, 0)).toBe(true);
    expect(result!.money.roi).toBeLessThan(0.5);
  });

  it("dates each demo campaign's history as it would have happened: created and planned before the launch, reviewed after the window", async () => {
    const rows = await api.db.query<{ campaign_id: number; kind: string; at: Date; launched_at: Date | null; created_at: Date; window_days: number; snapshot_as_of: Date }>(
      `select e.campaign_id, e.kind, e.at, c.launched_at, c.created_at, c.outcome_window_days as window_days, s.as_of as snapshot_as_of
         from campaign_events e join campaigns c on c.id = e.campaign_id join snapshots s on s.id = c.snapshot_id order by e.campaign_id, e.id`,
    );
    for (const p of planted) {
      const events = rows.filter((r) => r.campaign_id === p.campaignId);
      const launchedAt = (events[0]?.launched_at as Date).getTime();
      const when = (kind: string) => events.find((e) => e.kind === kind)?.at.getTime() ?? Number.NaN;
      // Nothing happens before the data the campaign is planned from exists.
      expect(when("create")).toBeGreaterThan((events[0]?.snapshot_as_of as Date).getTime());
      expect(when("create")).toBeLessThan(when("plan"));
      expect(when("plan")).toBeLessThan(launchedAt);
      expect(when("launch")).toBe(launchedAt);
      expect(when("measure")).toBeGreaterThan(launchedAt + (events[0]?.window_days ?? 0) * 86_400_000);
      expect(events[0]?.created_at.getTime()).toBe(when("create"));
      const sorted = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
      expect(sorted.map((e) => e.kind)).toEqual(events.map((e) => e.kind));
      // The stored plan and measurement show the same times as their events.
      const [stored] = await api.db.query<{ plan_at: string }>("select plan ->> 'computedAt' as plan_at from campaigns where id = $1", [p.campaignId]);
      const measured = await api.db.query<{ computed_at: Date }>("select computed_at from campaign_results where campaign_id = $1", [p.campaignId]);
      expect(new Date(stored?.plan_at ?? "").getTime()).toBe(when("plan"));
      expect(measured.map((r) => new Date(r.computed_at).getTime())).toEqual([when("measure")]);
    }
  });
});

describe("demo campaigns after `seed --no-loyalty`", () => {
  it("plants every campaign but the bonus-points one, which has no points programme to grant", async () => {
    const db = await createTestDb("pglite");
    try {
      const asOf = new Date(`${DEMO_AS_OF_DATE}T00:00:00+09:00`);
      await seedDemoData(db, { seed: 7, customers: 1500, years: 2, asOf, loyalty: false, progress: silentProgress });
      const planted = await seedDemoCampaigns(db, { asOf, seed: 8 });
      expect(planted.map((p) => p.key)).toEqual(DEMO_CAMPAIGNS.filter((c) => !c.loyaltyOffer).map((c) => c.key));
      expect(planted.length).toBeGreaterThanOrEqual(3);
    } finally {
      await db.destroy();
    }
  });
});
