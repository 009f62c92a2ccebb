import { createDb, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { readEnv, type Env } from "../env.ts";

export { CliError } from "./cli-error.ts";

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(env: Env = readEnv()): Promise<DbHandle> {
  const handle = await createDb({
    databaseUrl: env.databaseUrl,
    dataDir: env.dataDir,
    logQueries: env.logQueries,
  });
  await migrate(handle);
  return handle;
}

/** Opens the database, runs `work`, and always closes the handle. */
export async function withDatabase<T>(work: (handle: DbHandle, env: Env) => Promise<T>): Promise<T> {
  const env = readEnv();
  const handle = await openDatabase(env);
  try {
    return await work(handle, env);
  } finally {
    await handle.close();
  }
}
