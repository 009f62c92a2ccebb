-- Background work with leases (hardening): every run of a background job (a snapshot today, the
-- scheduler's jobs later) is a row here. The process running it holds a lease it renews with
-- heartbeats; a row whose lease ran out belongs to a process that died and is marked failed, so
-- the next run proceeds without a restart. singleton_key keeps one queued or running job per key
-- (one snapshot at a time) even across processes.
CREATE TABLE "jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"subject_id" bigint,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"singleton_key" text,
	"run_after" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 1 NOT NULL,
	"owner" text,
	"backend_pid" integer,
	"lease_expires_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"cancel_requested_at" timestamp with time zone,
	"cancel_requested_by" bigint,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "jobs_status_known" CHECK ("jobs"."status" in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
	CONSTRAINT "jobs_attempts_bounded" CHECK ("jobs"."attempts" >= 0 and "jobs"."max_attempts" >= 1)
);
--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_cancel_requested_by_users_id_fk" FOREIGN KEY ("cancel_requested_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_singleton_active" ON "jobs" USING btree ("kind","singleton_key") WHERE "jobs"."status" in ('queued', 'running') and "jobs"."singleton_key" is not null;--> statement-breakpoint
CREATE INDEX "jobs_status_lease_idx" ON "jobs" USING btree ("status","lease_expires_at");--> statement-breakpoint
CREATE INDEX "jobs_kind_subject_idx" ON "jobs" USING btree ("kind","subject_id");--> statement-breakpoint
ALTER TABLE "snapshots" DROP CONSTRAINT "snapshots_status_known";--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_status_known" CHECK ("snapshots"."status" in ('pending', 'running', 'succeeded', 'failed', 'cancelled'));
