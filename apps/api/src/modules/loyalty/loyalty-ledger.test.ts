// Ledger invariants on both databases: earning by the rule in force, reversal, replay, expiry,
// no negative balance and concurrent redemptions. Every expected figure is worked out below.
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCustomers } from "../import/customers-import.service.ts";
import { importOrders } from "../import/orders-import.service.ts";
import { processExpiries } from "./loyalty-earn.service.ts";
import { customerLoyalty, pointBalance, writeManualEntry } from "./loyalty-ledger.service.ts";
import { addPointRule, addStampRule } from "./loyalty-rules.service.ts";

const T0 = new Date("2024-01-01T00:00:00+09:00");
const CUSTOMERS = "external_id\nc1\nc2\nc3\n";
// Rule 1 (from 2024-01-01): 1 point per ¥100 (floor), min order ¥500, rolling 90 days, channel app ×2.
// Rule 2 (from 2024-03-01): 5 points per ¥100 (round), everything else as rule 1.
//   o1 c1 2024-01-10 1050 store → floor(10.5) = 10, expires 2024-04-09
//   o2 c1 2024-02-01 2000 app   → 20 × 2 = 40, expires 2024-05-01
//   o3 c1 2024-03-05 1010       → rule 2: round(50.5) = 51 (PostgreSQL rounds half away from zero)
//   o4 c2 2024-01-15 400        → below the minimum: 0
//   o5 c2 2024-01-20 3000       → 30
//   o6 c3 2024-02-10 5000 refunded → 0
const ORDERS = `external_id,customer_external_id,ordered_at,amount,status,channel
o1,c1,2024-01-10 12:00,1050,completed,store
o2,c1,2024-02-01 12:00,2000,completed,app
o3,c1,2024-03-05 12:00,1010,completed,
o4,c2,2024-01-15 12:00,400,completed,
o5,c2,2024-01-20 12:00,3000,completed,
o6,c3,2024-02-10 12:00,5000,refunded,
`;

async function ledger(db: TestDatabase, external: string) {
  return db.query<{ kind: string; points: string; occurred_at: Date; key: string }>(
    `select e.kind, e.points::text, e.occurred_at, e.idempotency_key as key from loyalty_point_entries e join customers c on c.id = e.customer_id
      where c.external_id = $1 order by e.occurred_at, e.id`,
    [external],
  );
}
const idOf = async (db: TestDatabase, external: string) =>
  Number((await db.query<{ id: number }>("select id from customers where external_id = $1", [external]))[0]?.id);

