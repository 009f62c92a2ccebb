-- customer_rollups keep each customer's purchase history day by day (distinct purchase days in
-- the business time zone with running order counts, running revenue and each day's last order
-- time), so a snapshot as of any time reads one row per customer instead of every order.
-- Existing rollups are rebuilt from completed orders in the settings' time zone.
-- customer_scores' key becomes (customer_id, snapshot_id): within a snapshot's partition it is
-- effectively customer_id alone, so one index serves lookups in a snapshot and a customer's
-- history across snapshots, and the separate customer index goes. The (snapshot_id,
-- rfm_segment) index goes too: within a partition it only narrows a few large groups, which a
-- scan of the partition reads about as fast, and every snapshot paid for building it.
DROP INDEX "customer_scores_customer_idx";--> statement-breakpoint
DROP INDEX "customer_scores_segment_idx";--> statement-breakpoint
-- Scores and memberships lose their foreign key to customers: a snapshot writes only customers
-- taken from customer_rollups (which keeps its own) in the same transaction, and validating a
-- million rows twice on every snapshot's attach cost a tenth of the whole pipeline. They are
-- derived data; the keys to snapshots and segments (cheap, and they cascade) stay.
ALTER TABLE "customer_scores" DROP CONSTRAINT "customer_scores_customer_id_customers_id_fk";--> statement-breakpoint
ALTER TABLE "segment_members" DROP CONSTRAINT "segment_members_customer_id_customers_id_fk";--> statement-breakpoint
ALTER TABLE "customer_scores" DROP CONSTRAINT "customer_scores_pk";--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_pk" PRIMARY KEY("customer_id","snapshot_id");--> statement-breakpoint
DELETE FROM "customer_rollups";--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD COLUMN "purchase_dates" date[] NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD COLUMN "cumulative_orders" integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD COLUMN "cumulative_revenue" numeric(16, 2)[] NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD COLUMN "day_last_order_at" timestamp with time zone[] NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD CONSTRAINT "customer_rollups_history" CHECK (cardinality("customer_rollups"."purchase_dates") = "customer_rollups"."purchase_days" and cardinality("customer_rollups"."cumulative_orders") = "customer_rollups"."purchase_days"
          and cardinality("customer_rollups"."cumulative_revenue") = "customer_rollups"."purchase_days" and cardinality("customer_rollups"."day_last_order_at") = "customer_rollups"."purchase_days");--> statement-breakpoint
INSERT INTO "customer_rollups" ("customer_id", "first_order_at", "last_order_at", "order_count", "purchase_days", "revenue",
                                "purchase_dates", "cumulative_orders", "cumulative_revenue", "day_last_order_at", "updated_at")
SELECT "customer_id", min("first_at"), max("last_at"), sum("n")::int, count(*)::int, sum("spend"),
       array_agg("d" ORDER BY "d"), array_agg("running_n" ORDER BY "d"), array_agg("running_spend" ORDER BY "d"), array_agg("last_at" ORDER BY "d"), now()
  FROM (
    SELECT "customer_id", "d", "n", "spend", "first_at", "last_at",
           (sum("n") OVER (PARTITION BY "customer_id" ORDER BY "d"))::int AS "running_n",
           sum("spend") OVER (PARTITION BY "customer_id" ORDER BY "d") AS "running_spend"
      FROM (
        SELECT o."customer_id", (o."ordered_at" AT TIME ZONE coalesce((SELECT "time_zone" FROM "settings" WHERE "id" = 1), 'Asia/Tokyo'))::date AS "d",
               count(*)::int AS "n", sum(o."amount") AS "spend", min(o."ordered_at") AS "first_at", max(o."ordered_at") AS "last_at"
          FROM "orders" o
         WHERE o."status" = 'completed'
         GROUP BY 1, 2
      ) "days"
  ) "history"
 GROUP BY "customer_id";
