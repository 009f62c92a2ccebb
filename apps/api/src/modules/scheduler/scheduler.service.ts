// The scheduler: work that runs itself, on the jobs/leases mechanism (job.lease.ts) rather than a
// queue library, because it must run the same on PGlite (one embedded process, no LISTEN-driven
// worker pool, no second connection) and on PostgreSQL (see docs/scaling.md#background-jobs).
// Each tick (1) heals what dead processes left (expired leases: retried when attempts remain),
// (2) enqueues what is due — the nightly snapshot's latest slot in the business time zone, and
// the final measurement of every running campaign whose outcome window has closed and whose
// orders are complete to the window's end — each at most once ever (jobs.dedupe_key), and
// (3) claims and runs due jobs one at a time. A failure with attempts left is queued again after
// an exponential backoff; a snapshot runs only when no other is pending or running. It also runs
// a queued time-zone change (settings/time-zone-change.ts) whose requesting process did not start
// it (it died in between), so the change is not left waiting until it is abandoned.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { measureCampaign } from "../campaigns/campaign-measure.service.ts";
import { ordersWatermark } from "../data-quality/data-quality.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { TIME_ZONE_JOB, changeTimeZoneUnderLease, type JobTimeouts } from "../settings/time-zone-change.ts";
import { createSnapshot, executeSnapshot, healSnapshots } from "../snapshots/snapshot.service.ts";
import { JobNotQueuedError, reapAbandonedJobs, runJob, type JobLease, type JobOutcome } from "../jobs/job.lease.ts";
import { latestDailyRun } from "./schedule.time.ts";

export const NIGHTLY_SNAPSHOT_JOB = "snapshot.nightly";
export const CAMPAIGN_MEASURE_JOB = "campaign.measure";
/** The kinds the scheduler claims and runs; a time-zone change is usually started by its request. */
export const SCHEDULED_KINDS = [NIGHTLY_SNAPSHOT_JOB, CAMPAIGN_MEASURE_JOB, TIME_ZONE_JOB] as const;

export const SCHEDULER_DEFAULTS = {
  /** First retry after a minute, then 2, 4, 8 minutes. */
  backoffMs: 60_000,
  nightlyMaxAttempts: 5,
  measureMaxAttempts: 5,
  /** Jobs run per tick at most, so a backlog cannot keep a tick going for ever. */
  jobsPerTick: 20,
};

export type SchedulerEvent =
  | { type: "enqueued"; jobId: number; kind: string; scheduledFor: Date }
  | { type: "finished"; jobId: number; kind: string; status: JobOutcome<unknown>["status"]; ms: number; detail: string }
  | { type: "healed"; jobs: number }
  | { type: "error"; message: string };

export interface SchedulerOptions {
  /** Longest one statement of a job of this kind may run (PostgreSQL). */
  statementTimeoutMs?: (kind: string) => number;
  /** The configured job statement timeouts: a time-zone change looks up its own (kind `time-zone`). */
  jobTimeouts?: JobTimeouts;
  leaseMs?: number;
  backoffMs?: number;
  nightlyMaxAttempts?: number;
  measureMaxAttempts?: number;
  jobsPerTick?: number;
  /** The clock deciding what is due (tests); claims use the database's clock. */
  now?: () => Date;
  onEvent?: (event: SchedulerEvent) => void;
  /** A running snapshot's progress (the crash test watches it). */
  onProgress?: (jobId: number, progress: number, stage: string) => void;
}

