-- Trustworthy measurement (issue 13): each import records the time range it covered, admins can
-- set an "orders complete up to" watermark for incremental feeds, and per-campaign delivery
-- results (sent, delivered, bounced, opened, clicked, redeemed) are stored per customer.
CREATE TABLE "import_runs" (
  "id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
  "kind" text NOT NULL,
  "covered_from" timestamp with time zone,
  "covered_to" timestamp with time zone,
  "rows" integer NOT NULL,
  "allow_future" boolean DEFAULT false NOT NULL,
  "campaign_id" bigint,
  "imported_at" timestamp with time zone DEFAULT now() NOT NULL,
  "imported_by" bigint,
  CONSTRAINT "import_runs_kind_known" CHECK ("import_runs"."kind" in ('orders', 'customers', 'deliveries')),
  CONSTRAINT "import_runs_range" CHECK ("import_runs"."covered_from" is null or "import_runs"."covered_to" is null or "import_runs"."covered_from" <= "import_runs"."covered_to"),
  CONSTRAINT "import_runs_rows_nonnegative" CHECK ("import_runs"."rows" >= 0)
);
--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_runs_kind_idx" ON "import_runs" USING btree ("kind","imported_at");--> statement-breakpoint
CREATE TABLE "data_watermarks" (
  "id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
  "orders_complete_until" timestamp with time zone,
  "note" text DEFAULT '' NOT NULL,
  "set_by" bigint,
  "set_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "data_watermarks_single_row" CHECK ("data_watermarks"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "data_watermarks" ADD CONSTRAINT "data_watermarks_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "campaign_deliveries" (
  "campaign_id" bigint NOT NULL,
  "customer_id" bigint NOT NULL,
  "sent_at" timestamp with time zone,
  "delivered_at" timestamp with time zone,
  "bounced_at" timestamp with time zone,
  "opened_at" timestamp with time zone,
  "clicked_at" timestamp with time zone,
  "redeemed_at" timestamp with time zone,
  "imported_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "campaign_deliveries_pk" PRIMARY KEY("campaign_id","customer_id"),
  CONSTRAINT "campaign_deliveries_delivered_or_bounced" CHECK (not ("campaign_deliveries"."delivered_at" is not null and "campaign_deliveries"."bounced_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "campaign_deliveries" ADD CONSTRAINT "campaign_deliveries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_deliveries" ADD CONSTRAINT "campaign_deliveries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE restrict ON UPDATE no action;
