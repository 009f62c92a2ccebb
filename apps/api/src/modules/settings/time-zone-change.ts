// A new business time zone as a background job (kind `settings.time-zone`) on the jobs/leases
// mechanism (job.lease.ts). Rollups count purchase days in the business time zone, so a new zone
// recounts every customer's: minutes on ten million orders, too long for a request. The request
// queues the job and returns; the job, under a lease, in one transaction, recounts the rollups in
// the new zone, then writes the zone into the settings and the audit row. Until it commits the old
// zone stays in force everywhere, and settings and rollups agree at every moment a reader can see;
// a failed, cancelled or killed run changes nothing (a dead process's run is marked failed when
// its lease runs out). One change at a time: the job is a singleton.
import type { DbHandle, Query } from "@ltvloop/db/client";
import { settings, type JobStatus } from "@ltvloop/db/schema";
import { eq, sql } from "drizzle-orm";
import type { Viewer } from "../../context.ts";
import type { Env } from "../../env.ts";
import { conflict } from "../../errors.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { abortLocalRunsOf, enqueueJob, reapAbandonedJobs, requestCancel, runJob, watchForDeadClient, type JobLease, type JobOutcome } from "../jobs/job.lease.ts";
import { DEFAULT_JOB_STATEMENT_TIMEOUT_MS, jobStatementTimeoutMs } from "../jobs/job.timeouts.ts";
import { refreshRollups } from "../orders/rollups.service.ts";

/** The jobs row kind of a time-zone change. */
export const TIME_ZONE_JOB = "settings.time-zone";
/** The job kind whose statement timeout the recount runs under (LTVLOOP_JOB_STATEMENT_TIMEOUTS). */
export const TIME_ZONE_RECOUNT = "time-zone";
/**
 * Held exclusively by a time-zone change's transaction and shared by every import's: an import
 * reads the zone it counts purchase days in at its start, so a change waits for imports under way
 * and later imports wait for the change, and read the new zone.
 */
export const ROLLUP_ZONE_LOCK = 7324100119;
/**
 * A queued change nobody has claimed after this long is abandoned (marked failed). The process
 * that queued it starts it at once; if that process dies first, a scheduler (in `serve` or
 * `worker`, polling every 30 s by default) picks it up within this time.
 */
export const TIME_ZONE_CLAIM_WITHIN_MS = 10 * 60_000;

/**
 * Where a running change is: `waiting` for imports under way to finish, `recounting` every
 * customer's purchase days, `saving` the zone and the audit row (the commit follows). Reported on
 * PostgreSQL only: on the embedded database the job's transaction holds the one connection, so
 * nobody can read the job until it has ended.
 */
export type TimeZoneChangeStage = "waiting" | "recounting" | "saving";

/** Who asked for the change, as the audit row written by the job records them. */
type Requester = Omit<Viewer, "sessionTokenHash">;

interface Payload {
  from: string;
  to: string;
  requestedBy: Requester | null;
  stage?: TimeZoneChangeStage;
}

export interface TimeZoneChange {
  /** The job's id (the `jobs` row, as listed by the `jobs` query). */
  id: number;
  from: string;
  to: string;
  status: JobStatus;
  stage: TimeZoneChangeStage | null;
  requestedBy: string | null;
  cancelRequested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  errorCode: string | null;
  error: string | null;
}

const SELECT = `select id, status, payload, cancel_requested_at, created_at, started_at, finished_at, error_code, error from jobs`;