const codedError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** Enqueues the nightly snapshot's latest slot if it is due and has no job yet. */
async function planNightly(handle: DbHandle, options: SchedulerOptions, now: Date): Promise<SchedulerEvent[]> {
  const [schedule] = await handle.query<{ enabled: boolean; local_time: string; updated_at: Date }>(
    "select enabled, local_time, updated_at from job_schedules where kind = $1",
    [NIGHTLY_SNAPSHOT_JOB],
  );
  if (!schedule?.enabled) return [];
  const { timeZone } = await getSettings(handle.query);
  const slot = latestDailyRun(schedule.local_time, timeZone, now);
  // Only slots after the schedule was set: enabling at 10:00 for 03:00 first runs tomorrow.
  if (slot.getTime() <= schedule.updated_at.getTime()) return [];
  const rows = await handle.query<{ id: number }>(
    `insert into jobs (kind, payload, singleton_key, dedupe_key, scheduled_for, run_after, max_attempts, backoff_ms)
     values ($1, $2::jsonb, $1, $3, $4, $4, $5, $6) on conflict do nothing returning id`,
    [
      NIGHTLY_SNAPSHOT_JOB,
      JSON.stringify({ localTime: schedule.local_time, timeZone }),
      `${NIGHTLY_SNAPSHOT_JOB}@${slot.toISOString()}`,
      slot,
      options.nightlyMaxAttempts ?? SCHEDULER_DEFAULTS.nightlyMaxAttempts,
      options.backoffMs ?? SCHEDULER_DEFAULTS.backoffMs,
    ],
  );
  return rows.map((r) => ({ type: "enqueued", jobId: r.id, kind: NIGHTLY_SNAPSHOT_JOB, scheduledFor: slot }));
}

/** Running campaigns whose outcome window has closed and whose orders are complete to its end. */
export async function campaignsDueForMeasurement(query: Query, now: Date): Promise<{ id: number; windowEnd: Date }[]> {
  const { ordersCompleteUntil } = await ordersWatermark(query);
  if (!ordersCompleteUntil) return [];
  const rows = await query<{ id: number; window_end: Date }>(
    `select id, launched_at + make_interval(days => outcome_window_days) as window_end from campaigns
      where status = 'running' and launched_at + make_interval(days => outcome_window_days) <= least($1::timestamptz, $2::timestamptz)
      order by window_end, id`,
    [now, ordersCompleteUntil],
  );
  return rows.map((r) => ({ id: r.id, windowEnd: r.window_end }));
}

async function planMeasurements(handle: DbHandle, options: SchedulerOptions, now: Date): Promise<SchedulerEvent[]> {
  const events: SchedulerEvent[] = [];
  for (const due of await campaignsDueForMeasurement(handle.query, now)) {
    const rows = await handle.query<{ id: number }>(
      `insert into jobs (kind, subject_id, dedupe_key, singleton_key, scheduled_for, max_attempts, backoff_ms)
       values ($1, $2, $3, $3, $4, $5, $6) on conflict do nothing returning id`,
      [
        CAMPAIGN_MEASURE_JOB,
        due.id,
        `${CAMPAIGN_MEASURE_JOB}@${due.id}`,
        due.windowEnd,
        options.measureMaxAttempts ?? SCHEDULER_DEFAULTS.measureMaxAttempts,
        options.backoffMs ?? SCHEDULER_DEFAULTS.backoffMs,
      ],
    );
    for (const r of rows) events.push({ type: "enqueued", jobId: r.id, kind: CAMPAIGN_MEASURE_JOB, scheduledFor: due.windowEnd });
  }
  return events;
}

/** Enqueues everything due now; returns what it enqueued. */
export async function planDueJobs(handle: DbHandle, options: SchedulerOptions = {}): Promise<SchedulerEvent[]> {
  const now = options.now?.() ?? new Date();
  return [...(await planNightly(handle, options, now)), ...(await planMeasurements(handle, options, now))];
}

/** The nightly snapshot: one snapshot as of now; refused (and retried later) while another is pending or running. */
async function runNightlySnapshot(handle: DbHandle, lease: JobLease, options: SchedulerOptions): Promise<string> {
  const snapshot = await createSnapshot(handle, null, {});
  await handle.query("update jobs set subject_id = $2 where id = $1", [lease.job.id, snapshot.id]);
  const done = await executeSnapshot(handle, snapshot.id, (progress, stage) => options.onProgress?.(lease.job.id, progress, stage), {
    statementTimeoutMs: options.statementTimeoutMs?.("snapshot") ?? 3_600_000,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
  });
  if (done.status !== "succeeded") throw codedError("SNAPSHOT_FAILED", `Snapshot ${done.id} ended ${done.status}: ${done.error ?? "no reason recorded"}`);
  return `snapshot ${done.id}: ${done.customerCount ?? 0} customers`;
}

