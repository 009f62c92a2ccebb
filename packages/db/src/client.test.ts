import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "./testing.ts";

describe.each(testDatabaseKinds())("database on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("creates the settings row with Japanese retail defaults", async () => {
    const [row] = await db.query<{ time_zone: string; currency: string; default_margin: string }>(
      "select time_zone, currency, default_margin from settings",
    );
    expect(row).toEqual({ time_zone: "Asia/Tokyo", currency: "JPY", default_margin: "0.3000" });
  });

  it("binds arrays, numbers and dates the same way on both drivers", async () => {
    const rows = await db.query<{ a: string; b: string; c: Date | null }>(
      "select * from unnest($1::text[], $2::numeric[], $3::timestamptz[]) as t(a, b, c)",
      [["x", null], [1.5, 2], ["2024-01-02T03:04:05Z", null]],
    );
    expect(rows).toEqual([
      { a: "x", b: "1.5", c: new Date("2024-01-02T03:04:05Z") },
      { a: null, b: "2", c: null },
    ]);
  });

  it("rejects negative amounts, unknown statuses and duplicate external ids", async () => {
    await db.query("insert into customers (external_id, name) values ('c1', 'A')");
    const [{ id }] = (await db.query<{ id: number }>("select id from customers where external_id = 'c1'")) as [{ id: number }];
    const insertOrder = (ext: string, amount: string, status: string) =>
      db.query("insert into orders (external_id, customer_id, ordered_at, amount, status) values ($1, $2, now(), $3, $4)", [
        ext,
        id,
        amount,
        status,
      ]);
    await expect(insertOrder("o1", "-1", "completed")).rejects.toThrow(/orders_amount_nonnegative/);
    await expect(insertOrder("o1", "10", "lost")).rejects.toThrow(/orders_status_known/);
    await insertOrder("o1", "10", "completed");
    await expect(insertOrder("o1", "10", "completed")).rejects.toThrow(/orders_external_id_unique/);
    await expect(db.query("insert into customers (external_id) values ('c1')")).rejects.toThrow(
      /customers_external_id_unique/,
    );
  });

  it("rolls back the whole transaction when one statement fails", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into customers (external_id) values ('tx-1')");
        await tx.query("insert into customers (external_id) values ('tx-1')");
      }),
    ).rejects.toThrow();
    const rows = await db.query("select 1 from customers where external_id = 'tx-1'");
    expect(rows).toHaveLength(0);
  });
});
