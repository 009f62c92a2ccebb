-- Serving at production speed (issue 12): a segment's members listed by predicted CLV, highest
-- first, read from the top of an index instead of walking every score of the snapshot by CLV
-- and probing membership (at 1M customers a large, low-CLV segment such as "lost" sat behind
-- hundreds of thousands of other customers' scores). Each membership row carries its member's
-- predicted CLV in that snapshot (scores never change once published), written with the row.
ALTER TABLE "segment_members" ADD COLUMN "predicted_clv" numeric(16, 2);--> statement-breakpoint
UPDATE "segment_members" m SET "predicted_clv" = s."predicted_clv"
  FROM "customer_scores" s
 WHERE s."snapshot_id" = m."snapshot_id" AND s."customer_id" = m."customer_id" AND s."predicted_clv" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "segment_members_clv_idx" ON "segment_members" USING btree ("segment_id","snapshot_id",(coalesce("predicted_clv", -1e15)),"customer_id");
--> statement-breakpoint
-- Each segment's size, revenue and mean CLV and P(alive) per snapshot, written with its members:
-- the segments page and a segment's totalCount read one row instead of joining every member to
-- its score (1.3 s for the eight RFM segments at 1M customers).
CREATE TABLE "segment_stats" (
  "segment_id" bigint NOT NULL,
  "snapshot_id" bigint NOT NULL,
  "customers" integer NOT NULL,
  "revenue" numeric(18, 2) NOT NULL,
  "mean_predicted_clv" double precision,
  "mean_p_alive" double precision,
  CONSTRAINT "segment_stats_pkey" PRIMARY KEY("segment_id","snapshot_id"),
  CONSTRAINT "segment_stats_customers_not_negative" CHECK ("segment_stats"."customers" >= 0)
);
--> statement-breakpoint
ALTER TABLE "segment_stats" ADD CONSTRAINT "segment_stats_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_stats" ADD CONSTRAINT "segment_stats_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "segment_stats" ("segment_id", "snapshot_id", "customers", "revenue", "mean_predicted_clv", "mean_p_alive")
SELECT m."segment_id", m."snapshot_id", count(*)::int, coalesce(sum(s."revenue"), 0), avg(s."predicted_clv")::float8, avg(s."p_alive")::float8
  FROM "segment_members" m
  JOIN "customer_scores" s ON s."snapshot_id" = m."snapshot_id" AND s."customer_id" = m."customer_id"
 GROUP BY 1, 2;
