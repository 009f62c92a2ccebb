import { createDb, DatabaseLockedError, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { readEnv, type Env } from "../env.ts";

import { CliError } from "./cli-error.ts";

export { CliError };

/** Bounds on every statement and idle transaction of a handle (PostgreSQL). */
export interface SessionLimits {
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/**
 * Opens the configured database and applies pending migrations. On PostgreSQL every statement is
 * bounded: the server passes the per-request limits; other commands get the jobs' statement
 * limit and no idle-in-transaction limit (they may compute between statements for a while).
 * Migrations run first on a connection of their own without limits.
 */
export async function openDatabase(
  env: Env = readEnv(),
  limits: SessionLimits = { statementTimeoutMs: env.jobStatementTimeoutMs, idleInTransactionTimeoutMs: 0 },
): Promise<DbHandle> {
  const open = (bounded: boolean) =>
    createDb({
      databaseUrl: env.databaseUrl,
      dataDir: env.dataDir,
      logQueries: env.logQueries,
      lockCommand: `ltvloop ${process.argv.slice(2).join(" ")}`.slice(0, 200),
      ...(bounded ? limits : { maxConnections: 1 }),
    }).catch((error: unknown) => {
      // Another process holds the embedded database: say who and what to do, with exit code 1.
      if (error instanceof DatabaseLockedError) throw new CliError(error.message);
      throw error;
    });
  if (env.databaseUrl) {
    const migrator = await open(false);
    try {
      await migrate(migrator);
    } finally {
      await migrator.close();
    }
    return open(true);
  }
  const handle = await open(true);
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
