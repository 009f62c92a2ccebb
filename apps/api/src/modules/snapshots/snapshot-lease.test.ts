// Snapshots under leases: a run whose process died never blocks the next one, and an admin can
// cancel a running snapshot without touching the published ones.
import type { Query } from "@ltvloop/db/client";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { cancelSnapshot, createSnapshot, executeSnapshot, getSnapshot, healSnapshots, latestSnapshot, type SnapshotRow } from "./snapshot.service.ts";


async function partitionsOf(query: Query, snapshotId: number): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `select relname as name from pg_class where relname in ($1, $2) and relnamespace = to_regnamespace(current_schema())::oid`,
    [`customer_scores_${snapshotId}`, `segment_members_${snapshotId}`],
  );
  return rows.map((r) => r.name);
}

async function jobOf(query: Query, snapshotId: number) {
  const [job] = await query<{ status: string; error: string | null; owner: string | null; attempts: number }>(
    "select status, error, owner, attempts from jobs where kind = 'snapshot' and subject_id = $1",
    [snapshotId],
  );
  return job;
}

/** What a process that died mid-run leaves behind: the snapshot running, its job leased to a dead owner. */
async function abandonRunning(db: TestDatabase, leaseEndsInMs: number): Promise<SnapshotRow> {
  const queued = await createSnapshot(db, null, { asOfDate: "2025-05-01" });
  await db.query(
    `update jobs set status = 'running', owner = 'gone-host:999999:dead', attempts = 1, started_at = now(),
            lease_expires_at = now() + $2 * interval '1 millisecond' where kind = 'snapshot' and subject_id = $1`,
    [queued.id, leaseEndsInMs],
  );
  await db.query("update snapshots set status = 'running', stage = 'scores', progress = 0.55, started_at = now() where id = $1", [queued.id]);
  return queued;
}

describe.each(testDatabaseKinds())("snapshot leases on %s", (kind) => {
  let db: TestDatabase;
  let published: SnapshotRow;

  beforeAll(async () => {
    db = await createTestDb(kind);
    published = await seedScoredDemo(db, 300);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("marks a run whose process died failed once its lease has run out, and the next snapshot proceeds without a restart", async () => {
    const dead = await abandonRunning(db, -1000);
    const next = await createSnapshot(db, null, { asOfDate: "2025-06-02" });
    const interrupted = await getSnapshot(db.query, dead.id);
    expect(interrupted.status).toBe("failed");
    expect(interrupted.error).toMatch(/Interrupted/);
    expect(await jobOf(db.query, dead.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/Abandoned.*gone-host:999999:dead/) });
    expect(await partitionsOf(db.query, dead.id)).toEqual([]);
    const done = await executeSnapshot(db, next.id);
    expect(done.status).toBe("succeeded");
    expect(await jobOf(db.query, next.id)).toMatchObject({ status: "succeeded", attempts: 1 });
    published = (await latestSnapshot(db.query)) as SnapshotRow;
    expect(published.id).toBe(next.id);
  });

  it(
    kind === "postgres"
      ? "leaves a run whose lease is still live alone: the next snapshot waits (CONFLICT), the run stays running"
      : "on the embedded database (one process holds it) treats any run this process is not running as dead, even within its lease",
    async () => {
      const other = await abandonRunning(db, 60_000);
      if (kind === "postgres") {
        await expect(createSnapshot(db, null, {})).rejects.toMatchObject({ code: "CONFLICT" });
        expect((await getSnapshot(db.query, other.id)).status).toBe("running");
        await db.query("update jobs set lease_expires_at = now() - interval '1 second' where kind = 'snapshot' and subject_id = $1", [other.id]);
      }
      expect(await healSnapshots(db)).toBe(1);
      expect((await getSnapshot(db.query, other.id)).status).toBe("failed");
    },
  );

  it("refuses a second snapshot while one is queued, whoever asks", async () => {
    const queued = await createSnapshot(db, null, { asOfDate: "2025-06-03" });
    const second = await createSnapshot(db, null, {}).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DomainError);
    expect((second as DomainError).code).toBe("CONFLICT");
    // Cancelling a queued snapshot ends it at once; it can no longer be started.
    const cancelled = await cancelSnapshot(db, null, queued.id);
    expect(cancelled.status).toBe("cancelled");
    expect(await jobOf(db.query, queued.id)).toMatchObject({ status: "cancelled" });
    await expect(executeSnapshot(db, queued.id)).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cancels a running snapshot: it ends cancelled, writes no scores, the previous snapshot stays latest, the next one succeeds", async () => {
    const queued = await createSnapshot(db, null, { asOfDate: "2025-06-04" });
    let cancel: Promise<SnapshotRow> | null = null;
    const done = await executeSnapshot(db, queued.id, (_progress, stage) => {
      // Requested while the run is inside its transaction (not awaited here: on PGlite the
      // request's own writes wait for the run's transaction to end).
      if (stage === "predict" && !cancel) cancel = cancelSnapshot(db, null, queued.id);
    });
    expect(cancel).not.toBeNull();
    await cancel;
    expect(done.status).toBe("cancelled");
    expect(done.error).toMatch(/Cancelled/);
    expect(await jobOf(db.query, queued.id)).toMatchObject({ status: "cancelled" });
    expect(await partitionsOf(db.query, queued.id)).toEqual([]);
    const [scores] = await db.query<{ n: number }>("select count(*)::int as n from customer_scores where snapshot_id = $1", [queued.id]);
    expect(scores?.n).toBe(0);
    expect((await latestSnapshot(db.query))?.id).toBe(published.id);
    await expect(cancelSnapshot(db, null, queued.id)).rejects.toMatchObject({ code: "CONFLICT" });

    const next = await createSnapshot(db, null, { asOfDate: "2025-06-05" });
    expect((await executeSnapshot(db, next.id)).status).toBe("succeeded");
  });
});
