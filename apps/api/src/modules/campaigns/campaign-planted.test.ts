// Planted-effect suite (issue 13): a buy-till-you-die population simulated here, campaigns
// planned and launched through the service layer with the clock controlled (launch time and
// measurement time are arguments), outcome orders generated with known effects, and the
// measurements checked against the truth: interval coverage, false positives on nulls, ROI
// coverage, the observable-customer SRM firing when one arm's data is lost, provisional looks
// counting only what happened up to "now". Many campaigns share one database and population;
// each campaign gets its own 14-day window so their outcome orders never mix.
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshRollups } from "../orders/rollups.service.ts";
import type { SegmentKindEnum } from "../segments/segment.type.ts";
import { createSegment } from "../segments/segment.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { latestResultsFor, measureCampaign, type MeasureResults } from "./campaign-measure.service.ts";
import { launchCampaign } from "./campaign-launch.service.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { createCampaign } from "./campaign.service.ts";
import { minimumDetectableEffectMean, minimumDetectableEffectProportion } from "@ltvloop/scoring/lift/power";
import { powerAnalysis } from "./campaign-plan.service.ts";
import { mulberry32 } from "@ltvloop/scoring/random";

const DAY = 86_400_000;
const AS_OF = new Date("2025-06-01T00:00:00+09:00");
const WINDOW_DAYS = 14;
const CUSTOMERS = 1000;
const NULL_CAMPAIGNS = 134;
const EFFECT_CAMPAIGNS = 66;
/** Treatment multiplies each customer's purchase rate by this in effect campaigns. */
const RATE_LIFT = 1.8;
const MARGIN = 0.3;
const COST_PER_CONTACT = 15;

