import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { PageArgs, decodeCursor, pageSize, toConnection } from "../../graphql/connection.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { jobStatementTimeoutMs } from "../jobs/job.timeouts.ts";
import { CreateSnapshotInput } from "./snapshot.input.ts";
import * as snapshots from "./snapshot.service.ts";
import { Snapshot, SnapshotConnection, type SnapshotStatusEnum } from "./snapshot.type.ts";

const toType = (row: snapshots.SnapshotRow): Snapshot => ({
  ...row,
  status: row.status as SnapshotStatusEnum,
  parameters: row.parameters as unknown as Record<string, unknown>,
});

@Resolver()
export class SnapshotResolver {
  @Authorized(...ALLOW.read)
  @Query(() => SnapshotConnection, { description: "Snapshots, newest first." })
  async snapshots(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() ctx: Context) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, 1);
    // A run whose process died reads as failed, not as running forever.
    await snapshots.healSnapshots(ctx.handle);
    const { rows, total } = await snapshots.listSnapshots(ctx.query, size + 1, cursor ? Number(cursor[0]) : null);
    return toConnection(rows, size, total, toType, (r) => [r.id]);
  }

  @Authorized(...ALLOW.read)
  @Query(() => Snapshot)
  async snapshot(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Snapshot> {
    await snapshots.healSnapshots(ctx.handle);
    return toType(await snapshots.getSnapshot(ctx.query, Number(id)));
  }

  @Authorized(...ALLOW.read)
  @Query(() => Snapshot, { nullable: true, description: "The newest succeeded snapshot; null before the first." })
  async latestSnapshot(@Ctx() ctx: Context): Promise<Snapshot | null> {
    const latest = await ctx.cache.latestSnapshot();
    return latest ? toType(await snapshots.getSnapshot(ctx.query, latest.id)) : null;
  }

  @Authorized(...ALLOW.manageSegments)
  @Mutation(() => Snapshot, { description: "Starts a snapshot in the background; poll `snapshot(id)` for status and progress." })
  async createSnapshot(
    @Arg("input", () => CreateSnapshotInput, { nullable: true }) input: CreateSnapshotInput | null,
    @Ctx() ctx: Context,
  ): Promise<Snapshot> {
    const row = await snapshots.createSnapshot(ctx.handle, ctx.viewer, input ?? {});
    const statementTimeoutMs = jobStatementTimeoutMs(ctx.env, snapshots.SNAPSHOT_JOB);
    void snapshots
      .executeSnapshot(ctx.handle, row.id, undefined, { statementTimeoutMs })
      .catch((error: unknown) => {
        process.stderr.write(`[snapshot ${row.id}] ${error instanceof Error ? error.message : String(error)}\n`);
      })
      // Committed (or failed): reads switch to the new snapshot on the next request.
      .finally(() => ctx.cache.snapshotsChanged());
    return toType(row);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => Snapshot, {
    description:
      "Cancels a PENDING or RUNNING snapshot (admins). It stops at its next stage (on PostgreSQL its current statement is " +
      "cancelled at once), writes no scores and ends CANCELLED; poll `snapshot(id)` until it does. The latest succeeded snapshot stays latest.",
  })
  async cancelSnapshot(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Snapshot> {
    return toType(await snapshots.cancelSnapshot(ctx.handle, ctx.viewer, Number(id)));
  }
}
