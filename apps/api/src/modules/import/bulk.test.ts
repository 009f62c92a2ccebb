// Bulk mode (bulk.ts): a load at least as large as its table rebuilds the table's secondary
// indexes, unique keys and foreign keys instead of maintaining them per row. Forced here on
// small files (bulkMinRows 1): the data, the rollups and every index and constraint must come
// out exactly as the row-by-row path leaves them.
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { rowCounts } from "../health/health.service.ts";
import { importCustomers } from "./customers-import.service.ts";
import { importOrders } from "./orders-import.service.ts";

const CUSTOMERS = `external_id,name,email,acquired_at
C1,Hanako,hanako@example.com,2024-01-15
C2,Taro,,2024-02-01 10:00
C3,Jiro,jiro@example.com,
`;
const ORDERS = `external_id,customer_external_id,ordered_at,amount,status
O1,C1,2024-03-01 10:00,1000,completed
O2,C1,2024-03-01 18:00,500,completed
O3,C1,2024-04-02,800,refunded
O4,C2,2024-03-05T01:00:00Z,1200,completed
`;
// O2 changes customer and amount, O5 and O6 are new: 6 rows against 4 stored, so bulk again.
const ORDERS_AGAIN = `external_id,customer_external_id,ordered_at,amount,status
O1,C1,2024-03-01 10:00,1000,completed
O2,C3,2024-03-01 18:00,650,completed
O3,C1,2024-04-02,800,refunded
O4,C2,2024-03-05T01:00:00Z,1200,completed
O5,C3,2024-05-01,300,completed
O6,C2,2024-05-02,200,completed
`;

/** Every index and constraint of customers, orders and the rollups, and the triggers' states, as the catalog prints them. */
async function definitions(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ def: string }>(
    `select c.relname || ': ' || pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indrelid
      where i.indrelid in ('customers'::regclass, 'orders'::regclass, 'customer_rollups'::regclass, 'customer_day_activity'::regclass)
     union all
     select conrelid::regclass::text || ': ' || conname || ' ' || pg_get_constraintdef(oid) || ' valid=' || convalidated
       from pg_constraint where conrelid in ('customers'::regclass, 'orders'::regclass, 'customer_rollups'::regclass, 'customer_day_activity'::regclass)
     union all
     select tgrelid::regclass::text || ': trigger ' || tgname || ' enabled=' || tgenabled::text
       from pg_trigger where tgrelid in ('customers'::regclass, 'orders'::regclass) and not tgisinternal
     order by 1`,
  );
  return rows.map((r) => r.def);
}

describe.each(testDatabaseKinds())("bulk mode on %s", (kind) => {
  let db: TestDatabase;
  let before: string[];
  beforeAll(async () => {
    db = await createTestDb(kind);
    before = await definitions(db);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("loads customers and orders, then re-loads changed orders, leaving every index and constraint as it was", async () => {
    const indexOids = () => db.query<{ oid: number }>("select 'orders_ordered_at_idx'::regclass::oid::int as oid union all select 'customers_acquired_at_idx'::regclass::oid::int");
    const oidsBefore = await indexOids();
    const customers = await importCustomers({ handle: db, source: CUSTOMERS, label: "customers.csv", bulkMinRows: 1 });
    expect(customers.customers).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const first = await importOrders({ handle: db, source: ORDERS, label: "orders.csv", bulkMinRows: 1, now: new Date("2025-01-01T00:00:00Z") });
    expect(first.orders).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    const again = await importOrders({ handle: db, source: ORDERS_AGAIN, label: "orders.csv", bulkMinRows: 1, now: new Date("2025-01-01T00:00:00Z") });
    expect(again.orders).toEqual({ inserted: 2, updated: 1, unchanged: 3 });

    expect(await definitions(db)).toEqual(before);
    // The row counts /healthz reads: bulk mode records them itself while their trigger is off.
    expect(await rowCounts(db.query)).toEqual({ customers: 3, orders: 6 });
    // Rebuilt, not maintained: the indexes are new objects with the old definitions.
    const oidsAfter = await indexOids();
    expect(oidsAfter[0]?.oid).not.toBe(oidsBefore[0]?.oid);
    expect(oidsAfter[1]?.oid).not.toBe(oidsBefore[1]?.oid);
    const orders = await db.query<{ external_id: string; customer: string; amount: string }>(
      `select o.external_id, c.external_id as customer, o.amount::text as amount from orders o join customers c on c.id = o.customer_id order by 1`,
    );
    expect(orders.map((o) => `${o.external_id}:${o.customer}:${o.amount}`)).toEqual([
      "O1:C1:1000.00", "O2:C3:650.00", "O3:C1:800.00", "O4:C2:1200.00", "O5:C3:300.00", "O6:C2:200.00",
    ]);
    // The rollups follow the move of O2 from C1 to C3; refunded O3 never counts.
    const rollups = await db.query<{ customer: string; order_count: number; revenue: string; purchase_days: number }>(
      `select c.external_id as customer, r.order_count, r.revenue::text as revenue, r.purchase_days
         from customer_rollups r join customers c on c.id = r.customer_id order by 1`,
    );
    expect(rollups).toEqual([
      { customer: "C1", order_count: 1, revenue: "1000.00", purchase_days: 1 },
      { customer: "C2", order_count: 2, revenue: "1400.00", purchase_days: 2 },
      { customer: "C3", order_count: 2, revenue: "950.00", purchase_days: 2 },
    ]);
  });

  it("refuses an id that appears twice, new or stored, with its lines, and writes nothing", async () => {
    const refused = async (source: string) => {
      const error = await importOrders({ handle: db, source, label: "twice.csv", bulkMinRows: 1, now: new Date("2025-01-01T00:00:00Z") }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      const [count] = await db.query<{ n: number }>("select count(*)::int as n from orders");
      expect(count?.n).toBe(6);
      expect(await definitions(db)).toEqual(before);
      return (error as DomainError).problems.map((p) => `${p.path} ${p.reason}`);
    };
    // Two new rows with one id: found when the unique key is rebuilt, undone to a savepoint.
    expect(await refused(`${ORDERS_AGAIN}O7,C1,2024-05-03,100,completed\nO8,C2,2024-05-03,100,completed\nO7,C2,2024-05-04,100,completed\n`)).toEqual(["line 10, column external_id DUPLICATE_KEY"]);
    // Two rows for one stored order: found before anything is written.
    expect(await refused(`${ORDERS_AGAIN}O7,C1,2024-05-03,100,completed\nO1,C1,2024-03-01 10:00,1000,completed\n`)).toEqual(["line 9, column external_id DUPLICATE_KEY"]);
    // With another problem in the file, both are listed.
    expect(await refused(`${ORDERS_AGAIN}O7,C9,2024-05-03,100,completed\nO1,C1,2024-03-01 10:00,1000,completed\n`)).toEqual([
      "line 8, column customer_external_id UNKNOWN_CUSTOMER",
      "line 9, column external_id DUPLICATE_KEY",
    ]);
  });

  it("still refuses an unknown customer and writes nothing", async () => {
    const error = await importOrders({ handle: db, source: `${ORDERS_AGAIN}O7,C9,2024-05-03,100,completed\n`, label: "bad.csv", bulkMinRows: 1, now: new Date("2025-01-01T00:00:00Z") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).problems[0]?.path).toBe("line 8, column customer_external_id");
    const [count] = await db.query<{ n: number }>("select count(*)::int as n from orders");
    expect(count?.n).toBe(6);
    expect(await definitions(db)).toEqual(before);
  });
});
