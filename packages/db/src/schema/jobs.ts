import { sql } from "drizzle-orm";
import { check, idColumn, index, integer, jsonb, pgTable, ref, text, timestamptz, uniqueIndex } from "./columns.ts";
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
  ],
);
