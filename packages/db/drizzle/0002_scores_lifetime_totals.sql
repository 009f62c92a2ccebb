ALTER TABLE "customer_scores" ADD COLUMN "revenue" numeric(16, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD COLUMN "order_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD COLUMN "first_order_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD COLUMN "last_order_at" timestamp with time zone;