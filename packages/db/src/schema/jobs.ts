import { sql } from "drizzle-orm";
import { boolean, check, idColumn, index, integer, jsonb, pgTable, ref, text, timestamptz, uniqueIndex } from "./columns.ts";
import { users } from "./auth.ts";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * One run of a background job (a snapshot; scheduled work). The process running it holds a lease
 * (`owner`, `lease_expires_at`) renewed by heartbeats; a run whose lease ran out is abandoned and
 * marked failed. At most one queued or running job per (kind, singleton_key).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: idColumn(),
    kind: text("kind").notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    /** The row the job works on (the snapshot it computes). */
    subjectId: ref("subject_id"),
    payload: jsonb("payload").notNull().default({}),
    singletonKey: text("singleton_key"),
    runAfter: timestamptz("run_after").notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(1),
    /** host:pid:instance of the process holding the lease. */
    owner: text("owner"),
    /** The PostgreSQL backend running the job's transaction, so a cancel can stop its statement. */
    backendPid: integer("backend_pid"),
    leaseExpiresAt: timestamptz("lease_expires_at"),
    heartbeatAt: timestamptz("heartbeat_at"),
    cancelRequestedAt: timestamptz("cancel_requested_at"),
    cancelRequestedBy: ref("cancel_requested_by").references(() => users.id, { onDelete: "set null" }),
    error: text("error"),
    /** A stable code for the last error (CONFLICT, ABANDONED, STATEMENT_TIMEOUT, …); the UI words it. */
    errorCode: text("error_code"),
    /** Scheduled work: the slot (nightly snapshot) or due time (a campaign's window end) it runs for. */
    scheduledFor: timestamptz("scheduled_for"),
    /** At most one job ever per (kind, dedupe_key): each scheduled slot or final measurement runs once. */
    dedupeKey: text("dedupe_key"),
    /** Retry n waits backoff_ms · 2^(n−1) (capped at six hours) after a failed or abandoned attempt. */
    backoffMs: integer("backoff_ms").notNull().default(60_000),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    check("jobs_status_known", sql`${t.status} in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`),
    check("jobs_attempts_bounded", sql`${t.attempts} >= 0 and ${t.maxAttempts} >= 1`),
    uniqueIndex("jobs_singleton_active")
      .on(t.kind, t.singletonKey)
      .where(sql`${t.status} in ('queued', 'running') and ${t.singletonKey} is not null`),
    index("jobs_status_lease_idx").on(t.status, t.leaseExpiresAt),
    index("jobs_kind_subject_idx").on(t.kind, t.subjectId),
    check("jobs_backoff_positive", sql`${t.backoffMs} > 0`),
    uniqueIndex("jobs_dedupe_unique").on(t.kind, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
    index("jobs_queued_run_after_idx").on(t.runAfter).where(sql`${t.status} = 'queued'`),
    index("jobs_created_idx").on(t.createdAt, t.id),
  ],
);

/**
 * Recurring work set by admins: today the nightly snapshot (`snapshot.nightly`) at a local time
 * (HH:MM) of the business time zone. Only slots after `updated_at` run: enabling it at 10:00 for
 * 03:00 first runs at 03:00 the next day.
 */
export const jobSchedules = pgTable(
  "job_schedules",
  {
    kind: text("kind").primaryKey(),
    enabled: boolean("enabled").notNull().default(false),
    localTime: text("local_time").notNull().default("03:00"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    updatedBy: ref("updated_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("job_schedules_local_time", sql`${t.localTime} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`)],
);