/** A campaign's final measurement: only while it is still running and its orders are complete. */
async function runFinalMeasurement(handle: DbHandle, lease: JobLease, now: Date): Promise<string> {
  const campaignId = lease.job.subjectId as number;
  const [campaign] = await handle.query<{ status: string }>("select status from campaigns where id = $1", [campaignId]);
  if (!campaign) throw codedError("NOT_FOUND", `Campaign ${campaignId} no longer exists.`);
  if (campaign.status !== "running") return `campaign ${campaignId} is already ${campaign.status}; nothing to do`;
  const due = await campaignsDueForMeasurement(handle.query, now);
  if (!due.some((d) => d.id === campaignId)) {
    throw codedError("ORDERS_INCOMPLETE", `Campaign ${campaignId}: orders are not complete to the end of its outcome window; import them (or set the watermark).`);
  }
  const measured = await measureCampaign(handle, null, campaignId, { now });
  return `campaign ${campaignId} measured: ${measured.storedStatus}`;
}

/**
 * Claims the next due scheduled job and runs it under a lease. Returns null when nothing is due.
 * Another worker claiming the same job first is not an error: the next one is tried.
 */
export async function runNextDueJob(handle: DbHandle, options: SchedulerOptions = {}): Promise<{ jobId: number; kind: string; outcome: JobOutcome<string> } | null> {
  for (;;) {
    const [next] = await handle.query<{ id: number; kind: string }>(
      `select id, kind from jobs where status = 'queued' and kind = any($1::text[]) and run_after <= now() and cancel_requested_at is null
        order by run_after, id limit 1`,
      [[...SCHEDULED_KINDS]],
    );
    if (!next) return null;
    const started = Date.now();
    try {
      const outcome = await runJob(
        handle,
        next.id,
        (lease) =>
          next.kind === NIGHTLY_SNAPSHOT_JOB
            ? runNightlySnapshot(handle, lease, options)
            : next.kind === TIME_ZONE_JOB
              ? changeTimeZoneUnderLease(handle, lease, { env: options.jobTimeouts })
              : runFinalMeasurement(handle, lease, options.now?.() ?? new Date()),
        options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs },
      );
      const detail = outcome.status === "succeeded" ? outcome.value : outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      options.onEvent?.({ type: "finished", jobId: next.id, kind: next.kind, status: outcome.status, ms: Date.now() - started, detail });
      return { jobId: next.id, kind: next.kind, outcome };
    } catch (error) {
      if (error instanceof JobNotQueuedError) continue;
      throw error;
    }
  }
}

/** One pass: heal, enqueue what is due, run due jobs (up to jobsPerTick). Returns the jobs run. */
export async function schedulerTick(handle: DbHandle, options: SchedulerOptions = {}): Promise<number> {
  const healed = (await healSnapshots(handle)) + (await reapAbandonedJobs(handle, handle.query)).length;
  if (healed > 0) options.onEvent?.({ type: "healed", jobs: healed });
  for (const event of await planDueJobs(handle, options)) options.onEvent?.(event);
  let ran = 0;
  while (ran < (options.jobsPerTick ?? SCHEDULER_DEFAULTS.jobsPerTick)) {
    if (!(await runNextDueJob(handle, options))) break;
    ran += 1;
  }
  return ran;
}

export interface RunningScheduler {
  /** Runs a tick now (after the current one), e.g. after the schedule changed. */
  wake: () => void;
  /** Stops after the current job; resolves when the loop has ended. */
  stop: () => Promise<void>;
}

/** Runs ticks every `pollMs` until stopped. A failing tick is reported and the loop goes on. */
export function startScheduler(handle: DbHandle, options: SchedulerOptions & { pollMs: number }): RunningScheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wakeUp: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        await schedulerTick(handle, options);
      } catch (error) {
        if (stopped) break;
        options.onEvent?.({ type: "error", message: error instanceof Error ? error.message : String(error) });
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
    }
  })();
  const wake = () => {
    if (timer) clearTimeout(timer);
    wakeUp?.();
  };
  return {
    wake,
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}
