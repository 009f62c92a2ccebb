// A database of its own for a test that kills a child process mid-work (kill -9) and then opens
// the database again: a PGlite directory, or a PostgreSQL database created beside the tests' one
// (the child connects by URL, without the tests' per-file schema).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import type { TestDatabaseKind } from "@ltvloop/db/testing";

interface Target {
  /** What the child process needs in its environment to open the same database. */
  env: Record<string, string>;
  /** Opens (and migrates) the database in this process. */
  open: () => Promise<DbHandle>;
  cleanup: () => Promise<void>;
}

export interface CrashTarget extends Target {
  /** Opens the database, runs `work` with it and closes it again (so the child can open it next). */
  use: <T>(work: (handle: DbHandle) => Promise<T>) => Promise<T>;
}

function withUse(target: Target): CrashTarget {
  return {
    ...target,
    use: async (work) => {
      const handle = await target.open();
      try {
        return await work(handle);
      } finally {
        await handle.close();
      }
    },
  };
}

/** `label` names the PGlite directory, its lock holder and the PostgreSQL database. */
export async function makeCrashTarget(kind: TestDatabaseKind, label: string): Promise<CrashTarget> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), `ltvloop-${label}-`));
    return withUse({
      env: { LTVLOOP_DATA_DIR: dir },
      open: async () => {
        const handle = await createDb({ dataDir: dir, lockCommand: `${label} test` });
        await migrate(handle);
        return handle;
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    });
  }
  // eslint-disable-next-line no-restricted-properties -- the tests' PostgreSQL, as @ltvloop/db/testing reads it
  const base = process.env.TEST_DATABASE_URL as string;
  const name = `${new URL(base).pathname.slice(1) || "test"}_${label.replace(/[^a-z0-9]/g, "")}_${randomBytes(4).toString("hex")}`;
  const admin = await createDb({ databaseUrl: base, maxConnections: 1 });
  await admin.query(`create database "${name}"`);
  await admin.close();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return withUse({
    env: { DATABASE_URL: url.toString() },
    open: async () => {
      const handle = await createDb({ databaseUrl: url.toString(), maxConnections: 2 });
      await migrate(handle);
      return handle;
    },
    cleanup: async () => {
      const dropper = await createDb({ databaseUrl: base, maxConnections: 1 });
      await dropper.query(`drop database if exists "${name}" with (force)`);
      await dropper.close();
    },
  });
}
