// Planted exposure (issue 13): campaigns launched through the service layer where the sending
// tool reaches only part of the treatment arm (active customers more often), the effect acts
// only on reached customers, and the delivery results go through the CSV import. The CACE
// interval must cover the compliers' planted effect about 95% of the time, the ITT must be
// about reach × effect, and the delivery checks must fire on contamination and thin coverage.
// (The scoring package's complier test repeats the coverage check over 1,500 pure simulations.)
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { mulberry32 } from "@ltvloop/scoring/random";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDeliveries } from "../deliveries/delivery-import.service.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import type { SegmentKindEnum } from "../segments/segment.type.ts";
import { createSegment } from "../segments/segment.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { launchCampaign } from "./campaign-launch.service.ts";
import { latestResultsFor, measureCampaign, type MeasureResults } from "./campaign-measure.service.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { createCampaign } from "./campaign.service.ts";

const DAY = 86_400_000;
const AS_OF = new Date("2025-06-01T00:00:00+09:00");
const WINDOW_DAYS = 14;
const CUSTOMERS = 1200;
const CAMPAIGNS = 30;
/** Reached treatment customers buy at this multiple of their usual rate. */
const RATE_LIFT = 2;

const rand = mulberry32(1312);
const exp1 = () => -Math.log(1 - rand());
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
  externalId: string;
  /** Purchases per day: half the base is active, half dormant. */
  lambda: number;
  spend: number;
}

