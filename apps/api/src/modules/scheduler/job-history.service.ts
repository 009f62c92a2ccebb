// What admins see of background work: the job history and the nightly snapshot's schedule.
import type { DbHandle, Query } from "@ltvloop/db/client";
import type { JobStatus } from "@ltvloop/db/schema";
import type { Viewer } from "../../context.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { nextDailyRun, parseLocalTime } from "./schedule.time.ts";
import { NIGHTLY_SNAPSHOT_JOB } from "./scheduler.service.ts";

export interface JobHistoryRow {
  id: number;
  kind: string;
  status: JobStatus;
  subjectId: number | null;
  attempts: number;
  maxAttempts: number;
  scheduledFor: Date | null;
  runAfter: Date;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCode: string | null;
  error: string | null;
}

const toRow = (r: Record<string, unknown>): JobHistoryRow => ({
  id: r.id as number,
  kind: r.kind as string,
  status: r.status as JobStatus,
  subjectId: (r.subject_id as number | null) ?? null,
  attempts: r.attempts as number,
  maxAttempts: r.max_attempts as number,
  scheduledFor: (r.scheduled_for as Date | null) ?? null,
  runAfter: r.run_after as Date,
  createdAt: r.created_at as Date,
  startedAt: (r.started_at as Date | null) ?? null,
  finishedAt: (r.finished_at as Date | null) ?? null,
  errorCode: (r.error_code as string | null) ?? null,
  error: (r.error as string | null) ?? null,
});

export interface JobFilter {
  kind?: string | null;
  status?: JobStatus | null;
}

/** Jobs newest first (by id), after the cursor id; and the total matching the filter. */
export async function listJobs(query: Query, filter: JobFilter, limit: number, beforeId: number | null): Promise<{ rows: JobHistoryRow[]; total: number }> {
  const rows = await query(
    `select id, kind, status, subject_id, attempts, max_attempts, scheduled_for, run_after, created_at, started_at, finished_at, error_code, error
       from jobs where ($1::text is null or kind = $1) and ($2::text is null or status = $2) and ($3::bigint is null or id < $3)
      order by id desc limit $4`,
    [filter.kind ?? null, filter.status ?? null, beforeId, limit],
  );
  const [count] = await query<{ n: number }>("select count(*)::int as n from jobs where ($1::text is null or kind = $1) and ($2::text is null or status = $2)", [
    filter.kind ?? null,
    filter.status ?? null,
  ]);
  const total = count?.n ?? 0;
  return { rows: rows.map(toRow), total };
}

export interface NightlySchedule {
  enabled: boolean;
  localTime: string;
  timeZone: string;
  /** When the next nightly snapshot runs (the scheduler must be running); null when disabled. */
  nextRunAt: Date | null;
  updatedAt: Date;
  updatedByEmail: string | null;
}

export async function nightlySchedule(query: Query, now = new Date()): Promise<NightlySchedule> {
  const [row] = await query<{ enabled: boolean; local_time: string; updated_at: Date; email: string | null }>(
    `select s.enabled, s.local_time, s.updated_at, u.email from job_schedules s left join users u on u.id = s.updated_by where s.kind = $1`,
    [NIGHTLY_SNAPSHOT_JOB],
  );
  if (!row) throw new Error("The nightly schedule row is missing: run `pnpm ltvloop migrate` to create it.");
  const { timeZone } = await getSettings(query);
  const after = row.updated_at > now ? row.updated_at : now;
  return {
    enabled: row.enabled,
    localTime: row.local_time,
    timeZone,
    nextRunAt: row.enabled ? nextDailyRun(row.local_time, timeZone, after) : null,
    updatedAt: row.updated_at,
    updatedByEmail: row.email,
  };
}

export interface NightlyScheduleUpdate {
  enabled?: boolean | null;
  localTime?: string | null;
}

/**
 * Sets the nightly snapshot's time (HH:MM in the business time zone) and/or turns it on or off;
 * turning it off cancels a queued run (one waiting for a retry included).
 */
export async function setNightlySchedule(handle: DbHandle, viewer: Viewer | null, input: NightlyScheduleUpdate): Promise<NightlySchedule> {
  if (input.localTime != null && !parseLocalTime(input.localTime)) {
    throw badInput(`localTime "${input.localTime}" is not a time of day; write it as HH:MM from 00:00 to 23:59 (e.g. 03:00).`, [
      fieldProblem("localTime", "TIME_OF_DAY"),
    ]);
  }
  if (input.enabled == null && input.localTime == null) {
    throw badInput("Nothing to change: give enabled, localTime or both.", [fieldProblem("input", "EMPTY")], "NOTHING_TO_CHANGE");
  }
  return handle.transaction(async ({ query }) => {
    await query(
      `update job_schedules set enabled = coalesce($2, enabled), local_time = coalesce($3, local_time), updated_at = now(), updated_by = $4 where kind = $1`,
      [NIGHTLY_SNAPSHOT_JOB, input.enabled ?? null, input.localTime ?? null, viewer?.userId ?? null],
    );
    // Turned off: a slot queued but not started does not run any more.
    if (input.enabled === false) {
      await query(
        `update jobs set status = 'cancelled', finished_at = now(), error = 'The nightly snapshot was turned off before this run started.', error_code = 'CANCELLED'
          where kind = $1 and status = 'queued'`,
        [NIGHTLY_SNAPSHOT_JOB],
      );
    }
    await writeAudit(query, viewer, "schedule.update", "job_schedules", null, { kind: NIGHTLY_SNAPSHOT_JOB, ...input });
    return nightlySchedule(query);
  });
}