function toChange(r: Record<string, unknown>): TimeZoneChange {
  const payload = r.payload as Payload;
  const status = r.status as JobStatus;
  return {
    id: r.id as number,
    from: payload.from,
    to: payload.to,
    status,
    stage: status === "running" ? (payload.stage ?? null) : null,
    requestedBy: payload.requestedBy?.email ?? null,
    cancelRequested: r.cancel_requested_at != null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    errorCode: (r.error_code as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  };
}

/** The change queued or running now, if any. */
export async function activeTimeZoneChange(query: Query): Promise<TimeZoneChange | null> {
  const [row] = await query(`${SELECT} where kind = $1 and status in ('queued', 'running') order by id desc limit 1`, [TIME_ZONE_JOB]);
  return row ? toChange(row) : null;
}

/**
 * The change queued or running now, else the latest that ended; null when the zone was never
 * changed through a job. Runs of processes that died are marked failed first.
 */
export async function latestTimeZoneChange(handle: Pick<DbHandle, "kind">, query: Query): Promise<TimeZoneChange | null> {
  await reapAbandonedJobs(handle, query, TIME_ZONE_JOB);
  const active = await activeTimeZoneChange(query);
  if (active) return active;
  const [row] = await query(`${SELECT} where kind = $1 order by id desc limit 1`, [TIME_ZONE_JOB]);
  return row ? toChange(row) : null;
}

export async function getTimeZoneChange(query: Query, id: number): Promise<TimeZoneChange | null> {
  const [row] = await query(`${SELECT} where kind = $1 and id = $2`, [TIME_ZONE_JOB, id]);
  return row ? toChange(row) : null;
}

const busy = (active: TimeZoneChange) =>
  conflict(
    `The time zone is already being changed from ${active.from} to ${active.to} (job ${active.id}, ${active.status}); nothing was saved. ` +
      "Wait for that change to finish (Settings shows its progress) or cancel it (cancelTimeZoneChange), then try again.",
    "TIME_ZONE_CHANGE_BUSY",
    { id: active.id, from: active.from, to: active.to },
  );

/**
 * Queues the change from `from` to `to` in the caller's transaction (the settings update's).
 * The same change already queued or running is returned as it is; another one is refused
 * (CONFLICT, TIME_ZONE_CHANGE_BUSY), also across processes (the singleton's unique index).
 */
export async function requestTimeZoneChange(handle: Pick<DbHandle, "kind" | "query">, query: Query, viewer: Viewer | null, from: string, to: string): Promise<TimeZoneChange> {
  await reapAbandonedJobs(handle, query, TIME_ZONE_JOB);
  const active = await activeTimeZoneChange(query);
  if (active) {
    if (active.to === to && !active.cancelRequested) return active;
    throw busy(active);
  }
  const requestedBy: Requester | null = viewer
    ? { userId: viewer.userId, email: viewer.email, role: viewer.role, via: viewer.via, ...(viewer.apiKeyId === undefined ? {} : { apiKeyId: viewer.apiKeyId }) }
    : null;
  const payload: Payload = { from, to, requestedBy };
  const job = await enqueueJob(query, { kind: TIME_ZONE_JOB, payload, singletonKey: TIME_ZONE_JOB, claimWithinMs: TIME_ZONE_CLAIM_WITHIN_MS }).catch(async (error: unknown) => {
    if ((error as { code?: string }).code !== "23505") throw error;
    // Queued by another process a moment ago (its transaction committed after our look). The
    // failed insert ended this transaction's use, so the winner is read on another connection.
    const other = handle.kind === "postgres" ? await activeTimeZoneChange(handle.query) : null;
    throw other ? busy(other) : conflict("Another time-zone change was queued a moment ago; reload the settings and try again.", "TIME_ZONE_CHANGE_BUSY");
  });
  const change = await getTimeZoneChange(query, job.id);
  if (!change) throw new Error(`Time-zone change job ${job.id} vanished right after it was queued.`);
  return change;
}

/** The statement timeouts of background jobs, as configured (env.ts). */
export type JobTimeouts = Pick<Env, "jobStatementTimeoutMs" | "jobStatementTimeouts">;

export interface TimeZoneJobOptions {
  /** Where the recount's statement timeout comes from (kind `time-zone`); unset: the jobs' default, one hour. */
  env?: JobTimeouts | undefined;
  /** Lease length; heartbeats renew it every third of it (PostgreSQL). */
  leaseMs?: number | undefined;
  /** Called (and awaited) inside the job's transaction as each stage begins (tests hold the job there). */
  onStage?: ((stage: TimeZoneChangeStage, tx: Query) => Promise<void> | void) | undefined;
}

/** The recount's statement timeout: LTVLOOP_JOB_STATEMENT_TIMEOUTS kind `time-zone`, else LTVLOOP_JOB_STATEMENT_TIMEOUT_MS. */
export const recountTimeoutMs = (env: JobTimeouts | undefined): number => (env ? jobStatementTimeoutMs(env, TIME_ZONE_RECOUNT) : DEFAULT_JOB_STATEMENT_TIMEOUT_MS);

const codedError = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * The job's work, under the lease `runJob` holds: recount, save the zone, audit, all in one
 * transaction. Returns a line for logs. Also what the scheduler runs when it claims a queued change.
 */
export async function changeTimeZoneUnderLease(handle: DbHandle, lease: JobLease, options: TimeZoneJobOptions = {}): Promise<string> {
  const jobId = lease.job.id;
  const [row] = await handle.query<{ payload: Payload }>("select payload from jobs where id = $1", [jobId]);
  if (!row) throw codedError("NOT_FOUND", `Time-zone change job ${jobId} no longer exists.`);
  const { to, requestedBy } = row.payload;
  const timeoutMs = Math.max(0, Math.floor(recountTimeoutMs(options.env)));
  const stage = async (name: TimeZoneChangeStage, tx: Query) => {
    lease.throwIfCancelled();
    // Another connection, so readers see it while the transaction runs (PostgreSQL only: PGlite's
    // one connection is the transaction's until it ends).
    if (handle.kind === "postgres") {
      await handle.query("update jobs set payload = payload || jsonb_build_object('stage', $2::text) where id = $1 and status = 'running'", [jobId, name]);
    }
    await options.onStage?.(name, tx);
  };
  return handle.transaction(async ({ db, query }) => {
    // A background job's bound, not a request's (the recount is one statement over every order).
    await query(`set local statement_timeout = ${timeoutMs}`);
    if (handle.kind === "postgres") await watchForDeadClient(query);
    await lease.recordBackend(query);
    await stage("waiting", query);
    await query("select pg_advisory_xact_lock($1)", [ROLLUP_ZONE_LOCK]);
    const [before] = await db.select({ timeZone: settings.timeZone }).from(settings).where(eq(settings.id, 1));
    if (!before) throw new Error("The settings row is missing: run `pnpm ltvloop migrate` to create it.");
    await stage("recounting", query);
    if (before.timeZone !== to) await refreshRollups(query, to);
    await stage("saving", query);
    // The row is locked only from here to the commit: other settings stay editable meanwhile.
    await db
      .update(settings)
      .set({ timeZone: to, updatedAt: sql`now()`, updatedBy: requestedBy?.userId ?? null })
      .where(eq(settings.id, 1));
    await writeAudit(query, requestedBy, "settings.time-zone", "settings", 1, { timeZone: to, timeZoneBefore: before.timeZone, jobId });
    lease.throwIfCancelled();
    return before.timeZone === to ? `time zone already ${to}; nothing recounted` : `time zone ${before.timeZone} → ${to}, purchase days recounted`;
  });
}

/** Claims the queued change `jobId` and runs it under a lease (throws JobNotQueuedError when it is not queued). */
export async function executeTimeZoneChange(handle: DbHandle, jobId: number, options: TimeZoneJobOptions = {}): Promise<JobOutcome<string>> {
  return runJob(handle, jobId, (lease) => changeTimeZoneUnderLease(handle, lease, options), options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs });
}