describe.each(testDatabaseKinds().slice(-1))("planted exposure: CACE through the service layer on %s", (kind) => {
  let db: TestDatabase;
  let segmentId: number;
  const byId = new Map<number, Customer>();
  let seq = 0;

  async function insertOrders(rows: { customerId: number; at: Date; amount: number }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await db.query(
        `insert into orders (external_id, customer_id, ordered_at, amount) select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[])`,
        [chunk.map(() => `E-${(seq += 1)}`), chunk.map((r) => r.customerId), chunk.map((r) => r.at.toISOString()), chunk.map((r) => Math.round(r.amount))],
      );
    }
  }

  beforeAll(async () => {
    db = await createTestDb(kind);
    const ids = await db.query<{ id: number; external_id: string }>(
      `insert into customers (external_id, name) select 'X-' || g, 'Exposure ' || g from generate_series(1, $1) g returning id, external_id`,
      [CUSTOMERS],
    );
    const history: { customerId: number; at: Date; amount: number }[] = [];
    for (const r of ids) {
      const c = { id: Number(r.id), externalId: r.external_id, lambda: rand() < 0.5 ? 0.004 : 0.03, spend: 2000 + 6000 * rand() };
      byId.set(c.id, c);
      const k = 1 + poisson(c.lambda * 300);
      for (let i = 0; i < k; i += 1) history.push({ customerId: c.id, at: new Date(AS_OF.getTime() - (1 + rand() * 300) * DAY), amount: c.spend * (0.5 + rand()) });
    }
    await insertOrders(history);
    await refreshRollups(db.query, "Asia/Tokyo");
    await db.query("analyze");
    const snap = await createSnapshot(db, null, { asOfDate: "2025-06-01" });
    expect((await executeSnapshot(db, snap.id)).status).toBe("succeeded");
    const cells = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((f) => ({ r, f })));
    const segment = await createSegment(db, null, { name: "Everyone", description: "all RF cells", kind: "rfm" as SegmentKindEnum, definition: { cells } });
    segmentId = Number(segment.id);
  }, 300_000);
  afterAll(async () => {
    await db?.destroy();
  });

  let slot = 0;
  /**
   * Launches a campaign, decides who the tool would reach (75% of the active, 35% of the
   * dormant; only treatment customers are actually reached), plants outcome orders with the
   * lift on reached customers only, and imports the delivery file.
   */
  async function run(name: string, options: { contaminate?: number; coverage?: number } = {}) {
    const launchedAt = new Date(AS_OF.getTime() + DAY + slot * (WINDOW_DAYS + 1) * DAY);
    slot += 1;
    const created = await createCampaign(db, null, { name, segmentId: String(segmentId), objective: "retain", channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: WINDOW_DAYS }, { assignmentSeed: `exposure-${slot}` });
    await planCampaign(db, null, created.id);
    await launchCampaign(db, null, created.id, `exposure-${created.id}`, { launchedAt });
    const roster = await db.query<{ customer_id: number; group: string }>(`select customer_id, "group" from campaign_assignments where campaign_id = $1`, [created.id]);
    const lines = ["customer_external_id,event,occurred_at,channel"];
    const at = (minutes: number) => new Date(launchedAt.getTime() + minutes * 60_000).toISOString();
    const outcome: { customerId: number; at: Date; amount: number }[] = [];
    let compliers = 0;
    let caceConv = 0;
    let caceRev = 0;
    let treated = 0;
    let contaminated = options.contaminate ?? 0;
    for (const r of roster) {
      const c = byId.get(Number(r.customer_id)) as Customer;
      const isTreated = r.group === "treatment";
      const wouldBeReached = rand() < (c.lambda > 0.01 ? 0.75 : 0.35);
      const w = c.lambda * WINDOW_DAYS;
      if (wouldBeReached) {
        compliers += 1;
        caceConv += Math.exp(-w) - Math.exp(-w * RATE_LIFT);
        caceRev += w * (RATE_LIFT - 1) * c.spend;
      }
      const reached = isTreated && wouldBeReached;
      if (isTreated) {
        treated += 1;
        if (rand() < (options.coverage ?? 1)) {
          lines.push(`${c.externalId},sent,${at(1)},line`);
          lines.push(`${c.externalId},${reached ? "delivered" : "bounced"},${at(2)},line`);
          if (reached && rand() < 0.5) lines.push(`${c.externalId},opened,${at(90)},line`);
        }
      } else if (contaminated > 0) {
        contaminated -= 1;
        lines.push(`${c.externalId},delivered,${at(2)},line`);
      }
      const k = poisson(w * (reached ? RATE_LIFT : 1));
      for (let i = 0; i < k; i += 1) outcome.push({ customerId: c.id, at: new Date(launchedAt.getTime() + rand() * WINDOW_DAYS * DAY), amount: c.spend * (0.5 + rand()) });
    }
    await insertOrders(outcome);
    const imported = await importDeliveries({ handle: db, campaignId: created.id, source: `${lines.join("\n")}\n`, label: `${name}.csv`, now: new Date(launchedAt.getTime() + DAY) });
    expect(imported.deliveries?.inserted).toBe(lines.length - 1);
    await measureCampaign(db, null, created.id, { now: new Date(launchedAt.getTime() + (WINDOW_DAYS + 1) * DAY) });
    const [row] = await latestResultsFor(db.query, [created.id]);
    return { result: (row as { results: MeasureResults }).results, cace: { conversion: caceConv / compliers, revenue: caceRev / compliers }, complierShare: compliers / roster.length, treated };
  }

  const covers = (ci: { lower: number; upper: number } | null | undefined, v: number) => Boolean(ci && ci.lower <= v && v <= ci.upper);

  it(`covers the compliers' planted effect about 95% of the time over ${CAMPAIGNS} campaigns; the ITT is about reach × effect`, async () => {
    const runs = [];
    for (let i = 0; i < CAMPAIGNS; i += 1) {
      runs.push(await run(`exposure ${i}`));
    }
    const conv = runs.filter((r) => covers(r.result.delivery?.conversion?.ci, r.cace.conversion)).length / runs.length;
    const rev = runs.filter((r) => covers(r.result.delivery?.revenuePerCustomer?.ci, r.cace.revenue)).length / runs.length;
    const meanItt = runs.reduce((s, r) => s + r.result.conversion.difference, 0) / runs.length;
    const meanPlanted = runs.reduce((s, r) => s + r.complierShare * r.cace.conversion, 0) / runs.length;
    const meanCompliance = runs.reduce((s, r) => s + (r.result.delivery?.compliance ?? 0), 0) / runs.length;
    console.info(
      `exposure suite: ${runs.length} campaigns; CACE coverage conversion ${(conv * 100).toFixed(1)}%, revenue ${(rev * 100).toFixed(1)}%; mean ITT ${meanItt.toFixed(4)} vs reach × effect ${meanPlanted.toFixed(4)}; mean compliance ${meanCompliance.toFixed(3)}`,
    );
    const tol = 3 * Math.sqrt((0.95 * 0.05) / runs.length);
    expect(conv).toBeGreaterThan(0.95 - tol);
    expect(rev).toBeGreaterThan(0.95 - tol);
    // Mean ITT within 4 standard errors of the mean (per campaign sd ≈ √(2·0.25·0.75/600) ≈ 0.025).
    expect(Math.abs(meanItt - meanPlanted)).toBeLessThan((4 * 0.025) / Math.sqrt(runs.length));
    // The roster-wide complier share (~55%) is what the reach difference estimates.
    expect(Math.abs(meanCompliance - runs.reduce((s, r) => s + r.complierShare, 0) / runs.length)).toBeLessThan(0.02);
    for (const r of runs) {
      const d = r.result.delivery;
      expect(d?.hasData).toBe(true);
      expect(d?.warnings).toEqual([]);
      expect(d?.arms.find((a) => a.group === "control")?.contacted).toBe(0);
      // One test, one verdict: the CACE says what the ITT says.
      expect(d?.conversion?.verdict).toBe(r.result.conversion.verdict);
      expect(d?.revenuePerCustomer?.verdict).toBe(r.result.revenuePerCustomer.verdict);
      // Reached customers are a subset: the CACE point estimate is ITT / compliance.
      expect(d?.conversion?.estimate).toBeCloseTo(r.result.conversion.difference / (d?.compliance ?? 1), 10);
    }
  }, 600_000);

  it("flags contamination, thin coverage, and a campaign without delivery data", async () => {
    const contaminated = await run("contaminated", { contaminate: 5 });
    expect(contaminated.result.delivery?.warnings).toContainEqual(expect.objectContaining({ code: "CONTROL_CONTACTED", severity: "error", customers: 5 }));
    expect(contaminated.result.delivery?.reachedControl).toBeGreaterThan(0);
    const thin = await run("thin coverage", { coverage: 0.6 });
    const low = thin.result.delivery?.warnings.find((w) => w.code === "LOW_DELIVERY_COVERAGE");
    expect(low?.share).toBeGreaterThan(0.5);
    expect(low?.share).toBeLessThan(0.7);

    const launchedAt = new Date(AS_OF.getTime() + DAY + slot * (WINDOW_DAYS + 1) * DAY);
    slot += 1;
    const created = await createCampaign(db, null, { name: "no file", segmentId: String(segmentId), objective: "retain", channel: "coupon", holdoutRatio: 0.5, outcomeWindowDays: WINDOW_DAYS });
    await planCampaign(db, null, created.id);
    await launchCampaign(db, null, created.id, `no-file-${created.id}`, { launchedAt });
    await measureCampaign(db, null, created.id, { now: new Date(launchedAt.getTime() + (WINDOW_DAYS + 1) * DAY) });
    const [row] = await latestResultsFor(db.query, [created.id]);
    const d = (row as { results: MeasureResults }).results.delivery;
    expect(d).toMatchObject({ hasData: false, conversion: null, revenuePerCustomer: null, warnings: [{ code: "NO_DELIVERY_DATA" }] });
  }, 180_000);
});
