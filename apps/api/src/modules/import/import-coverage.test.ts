// Orders dated after the import time are refused unless allowed, and every committed orders
// import records the range it covered, which sets the orders-complete watermark.
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { ordersWatermark, setOrdersWatermark } from "../data-quality/data-quality.service.ts";
import { importCustomers } from "./customers-import.service.ts";
import { importOrders } from "./orders-import.service.ts";

const NOW = new Date("2025-06-10T03:00:00Z");

describe.each(testDatabaseKinds())("import coverage on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db.query("truncate customer_rollups, orders, customers, import_runs, data_watermarks restart identity cascade");
    await importCustomers({ handle: db, source: "external_id,name\nC1,A\nC2,B\n", label: "customers.csv" });
  });
  const orders = (csv: string, extra: { allowFuture?: boolean; skipInvalid?: boolean; dryRun?: boolean } = {}) =>
    importOrders({ handle: db, source: `external_id,customer_external_id,ordered_at,amount\n${csv}`, label: "orders.csv", now: NOW, ...extra });
  const count = async () => Number((await db.query<{ n: number }>("select count(*)::int as n from orders"))[0]?.n);

  it("refuses orders dated after the import time beyond the tolerance, with line numbers, and writes nothing", async () => {
    let error: unknown;
    try {
      // Line 2 is fine, line 3 is 30 minutes ahead (within the hour's tolerance), lines 4–5 are not.
      await orders("O1,C1,2025-06-01,100\nO2,C1,2025-06-10 12:30+09:00,100\nO3,C2,2025-06-11,100\nO4,C2,2100-01-01,100\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const problems = (error as DomainError).problems;
    expect(problems.map((p) => p.path)).toEqual(["line 4, column ordered_at", "line 5, column ordered_at"]);
    // The CLI prints the message: the instants in the business time zone with its offset, as the
    // rest of the CLI shows times; the parameters stay UTC instants for clients that format them.
    expect(problems[0]?.message).toMatch(/^2025-06-11 00:00:00\+09:00 is after the import time 2025-06-10 12:00:00\+09:00 \(tolerance 60 min\): .*--allow-future/);
    expect(problems[0]?.params).toEqual({ value: "2025-06-10T15:00:00.000Z", importTime: "2025-06-10T03:00:00.000Z", toleranceMinutes: 60, timeZone: "Asia/Tokyo" });
    expect(await count()).toBe(0);
    expect((await ordersWatermark(db.query)).source).toBe("unknown");
  });

  it("imports them with allowFuture, and skips only them with skipInvalid", async () => {
    await orders("O1,C1,2025-06-01,100\nO3,C2,2025-06-11,100\n", { allowFuture: true });
    expect(await count()).toBe(2);
    const skipped = await orders("O5,C1,2025-06-02,100\nO6,C2,2030-01-01,100\n", { skipInvalid: true });
    expect(skipped.skippedCount).toBe(1);
    expect(skipped.skipped[0]).toMatchObject({ line: 3, column: "ordered_at" });
    expect(await count()).toBe(3);
  });

  it("refuses customers acquired after the import time beyond the same tolerance, and writes nothing; skips only them with skipInvalid", async () => {
    const customers = (csv: string, extra: { skipInvalid?: boolean } = {}) =>
      importCustomers({ handle: db, source: `external_id,name,acquired_at\n${csv}`, label: "customers.csv", now: NOW, ...extra });
    const stored = async () => (await db.query<{ external_id: string }>("select external_id from customers order by 1")).map((r) => r.external_id);
    let error: unknown;
    try {
      // Line 2 is today, line 3 is 30 minutes ahead (within the tolerance), lines 4–5 are not;
      // line 6 updates C1 with a future date.
      await customers("N1,A,2025-06-10\nN2,B,2025-06-10 12:30+09:00\nN3,C,2025-06-11\nN4,D,2099-01-01\nC1,A,2025-06-10 13:01\n");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const problems = (error as DomainError).problems;
    expect(problems.map((p) => [p.path, p.reason])).toEqual([
      ["line 4, column acquired_at", "FUTURE_ACQUISITION"],
      ["line 5, column acquired_at", "FUTURE_ACQUISITION"],
      ["line 6, column acquired_at", "FUTURE_ACQUISITION"],
    ]);
    expect(problems[0]?.params).toEqual({ value: "2025-06-10T15:00:00.000Z", importTime: "2025-06-10T03:00:00.000Z", toleranceMinutes: 60, timeZone: "Asia/Tokyo" });
    expect(problems[0]?.message).toBe(
      "2025-06-11 00:00:00+09:00 is after the import time 2025-06-10 12:00:00+09:00 (tolerance 60 min): a customer cannot be acquired in the future; check the date (a mistyped year?) and the time zone.",
    );
    expect(await stored()).toEqual(["C1", "C2"]);
    expect((await db.query<{ acquired_at: Date | null }>("select acquired_at from customers where external_id = 'C1'"))[0]?.acquired_at).toBeNull();

    const skipped = await customers("N1,A,2025-06-10\nN3,C,2030-01-01\n", { skipInvalid: true });
    expect(skipped).toMatchObject({ skippedCount: 1, customers: { inserted: 1 } });
    expect(skipped.skipped[0]).toMatchObject({ line: 3, column: "acquired_at", code: "FUTURE_ACQUISITION" });
    expect(await stored()).toEqual(["C1", "C2", "N1"]);
  });

  it("records each committed import's range; the watermark is the latest order covered unless an admin sets one", async () => {
    await orders("O1,C1,2025-05-01 10:00+09:00,100\nO2,C2,2025-06-09 18:00+09:00,100\n");
    await orders("O3,C1,2025-06-08 09:00+09:00,100\n", { dryRun: true });
    const runs = await db.query<{ covered_from: Date; covered_to: Date; rows: number; label: string; inserted: number }>(
      "select covered_from, covered_to, rows, label, inserted from import_runs where kind = 'orders'",
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ label: "orders.csv", inserted: 2 });
    // The customers import of beforeEach is in the history too, without a time range.
    const customers = await db.query<{ rows: number; covered_from: Date | null; label: string }>("select rows, covered_from, label from import_runs where kind = 'customers'");
    expect(customers).toEqual([{ rows: 2, covered_from: null, label: "customers.csv" }]);
    expect(runs[0]?.rows).toBe(2);
    expect(new Date(runs[0]?.covered_from as Date).toISOString()).toBe("2025-05-01T01:00:00.000Z");
    let w = await ordersWatermark(db.query);
    expect(w.source).toBe("imports");
    expect(w.ordersCompleteUntil?.toISOString()).toBe("2025-06-09T09:00:00.000Z");
    w = await setOrdersWatermark(db, null, new Date("2025-06-10T00:00:00Z"), "nightly incremental feed", NOW);
    expect(w).toMatchObject({ source: "admin", note: "nightly incremental feed" });
    expect(w.ordersCompleteUntil?.toISOString()).toBe("2025-06-10T00:00:00.000Z");
    await expect(setOrdersWatermark(db, null, new Date("2025-07-01T00:00:00Z"), "", NOW)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    w = await setOrdersWatermark(db, null, null, "", NOW);
    expect(w.source).toBe("imports");
  });
});