/**
 * Cancels the queued or running change: a queued one ends at once; a running one stops at its next
 * stage (on PostgreSQL its current statement is cancelled at once) and its transaction is rolled
 * back, so the zone and the rollups stay as they were. On the embedded database a recount under
 * way finishes its statement first, and this waits for it.
 */
export async function cancelTimeZoneChange(handle: DbHandle, viewer: Viewer | null): Promise<TimeZoneChange> {
  // Running here: stop it first. On PGlite its transaction holds the one connection, so the reads
  // below wait for it to end, and it ends at its next stage, cancelled.
  const abortedHere = abortLocalRunsOf(TIME_ZONE_JOB) > 0;
  await reapAbandonedJobs(handle, handle.query, TIME_ZONE_JOB);
  const active = await activeTimeZoneChange(handle.query);
  if (!active) {
    const latest = abortedHere ? await latestTimeZoneChange(handle, handle.query) : null;
    if (latest?.status !== "cancelled") throw conflict("No time-zone change is queued or running, so there is nothing to cancel.", "TIME_ZONE_CHANGE_NOT_ACTIVE");
    await writeAudit(handle.query, viewer, "settings.time-zone.cancel", "settings", 1, { jobId: latest.id, from: latest.from, to: latest.to });
    return latest;
  }
  await requestCancel(handle, active.id, viewer?.userId ?? null);
  await writeAudit(handle.query, viewer, "settings.time-zone.cancel", "settings", 1, { jobId: active.id, from: active.from, to: active.to });
  return (await getTimeZoneChange(handle.query, active.id)) ?? active;
}
