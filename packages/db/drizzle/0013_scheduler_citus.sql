-- The scheduler (issue 18): work that runs itself on the jobs/leases mechanism of 0008.
-- Jobs gain what scheduled work needs: the slot or due time they were scheduled for, a key that
-- makes each scheduled run happen once ever (a nightly slot, a campaign's final measurement), a
-- backoff for retries and a stable error code for the history. job_schedules holds the
-- admin-set recurring schedules (the nightly snapshot at a local time of the business zone).
ALTER TABLE "jobs" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "backoff_ms" integer DEFAULT 60000 NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "error_code" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_backoff_positive" CHECK ("jobs"."backoff_ms" > 0);--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_unique" ON "jobs" USING btree ("kind","dedupe_key") WHERE "jobs"."dedupe_key" is not null;--> statement-breakpoint
CREATE INDEX "jobs_queued_run_after_idx" ON "jobs" USING btree ("run_after") WHERE "jobs"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_created_idx" ON "jobs" USING btree ("created_at","id");--> statement-breakpoint
CREATE TABLE "job_schedules" (
	"kind" text PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"local_time" text DEFAULT '03:00' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" bigint,
	CONSTRAINT "job_schedules_local_time" CHECK ("job_schedules"."local_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);--> statement-breakpoint
ALTER TABLE "job_schedules" ADD CONSTRAINT "job_schedules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
INSERT INTO "job_schedules" ("kind", "enabled", "local_time") VALUES ('snapshot.nightly', false, '03:00');
--> statement-breakpoint
-- The Citus path (docs/scaling.md): a distributed table needs its distribution column in every
-- unique key. Orders are distributed by customer_id, so their primary key becomes
-- (customer_id, id): ids stay unique by their identity sequence, and reading a customer's
-- orders by key stays on one shard. Nothing refers to orders by id alone.
ALTER TABLE "orders" DROP CONSTRAINT "orders_pkey";--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_pkey" PRIMARY KEY ("customer_id","id");
