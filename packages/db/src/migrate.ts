import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { DbHandle } from "./client.ts";

/** The committed migrations, found from this file's location, never the working directory. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

/** Applies every committed migration not yet applied. Safe to run at every start. */
export async function migrate(handle: DbHandle): Promise<void> {
  const config = {
    migrationsFolder: MIGRATIONS_FOLDER,
    ...(handle.schemaName ? { migrationsSchema: handle.schemaName } : {}),
  };
  if (handle.kind === "embedded") {
    await migratePglite(handle.db as unknown as PgliteDatabase, config);
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, config);
  }
}
