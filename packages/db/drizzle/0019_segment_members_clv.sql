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
