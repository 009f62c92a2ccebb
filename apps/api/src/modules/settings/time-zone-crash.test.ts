// kill -9 of the process running a time-zone change, after its recount was written and before
// the commit (scripts/crash/time-zone-worker.ts holds there): nothing of it may survive — the
// zone and the rollups stay as they were and agree — and the job must read as failed
// (ABANDONED) once its process is seen gone (on PostgreSQL: its pid on this machine; on the
// embedded database: the next process to open the directory owns every running job), so a new
// change can run.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { describe, expect, it } from "vitest";
import { makeCrashTarget, type CrashTarget } from "../../testing/crash-target.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { zoneAgreement } from "../../testing/zone-agreement.ts";
import { updateSettings } from "./settings.service.ts";
import { latestTimeZoneChange } from "./time-zone-change.ts";

const apiRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** Runs the queued change in a child and SIGKILLs it once it has recounted (stage `saving`). */
function killMidChange(target: CrashTarget): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
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

describe.each(testDatabaseKinds())("a time-zone change killed mid-job on %s", (kind) => {
  it("changes nothing, reads as abandoned, and a new change then runs", { timeout: 240_000 }, async () => {
    const target = await makeCrashTarget(kind, "time-zone-crash");
    try {
      const jobId = await target.use(async (handle) => {
        await seedScoredDemo(handle, 120);
        expect(await zoneAgreement(handle.query)).toEqual({ zone: "Asia/Tokyo", mismatches: 0 });
        const queued = await updateSettings(handle, null, { timeZone: "America/New_York" }, { timeZone: "queue" });
        return queued.timeZoneChange?.id;
      });

      const killed = await killMidChange(target);
      expect(killed.signal, `the child finished instead of being killed:\n${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL");
      expect(killed.stdout).toContain(`stage ${jobId} recounting`);

      await target.use(async (handle) => {
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
