// kill -9 of a worker mid-job: a child process runs the scheduler (scripts/crash/worker.ts tick)
// and is SIGKILLed inside the nightly snapshot's transaction, after its scores were written.
// Nothing of that run may survive, and the job must come back by itself: its lease runs out
// (on the embedded database: the next process to open it owns every running job), the job is
// queued again after its backoff, and the next pass computes the snapshot.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { describe, expect, it } from "vitest";
import { partialSnapshots } from "../../../scripts/crash/checks.ts";
import { makeCrashTarget, type CrashTarget } from "../../testing/crash-target.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { setNightlySchedule } from "./job-history.service.ts";
import { NIGHTLY_SNAPSHOT_JOB, schedulerTick } from "./scheduler.service.ts";

const apiRoot = fileURLToPath(new URL("../../..", import.meta.url));
const LEASE_MS = 1500;
const BACKOFF_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one scheduler pass in a child and SIGKILLs it at its first held progress line. */
function killWorkerMidJob(target: CrashTarget): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  // eslint-disable-next-line no-restricted-properties -- the child inherits the test's environment, minus DATABASE_URL
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/crash/worker.ts", "tick", String(LEASE_MS), String(BACKOFF_MS), "hold"], {
    cwd: apiRoot,
    env: { ...inherited, ...target.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (/progress \d+ (segments|holdout|publish)/.test(stdout)) child.kill("SIGKILL");
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

describe.each(testDatabaseKinds())("a worker killed mid-job on %s", (kind) => {
  it("leaves no half-done snapshot, and the job is retried after its lease runs out", { timeout: 240_000 }, async () => {
    const target = await makeCrashTarget(kind, "crash");
    try {
      const first = await target.use(async (handle) => {
        const snapshot = await seedScoredDemo(handle, 400);
        await setNightlySchedule(handle, null, { enabled: true, localTime: "00:00" });
        await handle.query("update job_schedules set updated_at = now() - interval '2 days'");
        return snapshot.id;
      });

      const killed = await killWorkerMidJob(target);
      expect(killed.signal, `the child finished instead of being killed:\n${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL");
      const jobId = Number(/progress (\d+)/.exec(killed.stdout)?.[1]);

      await target.use(async (handle) => {
        // Killed inside the transaction: the job still reads as running (its lease not yet run out on
        // PostgreSQL); its snapshot wrote nothing visible and the previous one stays latest.
        const [job] = await handle.query<{ status: string; attempts: number; subject_id: number }>("select status, attempts, subject_id from jobs where id = $1", [jobId]);
        expect(job).toMatchObject({ status: "running", attempts: 1 });
        expect(await partialSnapshots(handle.query)).toEqual([]);
        const [latest] = await handle.query<{ id: number }>("select id from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1");
        expect(latest?.id).toBe(first);

        if (kind === "postgres") {
          // A dead owner on this machine is seen at once (its pid is gone); one on another machine
          // only by its lease running out. Make the killed worker look remote: before the lease
          // runs out nobody takes the job over.
          await handle.query("update jobs set owner = 'another-host:' || split_part(owner, ':', 2) || ':x' where id = $1", [jobId]);
          await schedulerTick(handle, { jobsPerTick: 0 });
          expect((await handle.query<{ status: string }>("select status from jobs where id = $1", [jobId]))[0]?.status).toBe("running");
          await sleep(LEASE_MS + 300);
        }
        await schedulerTick(handle, { jobsPerTick: 0 });
        const [requeued] = await handle.query<{ status: string; error_code: string; run_after: Date; now: Date }>(
          "select status, error_code, run_after, now() as now from jobs where id = $1",
          [jobId],
        );
        expect(requeued).toMatchObject({ status: "queued", error_code: "ABANDONED" });
        expect(requeued!.run_after.getTime()).toBeGreaterThan(requeued!.now.getTime()); // backing off
        const [interrupted] = await handle.query<{ status: string }>("select status from snapshots where id = $1", [job?.subject_id]);
        expect(interrupted?.status).toBe("failed");

        await sleep(BACKOFF_MS + 100);
        expect(await schedulerTick(handle)).toBe(1);
        const [done] = await handle.query<{ status: string; attempts: number; subject_id: number }>("select status, attempts, subject_id from jobs where id = $1", [jobId]);
        expect(done).toMatchObject({ status: "succeeded", attempts: 2 });
        const snapshots = await handle.query<{ id: number; status: string }>("select id, status from snapshots where id > $1 order by id", [first]);
        expect(snapshots).toEqual([
          { id: job?.subject_id, status: "failed" },
          { id: done?.subject_id, status: "succeeded" },
        ]);
        expect(await partialSnapshots(handle.query)).toEqual([]);
        const jobs = await handle.query("select id from jobs where kind = $1", [NIGHTLY_SNAPSHOT_JOB]);
        expect(jobs).toHaveLength(1); // the same slot's job, not a second one
      });
    } finally {
      await target.cleanup();
    }
  });
});
