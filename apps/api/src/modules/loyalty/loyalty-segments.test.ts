// Segment rule fields over the loyalty ledger, as of the snapshot: points balance, unused points
// expiring within 30 days (earliest-expiring used first) and stamps to the next reward.
import "reflect-metadata";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCustomers } from "../import/customers-import.service.ts";
import { importOrders } from "../import/orders-import.service.ts";
import { createSegment } from "../segments/segment.service.ts";
import { refreshSegmentMembers } from "../segments/segment-members.service.ts";
import { SegmentKindEnum } from "../segments/segment.type.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { writeManualEntry } from "./loyalty-ledger.service.ts";
import { addPointRule, addStampRule } from "./loyalty-rules.service.ts";

// Rule: 1 point per ¥10, rolling 40 days. Stamp per order ≥ ¥1000, card of 3.
// s1: 2024-05-01 ¥3000 (300 pts, expires 06-10), 2024-05-25 ¥1000 (100 pts, expires 07-04); redeemed 100 on 2024-05-26.
//     As of 2024-06-01: balance 300; expiring by 07-01: 300 − 100 = 200; stamps 2 of 3 → 1 to go.
// s2: 2024-05-30 ¥500 (50 pts, expires 07-09; no stamp): balance 50, expiring 0, no card.
const ORDERS = `external_id,customer_external_id,ordered_at,amount
p1,s1,2024-05-01 12:00,3000
p2,s1,2024-05-25 12:00,1000
p3,s2,2024-05-30 12:00,500
`;

describe.each(testDatabaseKinds())("loyalty segment fields (%s)", (kind) => {
  let db: TestDatabase;
  let snapshotId: number;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await db.transaction(async ({ query }) => {
      await addPointRule(query, { effectiveFrom: new Date("2024-01-01T00:00:00Z"), earnRate: 0.1, rounding: "floor", minOrderAmount: 0, expiryMode: "rolling", expiryDays: 40, pointValue: 1 }, null, { allowPast: true });
      await addStampRule(query, { effectiveFrom: new Date("2024-01-01T00:00:00Z"), thresholdAmount: 1000, per: "order", cardSize: 3, rewardLabel: "gift", rewardValue: 0 }, null, { allowPast: true });
    });
    await importCustomers({ handle: db, source: "external_id\ns1\ns2\n", label: "c.csv" });
    await importOrders({ handle: db, source: ORDERS, label: "o.csv", now: new Date("2024-05-31T00:00:00Z") });
    const [s1] = await db.query<{ id: number }>("select id from customers where external_id = 's1'");
    await db.transaction(({ query }) => writeManualEntry(query, { customerId: Number(s1?.id), kind: "redeem", points: 100, idempotencyKey: "r" }, null, new Date("2024-05-26T00:00:00Z")));
    const snapshot = await createSnapshot(db, null, { asOfDate: "2024-06-01" });
    snapshotId = (await executeSnapshot(db, snapshot.id)).id;
  }, 120_000);
  afterAll(() => db?.destroy());

  const members = async (definition: unknown) => {
    const segment = await createSegment(db, null, { name: JSON.stringify(definition), description: "", kind: SegmentKindEnum.RULE, definition });
    await db.transaction(({ query }) => refreshSegmentMembers(query, snapshotId, [Number(segment.id)]));
    const rows = await db.query<{ external_id: string }>(
      "select c.external_id from segment_members m join customers c on c.id = m.customer_id where m.segment_id = $1 and m.snapshot_id = $2 order by 1",
      [segment.id, snapshotId],
    );
    return rows.map((r) => r.external_id);
  };

  it("selects by balance, expiring points and stamps to the reward", async () => {
    expect(await members({ field: "pointsBalance", op: "gte", value: 300 })).toEqual(["s1"]);
    expect(await members({ field: "pointsBalance", op: "eq", value: 50 })).toEqual(["s2"]);
    expect(await members({ field: "pointsExpiringIn30Days", op: "eq", value: 200 })).toEqual(["s1"]);
    expect(await members({ field: "pointsExpiringIn30Days", op: "eq", value: 0 })).toEqual(["s2"]);
    expect(await members({ field: "stampsToReward", op: "eq", value: 1 })).toEqual(["s1"]);
    expect(await members({ field: "stampsToReward", op: "isNull" })).toEqual(["s2"]);
  });
});