const rand = mulberry32(20261203);
const exp1 = () => -Math.log(1 - rand());
function gamma(shape: number, scale: number): number {
  if (shape < 1) return gamma(shape + 1, scale) * rand() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(rand()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}
function poisson(mean: number): number {
  let k = 0;
  let t = exp1();
  while (t < mean) {
    k += 1;
    t += exp1();
  }
  return k;
}

interface Customer {
  id: number;
  /** Purchases per day (Pareto/NBD-style heterogeneity: λ ~ Gamma(0.7, 0.012/0.7)). */
  lambda: number;
  /** Mean spend per order (Gamma-Gamma-style: ν ~ Gamma(4, 1500)); orders ~ Gamma(6, ν/6). */
  spend: number;
}

describe.each(testDatabaseKinds().slice(-1))("planted effects through the service layer on %s", (kind) => {
  let db: TestDatabase;
  let segmentId: number;
  let population: Customer[] = [];
  const byId = new Map<number, Customer>();
  let orderSeq = 0;

  async function insertOrders(rows: { customerId: number; at: Date; amount: number }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await db.query(
        `insert into orders (external_id, customer_id, ordered_at, amount)
         select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[])`,
        [chunk.map(() => `P-${(orderSeq += 1)}`), chunk.map((r) => r.customerId), chunk.map((r) => r.at.toISOString()), chunk.map((r) => Math.round(r.amount))],
      );
    }
  }

  beforeAll(async () => {
    db = await createTestDb(kind);
    const ids = await db.query<{ id: number }>(
      `insert into customers (external_id, name) select 'S-' || g, 'Simulated ' || g from generate_series(1, $1) g returning id`,
      [CUSTOMERS],
    );
    population = ids.map((r) => ({ id: Number(r.id), lambda: gamma(0.7, 0.012 / 0.7), spend: gamma(4, 1500) }));
    for (const c of population) byId.set(c.id, c);
    // A year of history: a first purchase somewhere in the year, then Poisson repeat purchases.
    const history: { customerId: number; at: Date; amount: number }[] = [];
    for (const c of population) {
      let t = AS_OF.getTime() - rand() * 365 * DAY;
      do {
        history.push({ customerId: c.id, at: new Date(t), amount: gamma(6, c.spend / 6) });
        t += (exp1() / c.lambda) * DAY;
      } while (t < AS_OF.getTime());
    }
    await insertOrders(history);
    await refreshRollups(db.query, "Asia/Tokyo");
    // Bulk inserts outpace autovacuum's statistics; without them the planner picks nested loops.
    await db.query("analyze");
    const snap = await createSnapshot(db, null, { asOfDate: "2025-06-01" });
    const done = await executeSnapshot(db, snap.id);
    expect(done.status).toBe("succeeded");
    const cells = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((f) => ({ r, f })));
    const segment = await createSegment(db, null, { name: "Everyone", description: "all RF cells", kind: "rfm" as SegmentKindEnum, definition: { cells } });
    segmentId = Number(segment.id);
  }, 300_000);
  afterAll(async () => {
    await db?.destroy();
  });

  /** True effects over the roster, from each customer's known rate and spend. */
  function truth(customerIds: number[], multiplier: number) {
    const w = WINDOW_DAYS;
    let conv = 0;
    let rev = 0;
    for (const id of customerIds) {
      const c = byId.get(id) as Customer;
      conv += Math.exp(-c.lambda * w) - Math.exp(-c.lambda * w * multiplier);
      rev += c.lambda * w * (multiplier - 1) * c.spend;
    }
    return { conversion: conv / customerIds.length, revenue: rev / customerIds.length };
  }

  let slot = 0;
  /** Plans and launches a campaign in its own window, then plants its outcome orders. */
  async function run(name: string, multiplier: number, options: { holdout?: number } = {}) {
    const launchedAt = new Date(AS_OF.getTime() + DAY + slot * (WINDOW_DAYS + 1) * DAY);
    slot += 1;
    const created = await createCampaign(db, null, {
      name,
      segmentId: String(segmentId),
      objective: "retain",
      channel: "coupon",
      holdoutRatio: options.holdout ?? 0.5,
      outcomeWindowDays: WINDOW_DAYS,
      costPerContact: COST_PER_CONTACT,
      fixedCost: 0,
      margin: MARGIN,
    }, { assignmentSeed: `planted-${slot}` });
    await planCampaign(db, null, created.id);
    await launchCampaign(db, null, created.id, `planted-${created.id}`, { launchedAt });
    const roster = await db.query<{ customer_id: number; group: string }>(`select customer_id, "group" from campaign_assignments where campaign_id = $1`, [created.id]);
    const outcome: { customerId: number; at: Date; amount: number }[] = [];
    for (const r of roster) {
      const c = byId.get(Number(r.customer_id)) as Customer;
      const rate = c.lambda * (r.group === "treatment" ? multiplier : 1);
      const k = poisson(rate * WINDOW_DAYS);
      for (let i = 0; i < k; i += 1) outcome.push({ customerId: c.id, at: new Date(launchedAt.getTime() + rand() * WINDOW_DAYS * DAY), amount: gamma(6, c.spend / 6) });
    }
    await insertOrders(outcome);
    const treated = roster.filter((r) => r.group === "treatment").map((r) => Number(r.customer_id));
    return { id: created.id, launchedAt, windowEnd: new Date(launchedAt.getTime() + WINDOW_DAYS * DAY), roster, treated, truth: truth(treated, multiplier) };
  }

  const covers = (ci: { lower: number; upper: number } | null | undefined, v: number) => Boolean(ci && ci.lower <= v && v <= ci.upper);
  /** One-sided 99% upper tolerance of an observed rate whose expectation is at most `p`. */
  const upper99 = (p: number, n: number) => p + 2.33 * Math.sqrt((p * (1 - p)) / n);

  const finals: { kind: "null" | "effect"; truth: { conversion: number; revenue: number }; treatedN: number; result: MeasureResults }[] = [];

  it(`measures ${NULL_CAMPAIGNS} null and ${EFFECT_CAMPAIGNS} planted-effect campaigns at the window's end`, async () => {
    for (let i = 0; i < NULL_CAMPAIGNS + EFFECT_CAMPAIGNS; i += 1) {
      if (i % 20 === 10) {
        await db.query("analyze orders");
        await db.query("analyze campaign_assignments");
      }
      const isNull = i % 3 !== 2 || i >= 3 * EFFECT_CAMPAIGNS;
      const c = await run(`planted ${i}`, isNull ? 1 : RATE_LIFT);
      await measureCampaign(db, null, c.id, { now: new Date(c.windowEnd.getTime() + DAY) });
      const [row] = await latestResultsFor(db.query, [c.id]);
      finals.push({ kind: isNull ? "null" : "effect", truth: c.truth, treatedN: c.treated.length, result: (row as { results: MeasureResults }).results });
    }
    expect(finals).toHaveLength(NULL_CAMPAIGNS + EFFECT_CAMPAIGNS);
    expect(finals.every((f) => !f.result.isProvisional && f.result.conversion.analysis === "fixed_horizon")).toBe(true);
  }, 1_200_000);

  it("covers the planted conversion and revenue lifts about 95% of the time over every campaign", () => {
    const n = finals.length;
    const conv = finals.filter((f) => covers(f.result.conversion.differenceCi, f.truth.conversion)).length / n;
    const rev = finals.filter((f) => covers(f.result.revenuePerCustomer.differenceCi, f.truth.revenue)).length / n;
    console.info(`planted suite: ${n} campaigns; coverage conversion ${(conv * 100).toFixed(1)}%, revenue ${(rev * 100).toFixed(1)}%`);
    // 95% ± 3 binomial standard errors over n campaigns.
    const tol = 3 * Math.sqrt((0.95 * 0.05) / n);
    for (const rate of [conv, rev]) {
      expect(rate).toBeGreaterThan(0.95 - tol);
      expect(rate).toBeLessThanOrEqual(1);
    }
  });

  it("keeps false positives on null campaigns at the 5% level, and every verdict agrees with its intervals", () => {
    const nulls = finals.filter((f) => f.kind === "null");
    const fpConv = nulls.filter((f) => f.result.conversion.isSignificant).length / nulls.length;
    const fpRev = nulls.filter((f) => f.result.revenuePerCustomer.isSignificant).length / nulls.length;
    const profitable = nulls.filter((f) => (f.result.money as { isProfitable: boolean }).isProfitable).length;
    console.info(`planted suite: ${nulls.length} nulls; false positives conversion ${(fpConv * 100).toFixed(1)}%, revenue ${(fpRev * 100).toFixed(1)}%; called profitable ${profitable}`);
    expect(fpConv).toBeLessThanOrEqual(upper99(0.05, nulls.length));
    expect(fpRev).toBeLessThanOrEqual(upper99(0.05, nulls.length));
    // True ROI of a null campaign is −100%: "profitable" needs the whole ROI interval above 0,
    // which a 95% interval allows in at most its one-sided 2.5% tail.
    expect(profitable / nulls.length).toBeLessThanOrEqual(upper99(0.025, nulls.length));
    for (const f of finals) {
      for (const l of [f.result.conversion, f.result.revenuePerCustomer, f.result.ordersPerCustomer, ...f.result.cuped.map((c) => c.lift)]) {
        const excludes = l.differenceCi.lower > 0 || l.differenceCi.upper < 0;
        expect(l.isSignificant).toBe(excludes);
        if (l.relativeLiftCi && l.control > 0) expect(l.relativeLiftCi.lower > 0 || l.relativeLiftCi.upper < 0).toBe(excludes);
      }
    }
    // The observable-customer SRM never fires when nothing was lost.
    expect(finals.filter((f) => f.result.srm.isMismatch)).toHaveLength(0);
  });

  it("detects the planted effect in most effect campaigns and covers the planted ROI", () => {
    const effects = finals.filter((f) => f.kind === "effect");
    const power = effects.filter((f) => f.result.conversion.verdict === "increase").length / effects.length;
    const roiCover = finals.filter((f) => {
      const m = f.result.money as { roiCi: { lower: number; upper: number } | null; campaignCost: number };
      const trueRoi = (MARGIN * f.treatedN * f.truth.revenue - m.campaignCost) / m.campaignCost;
      return covers(m.roiCi, trueRoi);
    }).length / finals.length;
    console.info(`planted suite: ${effects.length} effect campaigns; conversion lift detected ${(power * 100).toFixed(1)}%; ROI coverage ${(roiCover * 100).toFixed(1)}%`);
    expect(power).toBeGreaterThan(0.5);
    expect(roiCover).toBeGreaterThan(0.95 - 3 * Math.sqrt((0.95 * 0.05) / finals.length));
  });

  it("fires the SRM check when 20% of one arm's customers lose their data, where the conversion lift alone would mislead", async () => {
    let fired = 0;
    const runs = 4;
    for (let i = 0; i < runs; i += 1) {
      const c = await run(`lost data ${i}`, 1);
      const control = c.roster.filter((r) => r.group === "control").map((r) => Number(r.customer_id));
      const lost = control.slice(0, Math.floor(control.length * 0.2));
      // A feed that lost these customers' records: their orders are gone (history and outcome).
      const gone = await db.query<{ external_id: string; customer_id: number; ordered_at: Date; amount: string }>(
        "delete from orders where customer_id = any($1::bigint[]) returning external_id, customer_id, ordered_at, amount",
        [lost],
      );
      await measureCampaign(db, null, c.id, { now: new Date(c.windowEnd.getTime() + DAY) });
      const [row] = await latestResultsFor(db.query, [c.id]);
      const r = (row as { results: MeasureResults }).results;
      const control2 = r.srm.arms?.find((a) => a.group === "control");
      expect(control2?.historyMissing).toBe(lost.length);
      if (r.srm.isMismatch) fired += 1;
      // Restore exactly what was lost so later campaigns see the same population.
      await db.query(
        `insert into orders (external_id, customer_id, ordered_at, amount) select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[])`,
        [gone.map((g) => g.external_id), gone.map((g) => g.customer_id), gone.map((g) => new Date(g.ordered_at).toISOString()), gone.map((g) => g.amount)],
      );
    }
    expect(fired).toBe(runs);
  }, 120_000);

  it("counts only what happened up to now on a provisional look: totals and the daily series agree, and the interval is always-valid", async () => {
    const c = await run("provisional look", RATE_LIFT);
    const now = new Date(c.launchedAt.getTime() + 5.5 * DAY);
    await measureCampaign(db, null, c.id, { now });
    const [row] = await latestResultsFor(db.query, [c.id]);
    const r = (row as { results: MeasureResults }).results;
    expect(r.isProvisional).toBe(true);
    expect(r.countedUntil).toBe(now.toISOString());
    expect(r.provisionalReasons?.[0]).toMatch(/outcome window runs until/);
    const [counted] = await db.query<{ t: number }>(
      `select count(distinct o.customer_id)::int as t from orders o join campaign_assignments a on a.customer_id = o.customer_id and a.campaign_id = $1
        where a."group" = 'treatment' and o.status = 'completed' and o.ordered_at >= $2 and o.ordered_at < $3`,
      [c.id, c.launchedAt, now],
    );
    const treatment = r.groups.find((g) => g.group === "treatment");
    expect(treatment?.converters).toBe(counted?.t);
    const last = r.series.at(-1);
    expect(r.series).toHaveLength(6);
    expect(last?.treatmentConversion).toBeCloseTo(treatment?.conversion ?? -1, 12);
    expect(last?.treatmentRevenuePerCustomer).toBeCloseTo(treatment?.revenuePerCustomer ?? -1, 6);
    expect(r.conversion.analysis).toBe("sequential");
    const fixed = r.conversion.fixedHorizon;
    expect(fixed).toBeTruthy();
    // The always-valid interval is wider than the fixed-horizon one of the same data.
    expect(r.conversion.differenceCi.upper - r.conversion.differenceCi.lower).toBeGreaterThan((fixed?.differenceCi.upper ?? 0) - (fixed?.differenceCi.lower ?? 0));
    expect((r.money as { probabilityRoiPositive: number | null }).probabilityRoiPositive).toBeNull();
  }, 60_000);

  it("keeps a result provisional while orders are not complete to the window's end, and says why", async () => {
    const c = await run("incomplete feed", 1);
    const complete = new Date(c.launchedAt.getTime() + 7 * DAY);
    await db.query("insert into data_watermarks (id, orders_complete_until, note) values (1, $1, 'incremental feed')", [complete]);
    try {
      await measureCampaign(db, null, c.id, { now: new Date(c.windowEnd.getTime() + 3 * DAY) });
      const [row] = await latestResultsFor(db.query, [c.id]);
      const r = (row as { results: MeasureResults }).results;
      expect(r.isProvisional).toBe(true);
      expect(r.countedUntil).toBe(complete.toISOString());
      expect(r.ordersCompleteUntil).toBe(complete.toISOString());
      expect(r.provisionalReasons?.join(" ")).toMatch(/complete only up to .*set by an admin/);
      expect(r.series).toHaveLength(7);
    } finally {
      await db.query("delete from data_watermarks");
    }
  }, 60_000);

  it("plans a win-back from the same RF cells' past reactivation rate and says how many days until the expected lift is detectable", async () => {
    const [main] = await db.query<{ id: number }>("select id from snapshots order by as_of desc limit 1");
    const plain = await powerAnalysis(db.query, { segmentId, snapshotId: main?.id, channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: 30, expectedLift: 0.3, objective: "win_back" });
    expect(plain.baselineSource).toBe("segment_history");
    const earlier = await createSnapshot(db, null, { asOfDate: "2025-04-01" });
    expect((await executeSnapshot(db, earlier.id)).status).toBe("succeeded");
    const plan = await powerAnalysis(db.query, { segmentId, snapshotId: main?.id, channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: 30, expectedLift: 0.3, objective: "win_back" });
    expect(plan.baselineSource).toBe("rf_cell_reactivation");
    expect(plan.reactivationSnapshotId).toBe(earlier.id);
    // Any other objective forecasts the control's conversion the same way (not from the
    // segment's own last window), named as such.
    const activate = await powerAnalysis(db.query, { segmentId, snapshotId: main?.id, channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: 30, expectedLift: 0.3, objective: "activate" });
    expect(activate.baselineSource).toBe("rf_cell_history");
    expect(activate.baselineConversion).toBe(plan.baselineConversion);
    // Independently: per RF cell of the earlier snapshot, who bought in the 30 days after it;
    // weighted by the segment's cell mix in the main snapshot.
    const prevAsOf = new Date("2025-04-01T00:00:00+09:00").getTime();
    const cellsPrev = await db.query<{ customer_id: number; r_score: number; f_score: number }>("select customer_id, r_score, f_score from customer_scores where snapshot_id = $1", [earlier.id]);
    const windowOrders = await db.query<{ customer_id: number; amount: string }>(
      "select customer_id, amount from orders where status = 'completed' and ordered_at >= $1 and ordered_at < $2",
      [new Date(prevAsOf).toISOString(), new Date(prevAsOf + 30 * DAY).toISOString()],
    );
    const bought = new Map<number, { orders: number; revenue: number }>();
    for (const o of windowOrders) {
      const e = bought.get(Number(o.customer_id)) ?? { orders: 0, revenue: 0 };
      e.orders += 1;
      e.revenue += Number(o.amount);
      bought.set(Number(o.customer_id), e);
    }
    // Per cell of the earlier snapshot: customers, buyers, and sums of revenue, revenue², orders, orders².
    const rate = new Map<string, { n: number; k: number; rev: number; rev2: number; ord: number; ord2: number }>();
    for (const c of cellsPrev) {
      const key = `${c.r_score}${c.f_score}`;
      const e = rate.get(key) ?? { n: 0, k: 0, rev: 0, rev2: 0, ord: 0, ord2: 0 };
      const b = bought.get(Number(c.customer_id));
      e.n += 1;
      if (b) {
        e.k += 1;
        e.rev += b.revenue;
        e.rev2 += b.revenue ** 2;
        e.ord += b.orders;
        e.ord2 += b.orders ** 2;
      }
      rate.set(key, e);
    }
    const mix = await db.query<{ r_score: number; f_score: number; w: number }>(
      "select s.r_score, s.f_score, count(*)::int as w from segment_members m join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id where m.segment_id = $1 and m.snapshot_id = $2 group by 1, 2",
      [segmentId, main?.id],
    );
    let num = 0;
    let den = 0;
    const m1 = { rev: 0, rev2: 0, ord: 0, ord2: 0 };
    for (const m of mix) {
      const e = rate.get(`${m.r_score}${m.f_score}`);
      if (!e) continue;
      num += m.w * (e.k / e.n);
      den += m.w;
      for (const k of ["rev", "rev2", "ord", "ord2"] as const) m1[k] += (m.w * e[k]) / e.n;
    }
    expect(plan.baselineConversion).toBeCloseTo(num / den, 10);
    // Revenue and orders per customer come from the same forecast (not the segment's own last
    // window), with the mixture's spread, and the baseline window is the one read.
    const sd = (a: number, b: number) => Math.sqrt((b / den - (a / den) ** 2) * (den / (den - 1)));
    expect(plan.baselineRevenuePerCustomer).toBeCloseTo(m1.rev / den, 6);
    expect(plan.baselineRevenueStandardDeviation).toBeCloseTo(sd(m1.rev, m1.rev2), 6);
    expect(plan.baselineOrdersPerCustomer).toBeCloseTo(m1.ord / den, 10);
    expect(plan.baselineOrdersStandardDeviation).toBeCloseTo(sd(m1.ord, m1.ord2), 8);
    expect(activate.baselineRevenuePerCustomer).toBe(plan.baselineRevenuePerCustomer);
    expect(plain.baselineRevenuePerCustomer).not.toBeCloseTo(plan.baselineRevenuePerCustomer, 2);
    expect([plan.baselineFrom, plan.baselineTo]).toEqual([new Date(prevAsOf).toISOString(), new Date(prevAsOf + 30 * DAY).toISOString()]);
    expect(plan.mdeRevenuePerCustomer?.absolute).toBeCloseTo(
      minimumDetectableEffectMean({ n: plan.eligibleCustomers, baselineMean: m1.rev / den, standardDeviation: sd(m1.rev, m1.rev2), holdoutRatio: 0.5, alpha: 0.05, power: 0.8 }).absolute,
      6,
    );
    // Days to detect: at that many days the MDE reaches the expected lift, a day earlier it does not.
    const d = plan.daysToDetect as number;
    expect(d).toBeGreaterThan(0);
    const lambda = -Math.log(1 - plan.baselineConversion) / 30;
    const mdeAt = (days: number) => minimumDetectableEffectProportion({ n: plan.eligibleCustomers, baselineRate: 1 - Math.exp(-lambda * days), holdoutRatio: 0.5, alpha: 0.05, power: 0.8 }).relative;
    expect(mdeAt(d)).toBeLessThanOrEqual(0.3);
    if (d > 1) expect(mdeAt(d - 1)).toBeGreaterThan(0.3);
    // Through a read cache (the server's): every cell is read once and serves any plan after it,
    // with the same numbers as reading only the segment's cells.
    const store = new Map<string, unknown>();
    let loads = 0;
    const cached = async <T>(key: string, load: () => Promise<T>): Promise<T> => {
      if (!store.has(key)) {
        loads += 1;
        store.set(key, await load());
      }
      return store.get(key) as T;
    };
    const input = { segmentId, snapshotId: main?.id, channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: 30, expectedLift: 0.3 } as const;
    const viaCache = await powerAnalysis(db.query, { ...input, objective: "win_back" }, { cached });
    const again = await powerAnalysis(db.query, { ...input, holdoutRatio: 0.2, objective: "activate" }, { cached });
    expect(loads).toBe(1);
    for (const field of ["baselineConversion", "baselineRevenuePerCustomer", "baselineRevenueStandardDeviation", "baselineOrdersPerCustomer", "baselineOrdersStandardDeviation"] as const) {
      expect(viaCache[field]).toBeCloseTo(plan[field], 10);
      expect(again[field]).toBeCloseTo(plan[field], 10);
    }
  }, 120_000);
});
