-- Serving at production speed (issue 12): completed orders per customer and business day, so
-- the dashboard's KPIs, the cohort grid and acquisition economics read one narrow row per
-- customer-day instead of every order. Days are dates in the business time zone; the table is
-- refreshed with customer_rollups in every transaction that writes orders (imports, the demo
-- seed) and rebuilt in the transaction that changes the time zone. Backfilled here.
CREATE TABLE "customer_day_activity" (
  "customer_id" bigint NOT NULL,
  "day" date NOT NULL,
  "orders" integer NOT NULL,
  "revenue" numeric(16, 2) NOT NULL,
  "own_margin_profit" numeric(20, 6) NOT NULL,
  "default_margin_revenue" numeric(16, 2) NOT NULL,
  CONSTRAINT "customer_day_activity_pkey" PRIMARY KEY("customer_id","day"),
  CONSTRAINT "customer_day_activity_orders_positive" CHECK ("customer_day_activity"."orders" >= 1)
);
--> statement-breakpoint
ALTER TABLE "customer_day_activity" ADD CONSTRAINT "customer_day_activity_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_day_activity_day_idx" ON "customer_day_activity" USING btree ("day","customer_id");--> statement-breakpoint
CREATE INDEX "customer_rollups_first_order_at_idx" ON "customer_rollups" USING btree ("first_order_at");--> statement-breakpoint
INSERT INTO "customer_day_activity" ("customer_id", "day", "orders", "revenue", "own_margin_profit", "default_margin_revenue")
SELECT o."customer_id", (o."ordered_at" AT TIME ZONE s."time_zone")::date, count(*)::int, sum(o."amount"),
       coalesce(sum(o."amount" * o."gross_margin"), 0), coalesce(sum(o."amount") FILTER (WHERE o."gross_margin" IS NULL), 0)
  FROM "orders" o CROSS JOIN (SELECT "time_zone" FROM "settings" WHERE "id" = 1) s
 WHERE o."status" = 'completed'
 GROUP BY 1, 2;
--> statement-breakpoint
-- Servers cache the dashboard's heavy reads (KPIs, cohorts, acquisition economics) until the data
-- under them changes: every statement writing it tells them (payload: the table's name).
CREATE TRIGGER "orders_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "orders" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "customers_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customers" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "customer_rollups_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customer_rollups" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "customer_day_activity_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customer_day_activity" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "channel_spend_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "channel_spend" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();--> statement-breakpoint
CREATE TRIGGER "settings_notify_cache" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "settings" FOR EACH STATEMENT EXECUTE FUNCTION notify_cache();
