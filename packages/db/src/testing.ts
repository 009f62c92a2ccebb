// Test databases: PGlite in memory always, and PostgreSQL when TEST_DATABASE_URL is set.
// Each PostgreSQL test database is a fresh schema, so test files can run side by side.
import { randomBytes } from "node:crypto";
import { createDb, type DbHandle } from "./client.ts";
import { migrate } from "./migrate.ts";

export type TestDatabaseKind = "pglite" | "postgres";

/** The databases this test run covers: PGlite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase extends DbHandle {
  /** Closes the handle and drops the schema it created. */
  destroy: () => Promise<void>;
}

/** A migrated, empty database of the given kind. */
export async function createTestDb(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = await createDb({ dataDir: "memory://" });
    await migrate(handle);
    return { ...handle, destroy: () => handle.close() };
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set: PostgreSQL tests need a postgres:// URL.");
  const schemaName = `ltvloop_test_${randomBytes(6).toString("hex")}`;
  const handle = await withDdlLock(url, async (admin) => {
    await admin.query(`create schema "${schemaName}"`);
    const created = await createDb({ databaseUrl: url, schemaName, maxConnections: 4 });
    await migrate(created);
    return created;
  });
  return {
    ...handle,
    destroy: async () => {
      await handle.close();
      await withDdlLock(url, (admin) => admin.query(`drop schema "${schemaName}" cascade`));
    },
  };
}

/**
 * Test files run side by side; creating, migrating and dropping their schemas at the same time
 * can deadlock on PostgreSQL's catalog locks, so that DDL takes turns on an advisory lock.
 */
async function withDdlLock<T>(url: string, work: (admin: DbHandle) => Promise<T>): Promise<T> {
  const admin = await createDb({ databaseUrl: url, maxConnections: 1 });
  try {
    await admin.query("select pg_advisory_lock(724201)");
    return await work(admin);
  } finally {
    await admin.query("select pg_advisory_unlock(724201)").catch(() => undefined);
    await admin.close();
  }
}
