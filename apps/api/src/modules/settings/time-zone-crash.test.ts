// kill -9 of the process running a time-zone change, after its recount was written and before
// the commit (scripts/crash/time-zone-worker.ts holds there): nothing of it may survive — the
// zone and the rollups stay as they were and agree — and the job must read as failed
// (ABANDONED) once its process is seen gone (on PostgreSQL: its pid on this machine; on the
// embedded database: the next process to open the directory owns every running job), so a new
// change can run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { testDatabaseKinds, type TestDatabaseKind } from "@ltvloop/db/testing";
import { describe, expect, it } from "vitest";
import { seedScoredDemo } from "../../testing/demo.ts";
import { zoneAgreement } from "../../testing/zone-agreement.ts";
import { updateSettings } from "./settings.service.ts";
import { latestTimeZoneChange } from "./time-zone-change.ts";

const apiRoot = fileURLToPath(new URL("../../..", import.meta.url));

interface Target {
  env: Record<string, string>;
  open: () => Promise<DbHandle>;
  cleanup: () => Promise<void>;
}

async function makeTarget(kind: TestDatabaseKind): Promise<Target> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "ltvloop-time-zone-crash-"));
    return {
      env: { LTVLOOP_DATA_DIR: dir },
      open: async () => {
        const handle = await createDb({ dataDir: dir, lockCommand: "time-zone crash test" });
        await migrate(handle);
        return handle;
      },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  // A database of its own: the child connects by URL, without the tests' per-file schema.
  // eslint-disable-next-line no-restricted-properties -- the tests' PostgreSQL, as @ltvloop/db/testing reads it
  const base = process.env.TEST_DATABASE_URL as string;
  const name = `${new URL(base).pathname.slice(1) || "test"}_tzcrash_${randomBytes(4).toString("hex")}`;
  const admin = await createDb({ databaseUrl: base, maxConnections: 1 });
  await admin.query(`create database "${name}"`);
  await admin.close();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
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
  };
}

/** Runs the queued change in a child and SIGKILLs it once it has recounted (stage `saving`). */
function killMidChange(target: Target): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  // eslint-disable-next-line no-restricted-properties -- the child inherits the test's environment, minus DATABASE_URL
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/crash/time-zone-worker.ts"], { cwd: apiRoot, env: { ...inherited, ...target.env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (/stage \d+ saving/.test(stdout)) child.kill("SIGKILL");
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

const withHandle = async <T>(target: Target, work: (handle: DbHandle) => Promise<T>): Promise<T> => {
  const handle = await target.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
};

describe.each(testDatabaseKinds())("a time-zone change killed mid-job on %s", (kind) => {
  it("changes nothing, reads as abandoned, and a new change then runs", { timeout: 240_000 }, async () => {
    const target = await makeTarget(kind);
    try {
      const jobId = await withHandle(target, async (handle) => {
        await seedScoredDemo(handle, 120);
        expect(await zoneAgreement(handle.query)).toEqual({ zone: "Asia/Tokyo", mismatches: 0 });
        const queued = await updateSettings(handle, null, { timeZone: "America/New_York" }, { timeZone: "queue" });
        return queued.timeZoneChange?.id;
      });

      const killed = await killMidChange(target);
      expect(killed.signal, `the child finished instead of being killed:\n${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL");
      expect(killed.stdout).toContain(`stage ${jobId} recounting`);

      await withHandle(target, async (handle) => {
        expect(await zoneAgreement(handle.query)).toEqual({ zone: "Asia/Tokyo", mismatches: 0 });
        expect(await latestTimeZoneChange(handle, handle.query)).toMatchObject({ id: jobId, status: "failed", errorCode: "ABANDONED" });
        const again = await updateSettings(handle, null, { timeZone: "America/New_York" });
        expect(again).toMatchObject({ timeZone: "America/New_York", timeZoneChange: { status: "succeeded" } });
        expect(await zoneAgreement(handle.query)).toEqual({ zone: "America/New_York", mismatches: 0 });
      });
    } finally {
      await target.cleanup();
    }
  });
});
