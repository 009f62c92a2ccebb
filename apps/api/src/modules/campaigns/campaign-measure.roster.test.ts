// A measurement reads every statistic from one collected roster (campaign-measure.sql.ts). This
// suite checks what it reports against an independent computation in JavaScript over the raw
// orders, on data with the edges that could go wrong: orders exactly at launch, at the window's
// end and at the pre-period's start, cancelled and refunded orders inside the windows, customers
// who opted out of the channel after launch, and customers whose history was lost after the
// snapshot.
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { mulberry32 } from "@ltvloop/scoring/random";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshRollups } from "../orders/rollups.service.ts";
import type { SegmentKindEnum } from "../segments/segment.type.ts";
import { createSegment } from "../segments/segment.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { launchCampaign } from "./campaign-launch.service.ts";
import { latestResultsFor, measureCampaign, type MeasureResults } from "./campaign-measure.service.ts";
import { WINSORIZE_PERCENTILE } from "./campaign-measure.sql.ts";
import { planCampaign } from "./campaign-plan.service.ts";
import { createCampaign } from "./campaign.service.ts";

const DAY = 86_400_000;
const AS_OF = new Date("2025-06-01T00:00:00+09:00");
const LAUNCH = new Date(AS_OF.getTime() + 3 * DAY);
const WINDOW_DAYS = 14;
const PRE_DAYS = 30;
const WINDOW_END = new Date(LAUNCH.getTime() + WINDOW_DAYS * DAY);
const PRE_FROM = new Date(LAUNCH.getTime() - PRE_DAYS * DAY);
const CUSTOMERS = 240;

