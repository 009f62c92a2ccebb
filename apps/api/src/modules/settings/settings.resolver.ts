import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { JobNotQueuedError } from "../jobs/job.lease.ts";
import type { JobStatusEnum } from "../scheduler/scheduler.type.ts";
import { effectiveRfSegmentMap, getSettings, updateSettings, type Settings } from "./settings.service.ts";
import { SettingsType, TimeZoneChangeType, UpdateSettingsInput, type RfmBinModeEnum } from "./settings.type.ts";
import { cancelTimeZoneChange, executeTimeZoneChange, latestTimeZoneChange, type TimeZoneChange } from "./time-zone-change.ts";

const toChange = (c: TimeZoneChange): TimeZoneChangeType => ({ ...c, status: c.status as JobStatusEnum });
/** `timeZoneChange` left undefined is read by its field resolver, only when asked for (the session's settings read skips it). */
const toType = (s: Settings, change?: TimeZoneChange | null): SettingsType => ({
  ...s,
  rfmBinMode: s.rfmBinMode as RfmBinModeEnum,
  effectiveRfmSegmentMap: effectiveRfSegmentMap(s),
  ...(change === undefined ? {} : { timeZoneChange: change ? toChange(change) : null }),
});

/** Runs a queued time-zone change in this process, in the background (as a manual snapshot runs). */
function startTimeZoneChange(ctx: Context, jobId: number): void {
  void executeTimeZoneChange(ctx.handle, jobId, { env: ctx.env })
    .then((outcome) => {
      if (outcome.status === "succeeded") return;
      const error = outcome.error;
      process.stderr.write(`[time-zone change ${jobId}] ${outcome.status}: ${error instanceof Error ? error.message : String(error)}\n`);
    })
    .catch((error: unknown) => {
      // Claimed first by a scheduler (here or in a worker): it runs there.
      if (error instanceof JobNotQueuedError) return;
      process.stderr.write(`[time-zone change ${jobId}] ${error instanceof Error ? error.message : String(error)}\n`);
    })
    // Committed (or not): cached reads are made again in whichever zone is in force.
    .finally(() => ctx.cache.dataChanged());
}

@Resolver(() => SettingsType)
export class SettingsResolver {
  @Authorized(...ALLOW.read)
  @Query(() => SettingsType, { description: "Business settings: time zone (and a change of it under way), currency, margin, RFM bins." })
  async settings(@Ctx() ctx: Context): Promise<SettingsType> {
    return toType(await getSettings(ctx.query));
  }

  @FieldResolver(() => TimeZoneChangeType, {
    nullable: true,
    description:
      "The time-zone change queued or running now, else the latest one that ended (its outcome, e.g. why it failed); null when the zone was never changed. Poll it after `updateSettings` with a new timeZone until it is SUCCEEDED, FAILED or CANCELLED.",
  })
  async timeZoneChange(@Root() settings: SettingsType, @Ctx() ctx: Context): Promise<TimeZoneChangeType | null> {
    if (settings.timeZoneChange !== undefined) return settings.timeZoneChange;
    const change = await latestTimeZoneChange(ctx.handle, ctx.query);
    return change ? toChange(change) : null;
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => SettingsType, {
    description:
      "Changes settings (admins). New snapshots use them; earlier ones keep theirs. Every field but timeZone is saved at once. A new timeZone returns at once with `timeZoneChange` QUEUED: a background job recounts every customer's purchase days in it (minutes on ten million orders; LTVLOOP_JOB_STATEMENT_TIMEOUTS kind `time-zone`) and then sets it, in one transaction, so `timeZone` stays the old zone until the change SUCCEEDED. One change at a time: another zone while one is queued or running is refused (CONFLICT, TIME_ZONE_CHANGE_BUSY) and nothing is saved.",
  })
  async updateSettings(@Arg("input", () => UpdateSettingsInput) input: UpdateSettingsInput, @Ctx() ctx: Context): Promise<SettingsType> {
    const saved = await updateSettings(ctx.handle, ctx.viewer, input, { timeZone: "queue", env: ctx.env });
    if (saved.timeZoneChange?.status === "queued") startTimeZoneChange(ctx, saved.timeZoneChange.id);
    return toType(saved, saved.timeZoneChange ?? undefined);
  }

  @Authorized(...ALLOW.administer)
  @Mutation(() => TimeZoneChangeType, {
    description:
      "Cancels the queued or running time-zone change (admins): the zone and the rollups stay as they were. A running change stops at its next stage (on PostgreSQL its current statement is cancelled at once) and ends CANCELLED; poll `settings { timeZoneChange }` until it does. Refused (CONFLICT, TIME_ZONE_CHANGE_NOT_ACTIVE) when none is queued or running.",
  })
  async cancelTimeZoneChange(@Ctx() ctx: Context): Promise<TimeZoneChangeType> {
    return toChange(await cancelTimeZoneChange(ctx.handle, ctx.viewer));
  }
}
