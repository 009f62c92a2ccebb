// The demo's loyalty programme checked against an independent computation in plain JS: the
// expiries replayed lot by lot (earliest-expiring first), and the analysis' liability, breakage
// and per-segment figures summed from the raw ledger.
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedScoredDemo } from "../../testing/demo.ts";
import { processExpiries } from "./loyalty-earn.service.ts";
import { loyaltyAnalysis } from "./loyalty-analysis.service.ts";

interface Entry {
  customer_id: number;
  kind: string;
  points: number;
  occurred_at: Date;
  expires_at: Date | null;
}

/** Expired points per customer by a lot-by-lot replay: debits take the earliest-expiring unexpired lots. */
function replayExpiries(entries: Entry[], asOf: Date): Map<number, number> {
  const byCustomer = new Map<number, Entry[]>();
  for (const e of entries) byCustomer.set(e.customer_id, [...(byCustomer.get(e.customer_id) ?? []), e]);
  const expired = new Map<number, number>();
  for (const [customer, list] of byCustomer) {
    const lots: { left: number; expiresAt: number }[] = [];
    let total = 0;
    const expireUpTo = (t: number, inclusive: boolean) => {
      for (const lot of lots) {
        if (lot.left > 0 && (inclusive ? lot.expiresAt <= t : lot.expiresAt < t)) {
          total += lot.left;
          lot.left = 0;
        }
      }
    };
    const events = list.filter((e) => e.kind !== "expire").sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime() || b.points - a.points);
    for (const e of events) {
      const t = e.occurred_at.getTime();
      // A debit at t uses lots still alive at t (a lot expiring exactly at t is gone).
      expireUpTo(t, true);
      if (e.points > 0) lots.push({ left: e.points, expiresAt: e.expires_at ? e.expires_at.getTime() : Number.POSITIVE_INFINITY });
      else {
        let need = -e.points;
        for (const lot of [...lots].sort((a, b) => a.expiresAt - b.expiresAt)) {
          const take = Math.min(lot.left, need);
          lot.left -= take;
          need -= take;
        }
      }
    }
    expireUpTo(asOf.getTime(), true);
    expired.set(customer, total);
  }
  return expired;
}

describe.each(testDatabaseKinds())("demo loyalty programme (%s)", (kind) => {
  let db: TestDatabase;
  const asOf = new Date("2025-06-01T00:00:00+09:00");
  let entries: Entry[];
  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedScoredDemo(db, 400);
    entries = (await db.query<Entry>("select customer_id::int as customer_id, kind, points::int as points, occurred_at, expires_at from loyalty_point_entries")).map((e) => ({
      ...e,
      occurred_at: new Date(e.occurred_at),
      expires_at: e.expires_at ? new Date(e.expires_at) : null,
    }));
  }, 240_000);
  afterAll(() => db?.destroy());

  it("runs a points programme with earns, redemptions and expiries, and a stamp card with completed rewards", async () => {
    const kinds = new Set(entries.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(["earn", "expire", "redeem"]);
    const [cards] = await db.query<{ done: number; open: number }>("select count(completed_at)::int as done, count(*) filter (where completed_at is null)::int as open from loyalty_stamp_cards");
    expect(cards!.done).toBeGreaterThan(0);
    expect(cards!.open).toBeGreaterThan(0);
    const [rules] = await db.query<{ n: number }>("select count(*)::int as n from loyalty_point_rules");
    expect(rules?.n).toBe(2);
  });

  it("no balance is negative and the expiries match a lot-by-lot replay", async () => {
    const balance = new Map<number, number>();
    const expired = new Map<number, number>();
    for (const e of entries) {
      balance.set(e.customer_id, (balance.get(e.customer_id) ?? 0) + e.points);
      if (e.kind === "expire") expired.set(e.customer_id, (expired.get(e.customer_id) ?? 0) - e.points);
    }
    expect([...balance.values()].filter((b) => b < 0)).toEqual([]);
    const replay = replayExpiries(entries, asOf);
    let compared = 0;
    for (const [customer, want] of replay) {
      expect({ customer, expired: expired.get(customer) ?? 0 }).toEqual({ customer, expired: want });
      compared += want;
    }
    expect(compared).toBeGreaterThan(0);
    // Processing again (a full re-examination) writes nothing.
    expect(await db.transaction(({ query }) => processExpiries(query, asOf))).toBe(0);
  });

  it("liability, breakage and per-segment figures equal sums over the raw ledger", async () => {
    const analysis = await loyaltyAnalysis(db.query, { timeZone: "Asia/Tokyo", currency: "JPY", now: asOf });
    const segmentOf = new Map(
      (await db.query<{ customer_id: number; rfm_segment: string }>("select customer_id::int as customer_id, rfm_segment from customer_scores where snapshot_id = $1", [analysis.snapshotId])).map(
        (r) => [r.customer_id, r.rfm_segment],
      ),
    );
    const sums = new Map<string, { outstanding: number; credited: number; expired: number; redeemed: number; balances: Map<number, number> }>();
    for (const e of entries) {
      if (e.occurred_at.getTime() > asOf.getTime()) continue;
      for (const key of ["total", segmentOf.get(e.customer_id) ?? "unscored"]) {
        const s = sums.get(key) ?? { outstanding: 0, credited: 0, expired: 0, redeemed: 0, balances: new Map() };
        s.outstanding += e.points;
        if (e.kind === "earn" || (e.kind === "adjust" && e.points > 0)) s.credited += e.points;
        if (e.kind === "expire") s.expired -= e.points;
        if (e.kind === "redeem") s.redeemed -= e.points;
        s.balances.set(e.customer_id, (s.balances.get(e.customer_id) ?? 0) + e.points);
        sums.set(key, s);
      }
    }
    const check = (row: (typeof analysis)["totals"], key: string) => {
      const s = sums.get(key)!;
      const positive = [...s.balances.values()].filter((b) => b > 0);
      expect(row.outstandingPoints).toBe(s.outstanding);
      expect(row.liability).toBeCloseTo(s.outstanding * 1, 6);
      expect(row.pointsExpired).toBe(s.expired);
      expect(row.breakageRate).toBeCloseTo(s.expired / s.credited, 10);
      expect(row.redemptionRate).toBeCloseTo(s.redeemed / s.credited, 10);
      expect(row.membersWithBalance).toBe(positive.length);
      expect(row.meanBalance).toBeCloseTo(positive.reduce((a, b) => a + b, 0) / positive.length, 6);
    };
    check(analysis.totals, "total");
    for (const row of analysis.segments.filter((r) => sums.has(r.key))) check(row, row.key);
    expect(analysis.segments.length).toBeGreaterThan(3);
    expect(analysis.liabilityOverTime.at(-1)?.outstandingPoints).toBe(sums.get("total")!.outstanding);
    const open = await db.query<{ to_go: number; n: number }>(
      "select card_size - stamps as to_go, count(*)::int as n from loyalty_stamp_cards where completed_at is null and (expires_at is null or expires_at > $1) group by 1",
      [asOf.toISOString()],
    );
    for (const r of open) expect(analysis.totals.stampsToReward[r.to_go - 1]).toBe(r.n);
    expect(analysis.activityVsRepeat.map((r) => r.activity).sort()).toEqual(["earned_only", "no_points", "redeemed"].filter((a) => analysis.activityVsRepeat.some((r) => r.activity === a)));
  });
});
