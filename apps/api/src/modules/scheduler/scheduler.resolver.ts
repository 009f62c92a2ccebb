import { Arg, Args, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.ts";
import { PageArgs, decodeCursor, pageSize, toConnection } from "../../graphql/connection.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { reapAbandonedJobs } from "../jobs/job.lease.ts";
import { TIME_ZONE_JOB } from "../settings/time-zone-change.ts";
import { healSnapshots } from "../snapshots/snapshot.service.ts";
import { listJobs, nightlySchedule, setNightlySchedule, type JobHistoryRow, type NightlySchedule } from "./job-history.service.ts";
import type { Job} from "./scheduler.type.ts";
import { JobConnection, JobStatusEnum, NightlySnapshotSchedule, SetNightlySnapshotScheduleInput } from "./scheduler.type.ts";

const toJob = (row: JobHistoryRow): Job => ({ ...row, status: row.status as JobStatusEnum });
const toSchedule = (s: NightlySchedule, ctx: Context): NightlySnapshotSchedule => ({
  ...s,
  updatedBy: s.updatedByEmail,
  schedulerInThisServer: ctx.env.schedulerEnabled,
});

@Resolver()
export class SchedulerResolver {
  @Authorized(...ALLOW.administer)
  @Query(() => JobConnection, { description: "Background jobs, newest first (admins): snapshots, nightly snapshots, final measurements and time-zone changes, with attempts and errors." })
  async jobs(
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("kind", () => String, { nullable: true, description: "Only this kind: snapshot, snapshot.nightly, campaign.measure, settings.time-zone." }) kind: string | null,
    @Arg("status", () => JobStatusEnum, { nullable: true }) status: JobStatusEnum | null,
    @Ctx() ctx: Context,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, 1);
    // A run whose process died reads as failed (or queued for its retry), not as running for ever.
    await healSnapshots(ctx.handle);
    await reapAbandonedJobs(ctx.handle, ctx.query, TIME_ZONE_JOB);
    const { rows, total } = await listJobs(ctx.query, { kind, status }, size + 1, cursor ? Number(cursor[0]) : null);
    return toConnection(rows, size, total, toJob, (r) => [r.id]);
  }

  @Authorized(...ALLOW.administer)
  @Query(() => NightlySnapshotSchedule, { description: "When the nightly snapshot runs (admins)." })
  async nightlySnapshotSchedule(@Ctx() ctx: Context): Promise<NightlySnapshotSchedule> {
    return toSchedule(await nightlySchedule(ctx.query), ctx);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => NightlySnapshotSchedule, {
    description: "Sets the nightly snapshot's local time (HH:MM, business time zone) and/or enables or disables it (admins). The first run is the next slot after the change.",
  })
  async setNightlySnapshotSchedule(
    @Arg("input", () => SetNightlySnapshotScheduleInput) input: SetNightlySnapshotScheduleInput,
    @Ctx() ctx: Context,
  ): Promise<NightlySnapshotSchedule> {
    return toSchedule(await setNightlySchedule(ctx.handle, ctx.viewer, input), ctx);
  }
}