describe.each(testDatabaseKinds())("loyalty ledger (%s)", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await db.transaction(async ({ query }) => {
      const base = { rounding: "floor" as const, minOrderAmount: 500, expiryMode: "rolling" as const, expiryDays: 90, pointValue: 1, channelMultipliers: { app: 2 } };
      await addPointRule(query, { ...base, effectiveFrom: T0, earnRate: 0.01 }, null, { allowPast: true });
      await addPointRule(query, { ...base, effectiveFrom: new Date("2024-03-01T00:00:00+09:00"), earnRate: 0.05, rounding: "round" }, null, { allowPast: true });
      await addStampRule(query, { effectiveFrom: T0, thresholdAmount: 1000, per: "order", cardSize: 2, rewardLabel: "Coffee", rewardValue: 300 }, null, { allowPast: true });
    });
    await importCustomers({ handle: db, source: CUSTOMERS, label: "c.csv" });
    await importOrders({ handle: db, source: ORDERS, label: "o.csv", now: new Date("2024-03-10T00:00:00Z") });
  }, 60_000);
  afterAll(() => db?.destroy());

  it("earns by the rule in force at each order's time", async () => {
    expect((await ledger(db, "c1")).map((e) => Number(e.points))).toEqual([10, 40, 51]);
    expect((await ledger(db, "c2")).map((e) => Number(e.points))).toEqual([30]);
    expect(await ledger(db, "c3")).toEqual([]);
    const [cards] = await db.query<{ n: number; done: number }>(
      "select count(*)::int as n, count(completed_at)::int as done from loyalty_stamp_cards s join customers c on c.id = s.customer_id where c.external_id = 'c1'",
    );
    // c1's stamps: o1 (1050), o2 (2000), o3 (1010) → one full card of 2 and one with 1 stamp.
    expect(cards).toEqual({ n: 2, done: 1 });
  });

  it("replaying the import changes nothing", async () => {
    const [before] = await db.query<{ n: number }>("select count(*)::int as n from loyalty_point_entries");
    const [stampsBefore] = await db.query<{ n: number }>("select count(*)::int as n from loyalty_stamp_entries");
    await importOrders({ handle: db, source: ORDERS, label: "o.csv", now: new Date("2024-03-11T00:00:00Z") });
    expect((await db.query<{ n: number }>("select count(*)::int as n from loyalty_point_entries"))[0]).toEqual(before);
    expect((await db.query<{ n: number }>("select count(*)::int as n from loyalty_stamp_entries"))[0]).toEqual(stampsBefore);
  });

  it("expires unused points exactly, once, earliest expiring first", async () => {
    const c1 = await idOf(db, "c1");
    // Redeem 15 on 2024-03-20: the earliest-expiring credit (o1's 10) is used up first, then 5 of o2's 40.
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "redeem", points: 15, idempotencyKey: "r1" }, null, new Date("2024-03-20T00:00:00Z")));
    // By 2024-05-02: o1's lot is spent (nothing expires 2024-04-09), o2's lot has 35 left → expires 2024-05-01.
    await db.transaction(({ query }) => processExpiries(query, new Date("2024-05-02T00:00:00Z")));
    await db.transaction(({ query }) => processExpiries(query, new Date("2024-05-02T00:00:00Z")));
    const expired = (await ledger(db, "c1")).filter((e) => e.kind === "expire");
    expect(expired.map((e) => Number(e.points))).toEqual([-35]);
    expect(await pointBalance(db.query, c1)).toBe(10 + 40 + 51 - 15 - 35);
    // c2's 30 from 2024-01-20 expired on 2024-04-19.
    expect((await ledger(db, "c2")).map((e) => Number(e.points))).toEqual([30, -30]);
  });

  it("puts a redemption made at the very instant a lot expires after that expiry, when the ledger is replayed", async () => {
    // Two lots of 100, expiring E1 and E2. At E1 the first lot expires (a credit counts from its
    // expiry instant on) and then 60 are redeemed: a debit counts only after its instant, so it
    // comes out of the second lot, whose remaining 40 expire at E2.
    const [c4] = await db.query<{ id: number }>("insert into customers (external_id, name) values ('c4', 'Four') returning id");
    const id = Number(c4?.id);
    const e1 = new Date("2024-06-01T00:00:00Z");
    const e2 = new Date("2024-07-01T00:00:00Z");
    await db.query(
      `insert into loyalty_point_entries (customer_id, programme_id, kind, points, occurred_at, expires_at, idempotency_key)
       select $1, p.id, 'earn', 100, t.earned, t.expires, 'lot:' || t.n
         from loyalty_programmes p, (values (1, '2024-03-01T00:00:00Z'::timestamptz, $2::timestamptz), (2, '2024-04-01T00:00:00Z'::timestamptz, $3::timestamptz)) t(n, earned, expires)
        where p.kind = 'points' and p.is_active`,
      [id, e1.toISOString(), e2.toISOString()],
    );
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: id, kind: "redeem", points: 60, idempotencyKey: "at-e1" }, null, e1));
    // Replayed from the start of the ledger (no `since`), twice: the second run writes nothing.
    expect(await db.transaction(({ query }) => processExpiries(query, new Date("2024-08-01T00:00:00Z"), [id]))).toBe(1);
    expect(await db.transaction(({ query }) => processExpiries(query, new Date("2024-08-01T00:00:00Z"), [id]))).toBe(0);
    const entries = (await ledger(db, "c4")).map((e) => [e.kind, Number(e.points), e.occurred_at.toISOString()]);
    expect(entries).toEqual([
      ["earn", 100, "2024-03-01T00:00:00.000Z"],
      ["earn", 100, "2024-04-01T00:00:00.000Z"],
      ["expire", -100, e1.toISOString()],
      ["redeem", -60, e1.toISOString()],
      ["expire", -40, e2.toISOString()],
    ]);
    expect(await pointBalance(db.query, id)).toBe(0);
  });

  it("says how much of the balance will expire within 30 days: what is left of the lots, not what they were granted", async () => {
    // Lots of 20 (expired yesterday, the daily run not yet done), 100 (expires in 10 days) and 50
    // (in 60 days); 10 redeemed five days ago came out of the 20. Within 30 days: the 10 left of
    // the first lot and all of the second; the lots granted in that window hold 100.
    const [c5] = await db.query<{ id: number }>("insert into customers (external_id, name) values ('c5', 'Five') returning id");
    const id = Number(c5?.id);
    const now = new Date("2024-09-01T00:00:00Z");
    const day = 86_400_000;
    const at = (days: number) => new Date(now.getTime() + days * day).toISOString();
    await db.query(
      `insert into loyalty_point_entries (customer_id, programme_id, kind, points, occurred_at, expires_at, idempotency_key)
       select $1, p.id, t.kind, t.points, t.occurred_at, t.expires_at, 'c5:' || t.n
         from loyalty_programmes p,
              (values (1, 'earn', 20, $2::timestamptz, $3::timestamptz), (2, 'earn', 100, $2::timestamptz, $4::timestamptz),
                      (3, 'earn', 50, $2::timestamptz, $5::timestamptz), (4, 'redeem', -10, $6::timestamptz, null)) t(n, kind, points, occurred_at, expires_at)
        where p.kind = 'points' and p.is_active`,
      [id, at(-200), at(-1), at(10), at(60), at(-5)],
    );
    const loyalty = await customerLoyalty(db.query, id, 200, now);
    expect(loyalty.balance).toBe(160);
    expect(loyalty.creditsExpiringIn30Days).toBe(100);
    expect(loyalty.pointsExpiringIn30Days).toBe(110);
    // Once the overdue expiry is written it is no longer ahead: 100 remain to expire.
    await db.transaction(({ query }) => processExpiries(query, now, [id]));
    const after = await customerLoyalty(db.query, id, 200, now);
    expect([after.balance, after.pointsExpiringIn30Days]).toEqual([150, 100]);
  });

  it("refunds reverse exactly what the order earned; re-completing earns it again", async () => {
    const now = new Date("2024-05-10T00:00:00Z");
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount,status\no3,c1,2024-03-05 12:00,1010,refunded\n", label: "r.csv", now });
    const rows = await ledger(db, "c1");
    expect(rows.at(-1)).toMatchObject({ kind: "reverse", points: "-51", key: expect.stringMatching(/^order:\d+:2$/) });
    expect(new Date(rows.at(-1)!.occurred_at).toISOString()).toBe(now.toISOString());
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount,status\no3,c1,2024-03-05 12:00,1010,refunded\n", label: "r.csv", now });
    expect((await ledger(db, "c1")).length).toBe(rows.length);
    const [stamp] = await db.query<{ net: number }>(
      "select sum(stamps)::int as net from loyalty_stamp_entries e join orders o on o.id = e.source_order_id where o.external_id = 'o3'",
    );
    expect(stamp?.net).toBe(0);
    expect(await pointBalance(db.query, await idOf(db, "c1"))).toBe(10 + 40 + 51 - 15 - 35 - 51);
    // Back to completed: earned again at the time it is learnt of, then refunded again.
    const later = new Date("2024-05-10T01:00:00Z");
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount,status\no3,c1,2024-03-05 12:00,1010,completed\n", label: "r.csv", now: later });
    expect((await ledger(db, "c1")).at(-1)).toMatchObject({ kind: "earn", points: "51", key: expect.stringMatching(/^order:\d+:3$/) });
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount,status\no3,c1,2024-03-05 12:00,1010,refunded\n", label: "r.csv", now: later });
    expect((await ledger(db, "c1")).at(-1)).toMatchObject({ kind: "reverse", points: "-51", key: expect.stringMatching(/^order:\d+:4$/) });
  });

  it("balance equals the sum of the ledger and never goes negative through a redemption", async () => {
    const c1 = await idOf(db, "c1");
    const balance = await pointBalance(db.query, c1);
    expect(balance).toBe(0);
    await expect(
      db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "redeem", points: 1, idempotencyKey: "r2" }, null, new Date("2024-05-11T00:00:00Z"))),
    ).rejects.toThrow(/negative balance/);
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "adjust", points: 100, idempotencyKey: "a1", note: "goodwill" }, null, new Date("2024-05-11T00:00:00Z")));
    // The same entry again is a replay; the same id with other content is refused.
    const replay = await db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "adjust", points: 100, idempotencyKey: "a1" }, null));
    expect(replay.isReplay).toBe(true);
    await expect(db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "adjust", points: 5, idempotencyKey: "a1" }, null))).rejects.toThrow(/already used/);
    const [sum] = await db.query<{ s: string }>("select sum(points)::text as s from loyalty_point_entries where customer_id = $1", [c1]);
    expect(await pointBalance(db.query, c1)).toBe(Number(sum?.s));
    expect(Number(sum?.s)).toBe(100);
  });

  it("two concurrent redemptions of the same points cannot both succeed", async () => {
    const c1 = await idOf(db, "c1");
    const at = new Date("2024-05-12T00:00:00Z");
    const attempt = (key: string) => db.transaction(({ query }) => writeManualEntry(query, { customerId: c1, kind: "redeem", points: 80, idempotencyKey: key }, null, at));
    const results = await Promise.allSettled([attempt("x1"), attempt("x2")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(await pointBalance(db.query, c1)).toBe(20);
    const [negative] = await db.query<{ n: number }>(
      "select count(*)::int as n from (select customer_id, sum(points) as b from loyalty_point_entries group by customer_id) x where b < 0",
    );
    expect(negative?.n).toBe(0);
  });

  it("a refund after the points were spent takes only what is left, never below zero; the rest is owed from later points", async () => {
    const c2 = await idOf(db, "c2");
    // c2's 30 expired; o8 (2024-05-12, ¥2000, rule 2) earns 100; c2 redeems 80 → balance 20.
    const t1 = new Date("2024-05-12T01:00:00Z");
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount\no8,c2,2024-05-12 09:00,2000\n", label: "o8.csv", now: t1 });
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: c2, kind: "redeem", points: 80, idempotencyKey: "c2-r1" }, null, t1));
    expect(await pointBalance(db.query, c2)).toBe(20);
    // o8 refunded: 100 to reverse, 20 available → −20, shortfall 80 noted; the balance stays 0.
    const t2 = new Date("2024-05-13T00:00:00Z");
    const refund = "external_id,customer_external_id,ordered_at,amount,status\no8,c2,2024-05-12 09:00,2000,refunded\n";
    await importOrders({ handle: db, source: refund, label: "r8.csv", now: t2 });
    const afterRefund = await ledger(db, "c2");
    expect(afterRefund.at(-1)).toMatchObject({ kind: "reverse", points: "-20" });
    const [note] = await db.query<{ note: string }>("select note from loyalty_point_entries where customer_id = $1 order by id desc limit 1", [c2]);
    expect(note?.note).toMatch(/^shortfall 80 points/);
    expect(await pointBalance(db.query, c2)).toBe(0);
    // Replaying the refund writes nothing, not even a second audit row; the audit log holds the shortfall.
    await importOrders({ handle: db, source: refund, label: "r8.csv", now: t2 });
    expect((await ledger(db, "c2")).length).toBe(afterRefund.length);
    const audits = await db.query<{ details: { reversed: number; owed: number } }>(
      "select details from audit_log where operation = 'loyalty.refund_shortfall' and target_id = $1 order by id",
      [String(c2)],
    );
    expect(audits.map((a) => [Number(a.details.reversed), Number(a.details.owed)])).toEqual([[20, 80]]);
    // A later order earns 150 (¥3000); the 80 still owed is taken in the same import: 150 − 80 = 70.
    const t3 = new Date("2024-05-20T00:00:00Z");
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount\no9,c2,2024-05-19 09:00,3000\n", label: "o9.csv", now: t3 });
    const rows = await ledger(db, "c2");
    expect(rows.slice(-2).map((e) => [e.kind, Number(e.points)])).toEqual([
      ["earn", 150],
      ["reverse", -80],
    ]);
    expect(await pointBalance(db.query, c2)).toBe(70);
    // The running balance never dipped below zero, and the balance is the sum of the ledger.
    const [low] = await db.query<{ m: string }>(
      "select min(b)::text as m from (select sum(points) over (order by occurred_at, id) as b from loyalty_point_entries where customer_id = $1) x",
      [c2],
    );
    expect(Number(low?.m)).toBeGreaterThanOrEqual(0);
    // All 70 spent, then o9 refunded: nothing can be taken, so no entry; the audit log records o9's 150 owed.
    const t4 = new Date("2024-05-21T00:00:00Z");
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: c2, kind: "redeem", points: 70, idempotencyKey: "c2-r2" }, null, t4));
    const entries = (await ledger(db, "c2")).length;
    await importOrders({ handle: db, source: "external_id,customer_external_id,ordered_at,amount,status\no9,c2,2024-05-19 09:00,3000,refunded\n", label: "r9.csv", now: t4 });
    expect((await ledger(db, "c2")).length).toBe(entries);
    expect(await pointBalance(db.query, c2)).toBe(0);
    const [last] = await db.query<{ details: { reversed: number; owed: number } }>(
      "select details from audit_log where operation = 'loyalty.refund_shortfall' and target_id = $1 order by id desc limit 1",
      [String(c2)],
    );
    expect([Number(last?.details.reversed), Number(last?.details.owed)]).toEqual([0, 150]);
  });
});
