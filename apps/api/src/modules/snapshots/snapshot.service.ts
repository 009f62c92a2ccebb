import type { DbHandle, Query } from "@ltvloop/db/client";
import type { SnapshotStatus } from "@ltvloop/db/schema";
import type { Viewer } from "../../context.ts";
import { badInput, conflict, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem, type FieldProblemCode, type ReasonParams } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { abortLocalRun, enqueueJob, findJob, reapAbandonedJobs, requestCancel, runJob, watchForDeadClient, type JobLease } from "../jobs/job.lease.ts";
import { DEFAULT_JOB_STATEMENT_TIMEOUT_MS } from "../jobs/job.timeouts.ts";
import { effectiveRfSegmentMap, getSettings } from "../settings/settings.service.ts";
import { runSnapshotPipeline, type ModelFits } from "./snapshot.pipeline.ts";
import { SNAPSHOT_DEFAULTS, type SnapshotParameters } from "./snapshot.params.ts";

export interface SnapshotRow {
  id: number;
  asOf: Date;
  parameters: SnapshotParameters;
  modelFits: ModelFits | null;
  status: SnapshotStatus;
  progress: number;
  stage: string | null;
  timings: Record<string, number>;
  error: string | null;
  customerCount: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const SELECT = `select id, as_of, parameters, model_fits, status, progress, stage, timings, error, customer_count,
                       created_at, started_at, finished_at from snapshots`;

function toRow(r: Record<string, unknown>): SnapshotRow {
  return {
    id: r.id as number,
    asOf: r.as_of as Date,
    parameters: r.parameters as SnapshotParameters,
    modelFits: (r.model_fits as ModelFits | null) ?? null,
    status: r.status as SnapshotStatus,
    progress: r.progress as number,
    stage: (r.stage as string | null) ?? null,
    timings: (r.timings as Record<string, number>) ?? {},
    error: (r.error as string | null) ?? null,
    customerCount: (r.customer_count as number | null) ?? null,
    createdAt: r.created_at as Date,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
  };
}

export interface SnapshotInput {
  asOf?: Date | null;
  /** Alternative to asOf: the start of this calendar day (YYYY-MM-DD) in the business time zone. */
  asOfDate?: string | null;
  model?: "bg-nbd" | "pareto-nbd" | null;
  horizonMonths?: number | null;
  monthlyDiscountRate?: number | null;
  lookbackDays?: number | null;
  holdoutDays?: number | null;
  margin?: number | null;
}

/** Validates the input against the settings and returns the full, stored parameter set. */
export async function resolveParameters(query: Query, input: SnapshotInput): Promise<SnapshotParameters> {
  const settings = await getSettings(query);
  const problems: FieldProblem[] = [];
  const check = (ok: boolean, path: string, code: FieldProblemCode, params?: ReasonParams) => ok || problems.push(fieldProblem(path, code, params));
  let asOf = input.asOf ?? new Date();
  if (input.asOfDate) {
    const [row] = await query<{ t: Date }>("select ($1::date::timestamp at time zone $2) as t", [input.asOfDate, settings.timeZone]);
    asOf = row?.t ?? asOf;
  }
  check(!Number.isNaN(asOf.getTime()), "asOf", "NOT_A_DATE");
  check(Number.isNaN(asOf.getTime()) || asOf.getTime() <= Date.now() + 86_400_000, "asOf", "IN_FUTURE");
  const horizonMonths = input.horizonMonths ?? SNAPSHOT_DEFAULTS.horizonMonths;
  check(Number.isInteger(horizonMonths) && horizonMonths >= 1 && horizonMonths <= 120, "horizonMonths", "MONTHS", { min: 1, max: 120 });
  const monthlyDiscountRate = input.monthlyDiscountRate ?? SNAPSHOT_DEFAULTS.monthlyDiscountRate;
  check(monthlyDiscountRate >= 0 && monthlyDiscountRate <= 0.2, "monthlyDiscountRate", "OUT_OF_RANGE", { min: 0, max: 0.2 });
  const lookbackDays = input.lookbackDays ?? SNAPSHOT_DEFAULTS.lookbackDays;
  check(Number.isInteger(lookbackDays) && lookbackDays >= 7 && lookbackDays <= 3650, "lookbackDays", "DAYS", { min: 7, max: 3650 });
  const holdoutDays = input.holdoutDays ?? SNAPSHOT_DEFAULTS.holdoutDays;
  check(Number.isInteger(holdoutDays) && holdoutDays >= 7 && holdoutDays <= 1095, "holdoutDays", "DAYS", { min: 7, max: 1095 });
  const margin = input.margin ?? settings.defaultMargin;
  check(margin >= 0 && margin <= 1, "margin", "RATIO");
  if (problems.length > 0) throw badInput("The snapshot parameters are invalid; fix the fields listed.", problems);
  return {
    asOf: asOf.toISOString(),
    timeZone: settings.timeZone,
    timeUnit: SNAPSHOT_DEFAULTS.timeUnit,
    model: input.model ?? SNAPSHOT_DEFAULTS.model,
    horizonMonths,
    monthlyDiscountRate,
    margin,
    lookbackDays,
    rfmBinMode: settings.rfmBinMode,
    rfmThresholds: settings.rfmThresholds,
    rfSegmentMap: effectiveRfSegmentMap(settings),
    expectedLifespanYears: SNAPSHOT_DEFAULTS.expectedLifespanYears,
    holdoutDays,
    fitSampleCustomers: SNAPSHOT_DEFAULTS.fitSampleCustomers,
  };
}

export const SNAPSHOT_JOB = "snapshot";

/**
 * Heals what dead processes left behind: their snapshot jobs (lease run out; on the embedded
 * database every one this process is not running) are marked failed, and so is every pending
 * or running snapshot without a live job. Runs before each new snapshot and at server start.
 */
export async function healSnapshots(handle: DbHandle, query: Query = handle.query): Promise<number> {
  await reapAbandonedJobs(handle, query, SNAPSHOT_JOB);
  const rows = await query(
    `update snapshots s set status = 'failed', finished_at = now(),
            error = 'Interrupted: the process computing it stopped before it finished. Create a new snapshot.'
      where s.status in ('pending', 'running')
        and not exists (select 1 from jobs j where j.kind = $1 and j.subject_id = s.id and j.status in ('queued', 'running'))
      returning id`,
    [SNAPSHOT_JOB],
  );
  return rows.length;
}

/** Queues a snapshot; only one may be pending or running at a time. */
export async function createSnapshot(handle: DbHandle, viewer: Viewer | null, input: SnapshotInput): Promise<SnapshotRow> {
  const parameters = await resolveParameters(handle.query, input);
  return handle.transaction(async ({ query }) => {
    await healSnapshots(handle, query);
    const [busy] = await query<{ id: number }>("select id from snapshots where status in ('pending', 'running') for update");
    if (busy) throw conflict(`Snapshot ${busy.id} is still being computed. Wait for it to finish (watch its progress) or cancel it, then try again.`, "SNAPSHOT_BUSY", { id: busy.id });
    const [row] = await query(
      `insert into snapshots (as_of, parameters, status, created_by) values ($1, $2::jsonb, 'pending', $3)
       returning id, as_of, parameters, model_fits, status, progress, stage, timings, error, customer_count, created_at, started_at, finished_at`,
      [parameters.asOf, JSON.stringify(parameters), viewer?.userId ?? null],
    );
    const snapshot = toRow(row as Record<string, unknown>);
    // The unique index on active singleton jobs keeps this to one even across processes.
    await enqueueJob(query, { kind: SNAPSHOT_JOB, subjectId: snapshot.id, singletonKey: SNAPSHOT_JOB }).catch((error: unknown) => {
      if ((error as { code?: string }).code === "23505") throw conflict("Another snapshot is being computed. Wait for it to finish, then try again.", "SNAPSHOT_BUSY");
      throw error;
    });
    await writeAudit(query, viewer, "snapshot.create", "snapshot", snapshot.id, { parameters });
    return snapshot;
  });
}

export interface ExecuteOptions {
  /** Longest any one statement of the run may take (PostgreSQL); default DEFAULT_JOB_STATEMENT_TIMEOUT_MS. */
  statementTimeoutMs?: number;
  /** Lease length; heartbeats renew it every third of it (PostgreSQL). */
  leaseMs?: number;
}

/**
 * Computes a queued snapshot under its job's lease. Progress is written where readers can see it
 * while the data is written in one transaction; a failure marks the snapshot failed and writes
 * no scores; a cancel marks it cancelled.
 */
export async function executeSnapshot(
  handle: DbHandle,
  snapshotId: number,
  onProgress?: (progress: number, stage: string) => void,
  options: ExecuteOptions = {},
): Promise<SnapshotRow> {
  const job = await findJob(handle.query, SNAPSHOT_JOB, snapshotId);
  if (!job || job.status !== "queued") throw conflict(`Snapshot ${snapshotId} is not pending.`, "SNAPSHOT_NOT_PENDING", { id: snapshotId });
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_JOB_STATEMENT_TIMEOUT_MS;
  const outcome = await runJob(
    handle,
    job.id,
    async (lease: JobLease) => {
      const [row] = await handle.query<{ parameters: SnapshotParameters }>(
        "update snapshots set status = 'running', started_at = now(), stage = 'starting' where id = $1 and status = 'pending' returning parameters",
        [snapshotId],
      );
      if (!row) throw conflict(`Snapshot ${snapshotId} is not pending.`, "SNAPSHOT_NOT_PENDING", { id: snapshotId });
      let first = true;
      await runSnapshotPipeline(handle, snapshotId, row.parameters, (tx) => async (progress, stage) => {
        lease.throwIfCancelled();
        if (first) {
          first = false;
          if (handle.kind === "postgres") {
            // The job's own bound, not the request's; and its transaction may sit idle while the
            // models are fitted in this process, so the idle-in-transaction bound follows it.
            await tx(`set local statement_timeout = ${Math.floor(statementTimeoutMs)}`);
            await tx(`set local idle_in_transaction_session_timeout = ${Math.floor(statementTimeoutMs)}`);
            await watchForDeadClient(tx);
          }
          await lease.recordBackend(tx);
        }
        onProgress?.(progress, stage);
        // PGlite runs one statement stream: inside the transaction is the only place to write.
        const writer = handle.kind === "embedded" ? tx : handle.query;
        await writer("update snapshots set progress = $2, stage = $3 where id = $1", [snapshotId, progress, stage]);
      });
    },
    options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs },
  );
  if (outcome.status !== "succeeded") {
    const error = outcome.error;
    const message = outcome.status === "cancelled" ? "Cancelled on request; no scores were written." : error instanceof Error ? error.message : String(error);
    await handle.query("update snapshots set status = $2, error = $3, finished_at = now() where id = $1 and status in ('pending', 'running')", [
      snapshotId,
      outcome.status === "cancelled" ? "cancelled" : "failed",
      message,
    ]);
  }
  return getSnapshot(handle.query, snapshotId);
}