interface Order {
  customerId: number;
  at: Date;
  amount: number;
  status: "completed" | "refunded" | "cancelled";
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return (sorted[lo] as number) + (rank - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

describe.each(testDatabaseKinds())("a measurement's statistics against a reference over the raw orders on %s", (kind) => {
  let db: TestDatabase;
  let results: MeasureResults;
  let roster: { customer_id: number; group: "treatment" | "control" }[] = [];
  let orders: Order[] = [];
  let optedOut: number[] = [];
  let lost: number[] = [];
  let snapshotOrders = new Map<number, number>();

  beforeAll(async () => {
    db = await createTestDb(kind);
    const rand = mulberry32(20261204);
    const ids = await db.query<{ id: number }>(
      `insert into customers (external_id, name, email, email_opt_in) select 'R-' || g, 'Roster ' || g, 'r' || g || '@example.com', true from generate_series(1, $1) g returning id`,
      [CUSTOMERS],
    );
    const customerIds = ids.map((r) => Number(r.id));
    const history: Order[] = [];
    for (const id of customerIds) {
      const n = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < n; i += 1) {
        const status = rand() < 0.1 ? "cancelled" : "completed";
        history.push({ customerId: id, at: new Date(AS_OF.getTime() - (1 + rand() * 360) * DAY), amount: 500 + Math.round(rand() * 9000), status });
      }
    }
    const insert = async (rows: Order[], prefix: string) => {
      await db.query(
        `insert into orders (external_id, customer_id, ordered_at, amount, status)
         select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[], $5::text[])`,
        [rows.map((_, i) => `${prefix}-${i}`), rows.map((r) => r.customerId), rows.map((r) => r.at.toISOString()), rows.map((r) => r.amount), rows.map((r) => r.status)],
      );
    };
    await insert(history, "H");
    await refreshRollups(db.query, "Asia/Tokyo");
    await db.query("analyze");
    const snap = await createSnapshot(db, null, { asOfDate: "2025-06-01" });
    expect((await executeSnapshot(db, snap.id)).status).toBe("succeeded");
    const scored = await db.query<{ customer_id: number; order_count: number }>("select customer_id, order_count from customer_scores where snapshot_id = $1", [snap.id]);
    snapshotOrders = new Map(scored.map((s) => [Number(s.customer_id), Number(s.order_count)]));
    const cells = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((f) => ({ r, f })));
    const segment = await createSegment(db, null, { name: "Everyone", description: "all RF cells", kind: "rfm" as SegmentKindEnum, definition: { cells } });
    const created = await createCampaign(db, null, {
      name: "roster audit",
      segmentId: String(segment.id),
      objective: "retain",
      channel: "email",
      holdoutRatio: 0.3,
      outcomeWindowDays: WINDOW_DAYS,
      prePeriodDays: PRE_DAYS,
      costPerContact: 10,
    }, { assignmentSeed: "roster-audit" });
    await planCampaign(db, null, created.id);
    await launchCampaign(db, null, created.id, "roster-audit", { launchedAt: LAUNCH });
    roster = (await db.query<{ customer_id: number; group: "treatment" | "control" }>(`select customer_id, "group" from campaign_assignments where campaign_id = $1`, [created.id])).map((r) => ({ ...r, customer_id: Number(r.customer_id) }));
    expect(roster.length).toBeGreaterThan(200);

    // Orders around the windows, with every edge: exactly at launch (counts), at the window's end
    // (does not), at the pre-period's start (counts as pre), cancelled and refunded (never count).
    const around: Order[] = [];
    for (const { customer_id: id } of roster) {
      const n = Math.floor(rand() * 4);
      for (let i = 0; i < n; i += 1) {
        const u = rand();
        const status = u < 0.08 ? "cancelled" : u < 0.14 ? "refunded" : "completed";
        around.push({ customerId: id, at: new Date(PRE_FROM.getTime() + rand() * (PRE_DAYS + WINDOW_DAYS + 5) * DAY), amount: 300 + Math.round(rand() * 20000), status });
      }
    }
    const edge = (i: number) => (roster[i] as { customer_id: number }).customer_id;
    around.push(
      { customerId: edge(0), at: LAUNCH, amount: 1234, status: "completed" },
      { customerId: edge(1), at: WINDOW_END, amount: 99999, status: "completed" },
      { customerId: edge(2), at: PRE_FROM, amount: 4321, status: "completed" },
      { customerId: edge(3), at: new Date(LAUNCH.getTime() + 2 * DAY), amount: 250000, status: "completed" },
      { customerId: edge(4), at: new Date(LAUNCH.getTime() + DAY), amount: 5000, status: "cancelled" },
    );
    await insert(around, "W");
    // After launch: some treatment customers opt out of e-mail; some control customers lose
    // their history before the snapshot (a feed that dropped their records).
    optedOut = roster.filter((r) => r.group === "treatment").slice(0, 3).map((r) => r.customer_id);
    await db.query("update customers set email_opt_in = false where id = any($1::bigint[])", [optedOut]);
    lost = roster.filter((r) => r.group === "control").slice(-2).map((r) => r.customer_id);
    await db.query("delete from orders where customer_id = any($1::bigint[]) and ordered_at <= $2", [lost, AS_OF.toISOString()]);
    orders = [...history, ...around].filter((o) => !(lost.includes(o.customerId) && o.at <= AS_OF));
    // One more control customer loses a completed order the snapshot counted and gains one dated
    // exactly at the as-of, which the snapshot (as-of excluded) never saw: still history lost.
    const swapped = roster.find((r) => r.group === "control" && !lost.includes(r.customer_id) && history.some((o) => o.customerId === r.customer_id && o.status === "completed"));
    const dropped = history.findIndex((o) => o.customerId === swapped?.customer_id && o.status === "completed");
    await db.query("delete from orders where external_id = $1", [`H-${dropped}`]);
    const atAsOf: Order = { customerId: swapped?.customer_id as number, at: AS_OF, amount: 700, status: "completed" };
    await insert([atAsOf], "ASOF");
    orders = [...orders.filter((o) => o !== history[dropped]), atAsOf];
    lost.push(swapped?.customer_id as number);

    await measureCampaign(db, null, created.id, { now: new Date(WINDOW_END.getTime() + DAY) });
    const [row] = await latestResultsFor(db.query, [created.id]);
    results = (row as { results: MeasureResults }).results;
  }, 300_000);
  afterAll(async () => {
    await db?.destroy();
  });

  /** Per customer of the roster: outcome-window and pre-period values, from the raw orders. */
  function reference() {
    const per = new Map(roster.map((r) => [r.customer_id, { group: r.group, postOrders: 0, postRev: 0, preOrders: 0, preRev: 0, days: [] as { day: number; amount: number }[] }]));
    for (const o of orders) {
      const c = per.get(o.customerId);
      if (!c || o.status !== "completed") continue;
      if (o.at >= LAUNCH && o.at < WINDOW_END) {
        c.postOrders += 1;
        c.postRev += o.amount;
        c.days.push({ day: Math.floor((o.at.getTime() - LAUNCH.getTime()) / DAY), amount: o.amount });
      } else if (o.at >= PRE_FROM && o.at < LAUNCH) {
        c.preOrders += 1;
        c.preRev += o.amount;
      }
    }
    return [...per.values()];
  }

  it("reports each arm's size, converters, orders and revenue in the window and the pre-period as the raw orders give them", () => {
    const ref = reference();
    for (const group of ["treatment", "control"] as const) {
      const arm = ref.filter((c) => c.group === group);
      const g = results.groups.find((x) => x.group === group);
      expect(g?.n).toBe(arm.length);
      expect(g?.converters).toBe(arm.filter((c) => c.postOrders > 0).length);
      expect(g?.orders).toBe(arm.reduce((s, c) => s + c.postOrders, 0));
      expect(g?.revenue).toBeCloseTo(arm.reduce((s, c) => s + c.postRev, 0), 6);
      expect(g?.preConversion).toBeCloseTo(arm.filter((c) => c.preOrders > 0).length / arm.length, 12);
      expect(g?.preRevenuePerCustomer).toBeCloseTo(arm.reduce((s, c) => s + c.preRev, 0) / arm.length, 6);
      expect(g?.preOrdersPerCustomer).toBeCloseTo(arm.reduce((s, c) => s + c.preOrders, 0) / arm.length, 12);
    }
  });

  it("caps revenue at the pooled percentile and counts the capped customers per arm", () => {
    const ref = reference();
    const cap = percentileCont(ref.map((c) => c.postRev), WINSORIZE_PERCENTILE);
    const w = results.revenuePerCustomerWinsorized;
    expect(w.cap).toBeCloseTo(cap, 6);
    expect(w.cappedTreatment).toBe(ref.filter((c) => c.group === "treatment" && c.postRev > cap).length);
    expect(w.cappedControl).toBe(ref.filter((c) => c.group === "control" && c.postRev > cap).length);
    expect(w.cappedTreatment + w.cappedControl).toBeGreaterThan(0);
  });

  it("draws the daily cumulative series from the same orders, ending at the window totals", () => {
    const ref = reference();
    expect(results.series).toHaveLength(WINDOW_DAYS);
    for (const group of ["treatment", "control"] as const) {
      const arm = ref.filter((c) => c.group === group);
      for (const point of results.series) {
        const converted = arm.filter((c) => c.days.some((d) => d.day <= point.day)).length / arm.length;
        const revenue = arm.reduce((s, c) => s + c.days.filter((d) => d.day <= point.day).reduce((t, d) => t + d.amount, 0), 0) / arm.length;
        expect(group === "treatment" ? point.treatmentConversion : point.controlConversion).toBeCloseTo(converted, 12);
        expect(group === "treatment" ? point.treatmentRevenuePerCustomer : point.controlRevenuePerCustomer).toBeCloseTo(revenue, 6);
      }
      const last = results.series.at(-1);
      const g = results.groups.find((x) => x.group === group);
      expect(group === "treatment" ? last?.treatmentConversion : last?.controlConversion).toBeCloseTo(g?.conversion ?? NaN, 12);
      expect(group === "treatment" ? last?.treatmentRevenuePerCustomer : last?.controlRevenuePerCustomer).toBeCloseTo(g?.revenuePerCustomer ?? NaN, 6);
    }
  });

  it("counts, per arm, the customers who opted out after launch and those whose history the snapshot saw is no longer on record", async () => {
    const missing = (group: string) =>
      roster.filter((r) => r.group === group && orders.filter((o) => o.customerId === r.customer_id && o.at < AS_OF).length < (snapshotOrders.get(r.customer_id) ?? 0)).length;
    const t = results.srm.arms?.find((a) => a.group === "treatment");
    const c = results.srm.arms?.find((a) => a.group === "control");
    expect(t).toMatchObject({ roster: roster.filter((r) => r.group === "treatment").length, optedOutAfterLaunch: optedOut.length, historyMissing: missing("treatment") });
    expect(c).toMatchObject({ roster: roster.filter((r) => r.group === "control").length, optedOutAfterLaunch: 0, historyMissing: missing("control") });
    expect(c?.historyMissing).toBe(lost.length);
    // The baseline is the one the launch's snapshot counted, kept on the roster.
    const [differing] = await db.query<{ n: number }>(
      `select count(*)::int as n from campaign_assignments a join campaigns c on c.id = a.campaign_id
         left join customer_scores s on s.snapshot_id = c.snapshot_id and s.customer_id = a.customer_id
        where a.snapshot_orders is distinct from s.order_count`,
    );
    expect(differing?.n).toBe(0);
    expect(t?.historyMissing).toBe(0);
    // The delivery arms read the same roster: sizes agree.
    expect(results.delivery?.arms.map((a) => a.roster)).toEqual([t?.roster, c?.roster]);
  });
});
