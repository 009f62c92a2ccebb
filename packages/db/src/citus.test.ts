// The schema stays ready for Citus: every unique key of a distributed table includes the
// distribution column (save the documented global keys) and every foreign key is one Citus can
// enforce. Runs on the migrated schema (PGlite, and PostgreSQL with TEST_DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { citusDistributionSql, citusProblems, DISTRIBUTED_TABLES, GLOBAL_KEY_EXCEPTIONS, REFERENCE_TABLES } from "./citus.ts";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "./testing.ts";

describe.each(testDatabaseKinds())("Citus readiness of the schema on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("every listed table exists with its distribution column", async () => {
    for (const [table, column] of Object.entries(DISTRIBUTED_TABLES)) {
      const rows = await db.query("select 1 from information_schema.columns where table_schema = current_schema() and table_name = $1 and column_name = $2", [table, column]);
      expect(rows, `${table}.${column}`).toHaveLength(1);
    }
    for (const table of REFERENCE_TABLES) {
      expect(await db.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = $1", [table]), table).toHaveLength(1);
    }
    for (const name of Object.keys(GLOBAL_KEY_EXCEPTIONS)) {
      expect(await db.query("select 1 from pg_class where relname = $1 and relnamespace = to_regnamespace(current_schema())::oid", [name]), name).toHaveLength(1);
    }
  });

  it("has no unique key or foreign key Citus could not enforce", async () => {
    expect(await citusProblems(db.query)).toEqual([]);
  });

  it("fails on a unique key without the distribution column and on a foreign key Citus cannot enforce", async () => {
    await db.transaction(async ({ query }) => {
      await query("create unique index orders_amount_bad on orders (external_id, amount)");
      await query("create table local_notes (id bigint primary key, customer_id bigint references customers (id))");
      await query("alter table customer_rollups add column snapshot_ref bigint");
      await query("alter table customer_rollups add constraint rollups_orders_bad foreign key (customer_id, snapshot_ref) references orders (customer_id, id)");
      await query("alter table campaign_assignments add column order_id bigint");
      await query("create unique index orders_id_bad on orders (id)");
      await query("alter table campaign_assignments add constraint assignments_orders_bad foreign key (order_id) references orders (id)");
      const problems = await citusProblems(query);
      expect(problems.map((p) => p.constraint).sort()).toEqual(["assignments_orders_bad", "local_notes_customer_id_fkey", "orders_amount_bad", "orders_id_bad"]);
      expect(problems.find((p) => p.constraint === "orders_amount_bad")?.problem).toMatch(/lacks customer_id/);
      expect(problems.find((p) => p.constraint === "assignments_orders_bad")?.problem).toMatch(/does not join the distribution columns/);
      throw Object.assign(new Error("undo"), { undo: true });
    }).catch((error: { undo?: boolean }) => {
      if (!error.undo) throw error;
    });
    expect(await citusProblems(db.query)).toEqual([]);
  });

  it("prints the distribution calls, reference tables first, co-located with customers", () => {
    const sql = citusDistributionSql();
    expect(sql[0]).toBe("SELECT create_reference_table('users');");
    expect(sql).toContain("SELECT create_distributed_table('customers', 'id');");
    expect(sql).toContain("SELECT create_distributed_table('orders', 'customer_id', colocate_with => 'customers');");
  });
});