/**
 * Cancels a pending or running snapshot: it stops at its next stage (on PostgreSQL its current
 * statement is cancelled at once), writes no scores and ends `cancelled`.
 */
export async function cancelSnapshot(handle: DbHandle, viewer: Viewer | null, snapshotId: number): Promise<SnapshotRow> {
  // Running here: stop it first (on PGlite the reads below wait for its transaction to end).
  abortLocalRun(SNAPSHOT_JOB, snapshotId);
  const snapshot = await getSnapshot(handle.query, snapshotId);
  if (snapshot.status !== "pending" && snapshot.status !== "running") {
    throw conflict(`Snapshot ${snapshotId} is ${snapshot.status}; only a pending or running snapshot can be cancelled.`, "SNAPSHOT_NOT_CANCELLABLE", { id: snapshotId, status: snapshot.status });
  }
  const job = await findJob(handle.query, SNAPSHOT_JOB, snapshotId);
  const cancelled = job ? await requestCancel(handle, job.id, viewer?.userId ?? null) : null;
  if (!cancelled || cancelled.status === "cancelled") {
    // Never started (or its job is gone): nothing runs, so the snapshot ends here.
    await handle.query(
      "update snapshots set status = 'cancelled', error = 'Cancelled on request; no scores were written.', finished_at = now() where id = $1 and status in ('pending', 'running')",
      [snapshotId],
    );
  }
  await writeAudit(handle.query, viewer, "snapshot.cancel", "snapshot", snapshotId, {});
  return getSnapshot(handle.query, snapshotId);
}

