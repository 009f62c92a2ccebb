-- customer_scores and segment_members become partitioned by snapshot: one partition per snapshot
-- (customer_scores_<id>, segment_members_<id>). A snapshot writes its million rows into a fresh
-- table with no index or foreign-key trigger to maintain per row, then attaches it: indexes are
-- built and foreign keys validated once, in bulk. Columns, keys, checks and indexes are as before.
ALTER TABLE "customer_scores" RENAME TO "customer_scores_unpartitioned";--> statement-breakpoint
ALTER INDEX "customer_scores_pk" RENAME TO "customer_scores_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "customer_scores_customer_idx" RENAME TO "customer_scores_unpartitioned_customer_idx";--> statement-breakpoint
ALTER INDEX "customer_scores_segment_idx" RENAME TO "customer_scores_unpartitioned_segment_idx";--> statement-breakpoint
ALTER TABLE "segment_members" RENAME TO "segment_members_unpartitioned";--> statement-breakpoint
ALTER INDEX "segment_members_pk" RENAME TO "segment_members_unpartitioned_pk";--> statement-breakpoint
ALTER INDEX "segment_members_snapshot_customer_idx" RENAME TO "segment_members_unpartitioned_snapshot_customer_idx";--> statement-breakpoint
CREATE TABLE "customer_scores" (
	"snapshot_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"recency_days" integer NOT NULL,
	"frequency" integer NOT NULL,
	"monetary" numeric(16, 2) NOT NULL,
	"r_score" smallint NOT NULL,
	"f_score" smallint NOT NULL,
	"m_score" smallint NOT NULL,
	"rfm_segment" text NOT NULL,
	"decile" smallint NOT NULL,
	"btyd_x" integer NOT NULL,
	"btyd_t_x" double precision NOT NULL,
	"btyd_t" double precision NOT NULL,
	"p_alive" double precision,
	"expected_purchases" double precision,
	"expected_spend" numeric(16, 2),
	"predicted_clv" numeric(16, 2),
	"historical_clv" numeric(16, 2),
	"revenue" numeric(16, 2) DEFAULT '0' NOT NULL,
	"order_count" integer DEFAULT 0 NOT NULL,
	"first_order_at" timestamp with time zone,
	"last_order_at" timestamp with time zone,
	CONSTRAINT "customer_scores_pk" PRIMARY KEY("snapshot_id","customer_id"),
	CONSTRAINT "customer_scores_r" CHECK ("customer_scores"."r_score" between 1 and 5),
	CONSTRAINT "customer_scores_f" CHECK ("customer_scores"."f_score" between 1 and 5),
	CONSTRAINT "customer_scores_m" CHECK ("customer_scores"."m_score" between 1 and 5),
	CONSTRAINT "customer_scores_decile" CHECK ("customer_scores"."decile" between 1 and 10),
	CONSTRAINT "customer_scores_p_alive" CHECK ("customer_scores"."p_alive" is null or ("customer_scores"."p_alive" >= 0 and "customer_scores"."p_alive" <= 1)),
	CONSTRAINT "customer_scores_btyd" CHECK ("customer_scores"."btyd_x" >= 0 and "customer_scores"."btyd_t_x" >= 0 and "customer_scores"."btyd_t" >= "customer_scores"."btyd_t_x")
) PARTITION BY LIST ("snapshot_id");--> statement-breakpoint
CREATE TABLE "segment_members" (
	"segment_id" bigint NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	CONSTRAINT "segment_members_pk" PRIMARY KEY("segment_id","snapshot_id","customer_id")
) PARTITION BY LIST ("snapshot_id");--> statement-breakpoint
DO $$
DECLARE
	snapshot bigint;
BEGIN
	FOR snapshot IN SELECT DISTINCT snapshot_id FROM customer_scores_unpartitioned UNION SELECT DISTINCT snapshot_id FROM segment_members_unpartitioned LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF customer_scores FOR VALUES IN (%s)', 'customer_scores_' || snapshot, snapshot);
		EXECUTE format('INSERT INTO %I SELECT snapshot_id, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_segment, decile, btyd_x, btyd_t_x, btyd_t, p_alive, expected_purchases, expected_spend, predicted_clv, historical_clv, revenue, order_count, first_order_at, last_order_at FROM customer_scores_unpartitioned WHERE snapshot_id = %s', 'customer_scores_' || snapshot, snapshot);
		EXECUTE format('CREATE TABLE %I PARTITION OF segment_members FOR VALUES IN (%s)', 'segment_members_' || snapshot, snapshot);
		EXECUTE format('INSERT INTO %I SELECT segment_id, snapshot_id, customer_id FROM segment_members_unpartitioned WHERE snapshot_id = %s', 'segment_members_' || snapshot, snapshot);
	END LOOP;
END
$$;--> statement-breakpoint
DROP TABLE "customer_scores_unpartitioned";--> statement-breakpoint
DROP TABLE "segment_members_unpartitioned";--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_scores_customer_idx" ON "customer_scores" USING btree ("customer_id","snapshot_id");--> statement-breakpoint
CREATE INDEX "customer_scores_segment_idx" ON "customer_scores" USING btree ("snapshot_id","rfm_segment");--> statement-breakpoint
CREATE INDEX "segment_members_snapshot_customer_idx" ON "segment_members" USING btree ("snapshot_id","customer_id");
