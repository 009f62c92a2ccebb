// Leases for background jobs: the one mechanism every background run uses (a snapshot today;
// scheduled work reuses it). A run is a `jobs` row; the process running it holds a lease that
// heartbeats renew. A row whose lease ran out, and that this process is not running, belongs to
// a process that died: it is marked failed, so the next run proceeds without a restart. On the
// embedded database only one process can hold the directory (see @ltvloop/db's lock), so every
// queued or running row this process is not running is abandoned.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { isCancelledByRequest, processAlive, type DbHandle, type Query } from "@ltvloop/db/client";
import type { JobStatus } from "@ltvloop/db/schema";

/** Default lease: a run that has not renewed it for this long is considered dead. */
export const DEFAULT_LEASE_MS = 60_000;

const HOST = hostname();
/** host:pid:instance — who holds a lease. */
export const PROCESS_OWNER = `${HOST}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Running jobs held by processes of this machine that no longer exist: dead before their lease ends. */
async function deadLocalOwners(query: Query, kind: string | null): Promise<number[]> {
  const rows = await query<{ id: number; owner: string }>(
    "select id, owner from jobs where status = 'running' and owner like $1 and ($2::text is null or kind = $2)",
    [`${HOST.replaceAll("\\", "\\\\").replaceAll("%", "\\%").replaceAll("_", "\\_")}:%`, kind],
  );
  return rows.filter((r) => r.owner !== PROCESS_OWNER && !processAlive(Number(r.owner.split(":")[1]))).map((r) => r.id);
}

export class JobCancelledError extends Error {
  override name = "JobCancelledError";
  constructor(readonly jobId: number) {
    super(`Job ${jobId} was cancelled.`);
  }
}

export class JobNotQueuedError extends Error {
  override name = "JobNotQueuedError";
  constructor(readonly jobId: number) {
    super(`Job ${jobId} is not queued (already claimed, finished or cancelled).`);
  }
}

/** Retry n of a job waits backoff_ms · 2^(n−1), at most this long. */
export const MAX_BACKOFF_MS = 6 * 3_600_000;
/** SQL: when the next attempt of a job row may start. */
const RETRY_AT = `now() + least(backoff_ms * power(2, greatest(attempts - 1, 0)), ${MAX_BACKOFF_MS}) * interval '1 millisecond'`;

/** A stable code for how a run failed, for the history (the UI words it; the message stays in `error`). */
export function errorCodeOf(error: unknown): string {
  if (error instanceof JobCancelledError) return "CANCELLED";
  const code = (error as { code?: unknown } | null)?.code;
  // PostgreSQL's query_canceled: its statement timeout, or a cancel from elsewhere (pg_cancel_backend).
  if (code === "57014") return isCancelledByRequest(error) ? "QUERY_CANCELLED" : "STATEMENT_TIMEOUT";
  if (typeof code === "string" && /^[A-Z_]+$/.test(code)) return code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return `DATABASE_${code}`;
  return "INTERNAL";
}

export interface JobRow {
  id: number;
  kind: string;
  status: JobStatus;
  subjectId: number | null;
  owner: string | null;
  attempts: number;
  maxAttempts: number;
  leaseExpiresAt: Date | null;
  cancelRequestedAt: Date | null;
  error: string | null;
  errorCode: string | null;
  runAfter: Date;
}

const toJob = (r: Record<string, unknown>): JobRow => ({
  id: r.id as number,
  kind: r.kind as string,
  status: r.status as JobStatus,
  subjectId: (r.subject_id as number | null) ?? null,
  owner: (r.owner as string | null) ?? null,
  attempts: r.attempts as number,
  maxAttempts: r.max_attempts as number,
  leaseExpiresAt: (r.lease_expires_at as Date | null) ?? null,
  cancelRequestedAt: (r.cancel_requested_at as Date | null) ?? null,
  error: (r.error as string | null) ?? null,
  errorCode: (r.error_code as string | null) ?? null,
  runAfter: r.run_after as Date,
});
const JOB_COLUMNS = "id, kind, status, subject_id, owner, attempts, max_attempts, lease_expires_at, cancel_requested_at, error, error_code, run_after";

/** The runs this process is executing now, by job id. */
const running = new Map<number, { kind: string; subjectId: number | null; controller: AbortController }>();

/**
 * Stops this process's run of (kind, subject) at its next check, without touching the database
 * (on PGlite the run's transaction holds the one connection until it stops). True if one ran here.
 */
export function abortLocalRun(kind: string, subjectId: number): boolean {
  for (const run of running.values()) {
    if (run.kind === kind && run.subjectId === subjectId) {
      run.controller.abort();
      return true;
    }
  }
  return false;
}

/**
 * Stops every run of `kind` in this process at its next check, without touching the database (for
 * jobs without a subject, such as a time-zone change). Returns how many ran here.
 */
export function abortLocalRunsOf(kind: string): number {
  let aborted = 0;
  for (const run of running.values()) {
    if (run.kind !== kind) continue;
    run.controller.abort();
    aborted += 1;
  }
  return aborted;
}

export interface EnqueueOptions {
  kind: string;
  subjectId?: number | null;
  payload?: unknown;
  /** At most one queued or running job per (kind, key). */
  singletonKey?: string | null;
  /** A queued job nobody claims within this time is abandoned (the creator died before starting it). */
  claimWithinMs?: number;
}

/** Queues a job, to be claimed by `runJob`; a unique violation means the singleton is taken. */
export async function enqueueJob(query: Query, options: EnqueueOptions): Promise<JobRow> {
  const [row] = await query(
    `insert into jobs (kind, subject_id, payload, singleton_key, lease_expires_at)
     values ($1, $2, $3::jsonb, $4, now() + $5 * interval '1 millisecond') returning ${JOB_COLUMNS}`,
    [options.kind, options.subjectId ?? null, JSON.stringify(options.payload ?? {}), options.singletonKey ?? null, options.claimWithinMs ?? DEFAULT_LEASE_MS],
  );
  return toJob(row as Record<string, unknown>);
}

/**
 * Marks abandoned runs failed: queued or running jobs whose lease ran out, or whose owner was a
 * process of this machine that no longer exists (on the embedded database: every running one),
 * and that this process is not running. Returns the jobs it marked.
 */
export async function reapAbandonedJobs(handle: Pick<DbHandle, "kind">, query: Query, kind?: string): Promise<JobRow[]> {
  const dead = handle.kind === "postgres" ? await deadLocalOwners(query, kind ?? null) : [];
  // A run with attempts left goes back to the queue after its backoff (scheduled work); the rest fail.
  const rows = await query(
    `update jobs set status = case when status = 'running' and attempts < max_attempts and cancel_requested_at is null then 'queued' else 'failed' end,
            finished_at = case when status = 'running' and attempts < max_attempts and cancel_requested_at is null then null else now() end,
            run_after = case when status = 'running' and attempts < max_attempts then ${RETRY_AT} else run_after end,
            lease_expires_at = null, backend_pid = null, error_code = 'ABANDONED',
            error = 'Abandoned: the process running it (' || coalesce(owner, 'none yet') || ') stopped without finishing.' ||
                    case when status = 'running' and attempts < max_attempts and cancel_requested_at is null then ' It will be retried.' else ' Start it again.' end
      where status in ('queued', 'running')
        and ($1::text is null or kind = $1)
        and (lease_expires_at < now() or ($2::boolean and status = 'running') or id = any($4::bigint[]))
        and not (id = any($3::bigint[]))
      returning ${JOB_COLUMNS}`,
    [kind ?? null, handle.kind === "embedded", [...running.keys()], dead],
  );
  return rows.map(toJob);
}

export interface JobLease {
  job: JobRow;
  signal: AbortSignal;
  /** Throws JobCancelledError once a cancel was requested. */
  throwIfCancelled: () => void;
  /** Records the PostgreSQL backend running the job's transaction (call inside it). */
  recordBackend: (tx: Query) => Promise<void>;
}

/** How a run ended; `retrying`: it failed with attempts left and is queued again after its backoff. */
export type JobOutcome<T> = { status: "succeeded"; value: T } | { status: "failed" | "cancelled" | "retrying"; error: unknown };

export interface RunJobOptions {
  leaseMs?: number;
}

/**
 * Claims a queued job, runs `work` under a renewed lease, and records how it ended: succeeded,
 * cancelled (a cancel was requested) or failed (the error's message). Returns `work`'s result or
 * the error it ended with.
 */
export async function runJob<T>(
  handle: DbHandle,
  jobId: number,
  work: (lease: JobLease) => Promise<T>,
  options: RunJobOptions = {},
): Promise<JobOutcome<T>> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const [claimed] = await handle.query(
    `update jobs set status = 'running', owner = $2, attempts = attempts + 1, started_at = now(), heartbeat_at = now(),
            lease_expires_at = now() + $3 * interval '1 millisecond'
      where id = $1 and status = 'queued' and cancel_requested_at is null and run_after <= now() returning ${JOB_COLUMNS}`,
    [jobId, PROCESS_OWNER, leaseMs],
  );
  if (!claimed) throw new JobNotQueuedError(jobId);
  const job = toJob(claimed);
  const controller = new AbortController();
  running.set(jobId, { kind: job.kind, subjectId: job.subjectId, controller });
  // PGlite serves one statement stream and the job's transaction holds it: a heartbeat could not
  // run until the job ends, and no other process can hold the directory, so none is needed there.
  const heartbeat =
    handle.kind === "postgres"
      ? setInterval(() => {
          void renewLease(handle, jobId, leaseMs, controller).catch(() => {});
        }, Math.max(50, Math.floor(leaseMs / 3)))
      : null;
  heartbeat?.unref();
  const lease: JobLease = {
    job,
    signal: controller.signal,
    throwIfCancelled: () => {
      if (controller.signal.aborted) throw new JobCancelledError(jobId);
    },
    recordBackend: async (tx) => {
      if (handle.kind !== "postgres") return;
      const [row] = await tx<{ pid: number }>("select pg_backend_pid() as pid");
      await handle.query("update jobs set backend_pid = $2 where id = $1", [jobId, row?.pid ?? null]);
    },
  };
  try {
    const value = await work(lease);
    await handle.query(
      "update jobs set status = 'succeeded', finished_at = now(), lease_expires_at = null, backend_pid = null, error_code = null where id = $1 and owner = $2",
      [jobId, PROCESS_OWNER],
    );
    return { status: "succeeded", value };
  } catch (error) {
    const cancelled = controller.signal.aborted || (await cancelRequested(handle.query, jobId));
    const status = cancelled ? "cancelled" : "failed";
    // Attempts left (scheduled work): back to the queue after the backoff, the error kept.
    const [after] = await handle.query<{ status: string }>(
      `update jobs set status = case when $3 = 'failed' and attempts < max_attempts then 'queued' else $3 end,
              finished_at = case when $3 = 'failed' and attempts < max_attempts then null else now() end,
              run_after = case when $3 = 'failed' and attempts < max_attempts then ${RETRY_AT} else run_after end,
              error = $4, error_code = $5, lease_expires_at = null, backend_pid = null
        where id = $1 and owner = $2 and status = 'running' returning status`,
      [jobId, PROCESS_OWNER, status, cancelled ? "Cancelled on request." : error instanceof Error ? error.message : String(error), cancelled ? "CANCELLED" : errorCodeOf(error)],
    );
    if (after?.status === "queued") return { status: "retrying", error };
    return { status, error };
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    running.delete(jobId);
  }
}

async function cancelRequested(query: Query, jobId: number): Promise<boolean> {
  const [row] = await query<{ requested: boolean }>("select cancel_requested_at is not null as requested from jobs where id = $1", [jobId]);
  return row?.requested ?? false;
}

/** Renews the lease; sees a cancel requested by another process and stops the run's statement. */
async function renewLease(handle: DbHandle, jobId: number, leaseMs: number, controller: AbortController): Promise<void> {
  const [row] = await handle.query<{ cancel: boolean }>(
    `update jobs set heartbeat_at = now(), lease_expires_at = now() + $3 * interval '1 millisecond'
      where id = $1 and owner = $2 and status = 'running' returning cancel_requested_at is not null as cancel`,
    [jobId, PROCESS_OWNER, leaseMs],
  );
  if (row?.cancel && !controller.signal.aborted) {
    controller.abort();
    // Requested from elsewhere: stop the statement running now rather than at the next check.
    await handle.query("select pg_cancel_backend(backend_pid) from jobs where id = $1 and backend_pid is not null", [jobId]);
  }
}

/**
 * Asks a queued or running job to stop. A queued job is cancelled at once; a running one stops at
 * its next check, and on PostgreSQL its current statement is cancelled too. Returns the job as it
 * is after the request, or null when it was not queued or running.
 */
export async function requestCancel(handle: DbHandle, jobId: number, userId: number | null): Promise<JobRow | null> {
  // In this process: stop at once (on PGlite the job's transaction holds the one connection, so
  // the writes below wait until the job has stopped).
  running.get(jobId)?.controller.abort();
  const [row] = await handle.query(
    `update jobs set cancel_requested_at = coalesce(cancel_requested_at, now()), cancel_requested_by = coalesce(cancel_requested_by, $2),
            status = case when status = 'queued' then 'cancelled' else status end,
            finished_at = case when status = 'queued' then now() else finished_at end,
            error = case when status = 'queued' then 'Cancelled on request.' else error end,
            error_code = case when status = 'queued' then 'CANCELLED' else error_code end
      where id = $1 and status in ('queued', 'running') returning ${JOB_COLUMNS}, backend_pid`,
    [jobId, userId],
  );
  if (!row) return null;
  const backendPid = row.backend_pid as number | null;
  if (handle.kind === "postgres" && backendPid && row.status === "running") {
    // The owner (here or in another process) also sees the request at its next heartbeat; this
    // stops a long statement now. Lacking the privilege to signal it only delays the stop.
    await handle.query("select pg_cancel_backend($1)", [backendPid]).catch(() => {});
  }
  return toJob(row);
}

export async function findJob(query: Query, kind: string, subjectId: number): Promise<JobRow | null> {
  const [row] = await query(`select ${JOB_COLUMNS} from jobs where kind = $1 and subject_id = $2 order by id desc limit 1`, [kind, subjectId]);
  return row ? toJob(row) : null;
}

/**
 * For a job's long transaction on PostgreSQL: if this process dies, PostgreSQL notices only when
 * it next talks to it; with client_connection_check_interval (PostgreSQL 14+, Linux servers) a
 * long statement checks every second and stops, releasing its locks for the next run. Best
 * effort: skipped where unsupported.
 */
export async function watchForDeadClient(tx: Query): Promise<void> {
  await tx("savepoint watch_client");
  try {
    await tx("select set_config('client_connection_check_interval', '1000', true) where current_setting('server_version_num')::int >= 140000");
    await tx("release savepoint watch_client");
  } catch {
    await tx("rollback to savepoint watch_client");
  }
}
