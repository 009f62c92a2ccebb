// Segment memberships have no foreign keys (migration 0025); triggers on segments and snapshots
// and the writers' row locks keep what the keys guaranteed: no membership outlives its segment or
// snapshot, ids with memberships are not re-numbered, and a deletion racing a writer waits for it.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { refreshSegmentMembers } from "./segment-members.service.ts";
import { SegmentKindEnum } from "./segment.type.ts";
import { createSegment } from "./segment.service.ts";

describe.each(testDatabaseKinds())("segment memberships' guards on %s", (kind) => {
  let api: TestApi;
  let snapshotId: number;

  beforeAll(async () => {
    api = await createTestApi(kind);
    snapshotId = (await seedScoredDemo(api.db, 300)).id;
  });
  afterAll(async () => {
    await api.close();
  });

  const likelyActive = (name: string) =>
    createSegment(api.db, null, { name, description: "", kind: SegmentKindEnum.RULE, definition: { all: [{ field: "pAlive", op: "gte", value: 0.3 }] } });
  const membersOf = async (column: "segment_id" | "snapshot_id", id: number) => {
    const [row] = await api.db.query<{ n: number }>(`select count(*)::int as n from segment_members where ${column} = $1`, [id]);
    return row?.n ?? 0;
  };

  it("has no foreign keys on segment_members, and the guards' triggers are in place", async () => {
    const keys = await api.db.query<{ conname: string }>("select conname from pg_constraint where conrelid = 'segment_members'::regclass and contype = 'f'");
    expect(keys).toEqual([]);
    const triggers = await api.db.query<{ tgname: string }>(
      "select tgname from pg_trigger where tgrelid in ('segments'::regclass, 'snapshots'::regclass) and tgname like '%member%' order by tgname",
    );
    expect(triggers.map((t) => t.tgname)).toEqual([
      "segments_delete_members",
      "segments_keep_member_id",
      "segments_truncate_members",
      "snapshots_delete_members",
      "snapshots_keep_member_id",
      "snapshots_truncate_members",
    ]);
  });

  it("deletes a segment's memberships with the segment, in every snapshot", async () => {
    const segment = await likelyActive("guard: deleted segment");
    const second = await executeSnapshot(api.db, (await createSnapshot(api.db, null, {})).id);
    expect(second.status).toBe("succeeded");
    const before = await membersOf("segment_id", segment.id);
    const [perSnapshot] = await api.db.query<{ n: number }>("select count(distinct snapshot_id)::int as n from segment_members where segment_id = $1", [segment.id]);
    expect(before).toBeGreaterThan(0);
    expect(perSnapshot?.n).toBe(2);
    const others = (await api.db.query<{ n: number }>("select count(*)::int as n from segment_members where segment_id <> $1", [segment.id]))[0]?.n;
    await api.db.query("delete from segments where id = $1", [segment.id]);
    expect(await membersOf("segment_id", segment.id)).toBe(0);
    const [after] = await api.db.query<{ n: number }>("select count(*)::int as n from segment_members");
    expect(after?.n).toBe(others);
    // The snapshot made for this test goes too, with its memberships and nothing else's.
    const kept = await membersOf("snapshot_id", snapshotId);
    expect(await membersOf("snapshot_id", second.id)).toBeGreaterThan(0);
    await api.db.query("delete from snapshots where id = $1", [second.id]);
    expect(await membersOf("snapshot_id", second.id)).toBe(0);
    expect(await membersOf("snapshot_id", snapshotId)).toBe(kept);
  });

  it("refuses re-numbering a segment or snapshot that has memberships, and deleting one under REPEATABLE READ", async () => {
    const segment = await likelyActive("guard: kept segment");
    await expect(api.db.query("update segments set id = default where id = $1", [segment.id])).rejects.toThrow(`segments ${segment.id} has segment memberships and cannot be re-numbered`);
    await expect(api.db.query("update snapshots set id = default where id = $1", [snapshotId])).rejects.toThrow(`snapshots ${snapshotId} has segment memberships and cannot be re-numbered`);
    await expect(
      api.db.transaction(async ({ query }) => {
        await query("set transaction isolation level repeatable read");
        await query("delete from segments where id = $1", [segment.id]);
      }),
    ).rejects.toThrow(/segments can only be deleted under READ COMMITTED/);
    expect(await membersOf("segment_id", segment.id)).toBeGreaterThan(0);
    // Other columns change as before, and a DELETE that matches nothing is no deletion.
    await api.db.query("update segments set name = 'guard: renamed' where id = $1", [segment.id]);
    await api.db.transaction(async ({ query }) => {
      await query("set transaction isolation level repeatable read");
      await query("delete from segments where key = 'guard-no-such-segment'");
    });
  });

  it("makes a deletion wait for a writer of the segment's memberships, then removes what it wrote", async () => {
    if (kind !== "postgres") return; // one connection: nothing runs beside the writer
    const segment = await likelyActive("guard: raced segment");
    await api.db.query("delete from segment_members where segment_id = $1", [segment.id]);
    let settled = false;
    let deletion: Promise<unknown> | undefined;
    await api.db.transaction(async ({ query }) => {
      await refreshSegmentMembers(query, snapshotId, [segment.id]);
      deletion = api.db.query("delete from segments where id = $1", [segment.id]).finally(() => (settled = true));
      deletion.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(settled).toBe(false);
    });
    await deletion;
    expect(await membersOf("segment_id", segment.id)).toBe(0);
    // A writer after the deletion finds no segment and writes nothing.
    await refreshSegmentMembers(api.db.query, snapshotId, [segment.id]);
    expect(await membersOf("segment_id", segment.id)).toBe(0);
  });

  // Last: it empties the snapshots.
  it("empties the memberships when snapshots are truncated with CASCADE", async () => {
    expect(await membersOf("snapshot_id", snapshotId)).toBeGreaterThan(0);
    // A TRUNCATE that lists the memberships too (the demo seed's reset) goes through, rolled back.
    const rolledBack = new Error("roll back");
    await expect(
      api.db.transaction(async ({ query }) => {
        await query("truncate segment_members, snapshots, segments restart identity cascade");
        const [left] = await query<{ n: number }>("select count(*)::int as n from segment_members");
        expect(left?.n).toBe(0);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await membersOf("snapshot_id", snapshotId)).toBeGreaterThan(0);
    await api.db.query("truncate snapshots cascade");
    const [left] = await api.db.query<{ n: number }>("select count(*)::int as n from segment_members");
    expect(left?.n).toBe(0);
  });
});
