// The lease mechanism every background job uses: claim, heartbeat, cancel, abandonment.
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueJob, errorCodeOf, reapAbandonedJobs, requestCancel, runJob, PROCESS_OWNER } from "./job.lease.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a failed run's code", () => {
  it("tells PostgreSQL's statement timeout from a statement cancelled elsewhere (both 57014)", () => {
    const pg = (message: string, code = "57014") => Object.assign(new Error(message), { code });
    expect(errorCodeOf(pg("canceling statement due to statement timeout"))).toBe("STATEMENT_TIMEOUT");
    expect(errorCodeOf(pg("canceling statement due to user request"))).toBe("QUERY_CANCELLED");
    expect(errorCodeOf(pg("deadlock detected", "40P01"))).toBe("DATABASE_40P01");
    expect(errorCodeOf(new Error("boom"))).toBe("INTERNAL");
  });
});

describe.each(testDatabaseKinds())("job leases on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const jobRow = async (id: number) =>
    (await db.query<{ status: string; owner: string; attempts: number; lease_expires_at: Date | null; error: string | null }>(
      "select status, owner, attempts, lease_expires_at, error from jobs where id = $1",
      [id],
    ))[0];

  it("claims a queued job once, records success and releases the lease", async () => {
    const job = await enqueueJob(db.query, { kind: "test", payload: { n: 1 } });
    const outcome = await runJob(db, job.id, async (lease) => {
      expect(await jobRow(lease.job.id)).toMatchObject({ status: "running", owner: PROCESS_OWNER, attempts: 1 });
      return 42;
    });
    expect(outcome).toEqual({ status: "succeeded", value: 42 });
    expect(await jobRow(job.id)).toMatchObject({ status: "succeeded", lease_expires_at: null });
    await expect(runJob(db, job.id, async () => 0)).rejects.toThrow(/not queued/);
  });

  it("records a failure with the error's message", async () => {
    const job = await enqueueJob(db.query, { kind: "test" });
    const outcome = await runJob(db, job.id, async () => {
      throw new Error("boom: the input was wrong");
    });
    expect(outcome.status).toBe("failed");
    expect(await jobRow(job.id)).toMatchObject({ status: "failed", error: "boom: the input was wrong" });
  });

  it("keeps one queued or running job per singleton key", async () => {
    await enqueueJob(db.query, { kind: "single", singletonKey: "k" });
    await expect(enqueueJob(db.query, { kind: "single", singletonKey: "k" })).rejects.toMatchObject({ code: "23505" });
    await enqueueJob(db.query, { kind: "single", singletonKey: "other" });
  });

  it("marks a queued job nobody claimed in time, and a dead owner's running job, as abandoned", async () => {
    const unclaimed = await enqueueJob(db.query, { kind: "reap", claimWithinMs: -1 });
    const waiting = await enqueueJob(db.query, { kind: "reap", claimWithinMs: 60_000 });
    const dead = await enqueueJob(db.query, { kind: "reap" });
    await db.query("update jobs set status = 'running', owner = 'h:1:x', lease_expires_at = now() - interval '1 second' where id = $1", [dead.id]);
    const reaped = await reapAbandonedJobs(db, db.query, "reap");
    expect(reaped.map((j) => j.id).sort()).toEqual([unclaimed.id, dead.id].sort());
    expect((await jobRow(waiting.id))?.status).toBe("queued");
    expect((await jobRow(dead.id))?.error).toMatch(/Abandoned: the process running it \(h:1:x\)/);
  });

  // PostgreSQL only: PGlite runs in this process, with no other backend to cancel or outlive.
  if (kind === "postgres") it("does not wait for the lease of a process of this machine that no longer exists", async () => {
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const live = await enqueueJob(db.query, { kind: "local" });
    const dead = await enqueueJob(db.query, { kind: "local" });
    await db.query("update jobs set status = 'running', owner = $2, lease_expires_at = now() + interval '1 hour' where id = $1", [live.id, `${hostname()}:${process.ppid}:other`]);
    await db.query("update jobs set status = 'running', owner = $2, lease_expires_at = now() + interval '1 hour' where id = $1", [dead.id, `${hostname()}:${gone.stdout}:gone`]);
    const reaped = await reapAbandonedJobs(db, db.query, "local");
    expect(reaped.map((j) => j.id)).toEqual([dead.id]);
    expect((await jobRow(live.id))?.status).toBe("running");
  });

  if (kind === "postgres") it("renews the lease with heartbeats while the job runs", async () => {
    const job = await enqueueJob(db.query, { kind: "beat" });
    const seen: number[] = [];
    await runJob(
      db,
      job.id,
      async () => {
        for (let i = 0; i < 3; i++) {
          await sleep(250);
          seen.push(((await jobRow(job.id))?.lease_expires_at as Date).getTime());
        }
      },
      { leaseMs: 300 },
    );
    expect(seen[2]).toBeGreaterThan(seen[0] as number);
  });

  if (kind === "postgres") it("stops a long statement when another process requests a cancel", async () => {
    const job = await enqueueJob(db.query, { kind: "long" });
    const started = Date.now();
    const run = runJob(
      db,
      job.id,
      (lease) =>
        db.transaction(async ({ query }) => {
          await lease.recordBackend(query);
          await query("select pg_sleep(20)");
        }),
      { leaseMs: 300 },
    );
    await sleep(400);
    // As another process would: only the row changes; this process sees it at its heartbeat.
    await db.query("update jobs set cancel_requested_at = now() where id = $1", [job.id]);
    const outcome = await run;
    expect(outcome.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await jobRow(job.id))?.status).toBe("cancelled");
  });

  it("cancels a running job of this process at its next check", async () => {
    const job = await enqueueJob(db.query, { kind: "loop" });
    let cancelled: Promise<unknown> | null = null;
    const outcome = await runJob(db, job.id, async (lease) => {
      for (let i = 0; i < 100; i++) {
        if (i === 3) cancelled = requestCancel(db, job.id, null);
        lease.throwIfCancelled();
        await sleep(5);
      }
    });
    await cancelled;
    expect(outcome.status).toBe("cancelled");
    expect((await jobRow(job.id))?.status).toBe("cancelled");
  });
});