export async function getSnapshot(query: Query, id: number): Promise<SnapshotRow> {
  const [row] = await query(`${SELECT} where id = $1`, [id]);
  if (!row) throw notFound(`Snapshot ${id} does not exist. List snapshots with \`snapshots\`.`, "SNAPSHOT_NOT_FOUND", { id });
  return toRow(row);
}

export async function latestSnapshot(query: Query): Promise<SnapshotRow | null> {
  const [row] = await query(`${SELECT} where status = 'succeeded' order by as_of desc, id desc limit 1`);
  return row ? toRow(row) : null;
}

export async function listSnapshots(query: Query, limit: number, afterId: number | null): Promise<{ rows: SnapshotRow[]; total: number }> {
  const rows = await query(`${SELECT} where ($1::bigint is null or id < $1) order by id desc limit $2`, [afterId, limit]);
  const [count] = await query<{ n: number }>("select count(*)::int as n from snapshots");
  return { rows: rows.map(toRow), total: count?.n ?? 0 };
}

/** The snapshot a read refers to: the given id, else the latest succeeded one. */
export async function resolveSnapshotId(query: Query, id: number | null | undefined): Promise<number> {
  if (id !== null && id !== undefined) {
    const snapshot = await getSnapshot(query, id);
    if (snapshot.status !== "succeeded") throw badInput(`Snapshot ${id} is ${snapshot.status}; use a succeeded snapshot.`, [fieldProblem("snapshotId", "SNAPSHOT_NOT_SUCCEEDED", { id, status: snapshot.status })], "SNAPSHOT_NOT_SUCCEEDED", { id, status: snapshot.status });
    return id;
  }
  const latest = await latestSnapshot(query);
  if (!latest) throw notFound("No snapshot has been computed yet. Create one with `createSnapshot` (or `pnpm ltvloop snapshot`).", "NO_SNAPSHOT_YET");
  return latest.id;
}
