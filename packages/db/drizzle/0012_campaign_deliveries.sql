-- Exposure and delivery (issue 13): per-customer delivery results of a launched campaign as the
-- operator's sending tool (LINE, e-mail, DM) reports them — sent, delivered, bounced, opened,
-- clicked, redeemed — imported from CSV. One row per (campaign, customer, event, time); the key
-- holds customer_id (the future distribution column), and a replayed file hits the same keys
-- and changes nothing. Each delivery import is recorded in import_runs with its campaign.
CREATE TABLE "campaign_deliveries" (
  "campaign_id" bigint NOT NULL,
  "customer_id" bigint NOT NULL,
  "event" text NOT NULL,
  "occurred_at" timestamp with time zone NOT NULL,
  "channel" text,
  "import_run_id" bigint,
  "imported_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "campaign_deliveries_pk" PRIMARY KEY ("campaign_id", "customer_id", "event", "occurred_at"),
  CONSTRAINT "campaign_deliveries_event_known" CHECK ("campaign_deliveries"."event" in ('sent', 'delivered', 'bounced', 'opened', 'clicked', 'redeemed')),
  CONSTRAINT "campaign_deliveries_channel_not_blank" CHECK ("campaign_deliveries"."channel" is null or length(trim("campaign_deliveries"."channel")) > 0)
);
--> statement-breakpoint
ALTER TABLE "campaign_deliveries" ADD CONSTRAINT "campaign_deliveries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_deliveries" ADD CONSTRAINT "campaign_deliveries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_deliveries_customer_idx" ON "campaign_deliveries" USING btree ("customer_id");--> statement-breakpoint
ALTER TABLE "import_runs" ADD COLUMN "campaign_id" bigint;--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_runs" DROP CONSTRAINT "import_runs_kind_known";--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_kind_known" CHECK ("import_runs"."kind" in ('orders', 'customers', 'deliveries'));--> statement-breakpoint
ALTER TABLE "import_runs" ADD CONSTRAINT "import_runs_deliveries_campaign" CHECK (("import_runs"."kind" = 'deliveries') = ("import_runs"."campaign_id" is not null));--> statement-breakpoint
ALTER TABLE "campaign_deliveries" ADD CONSTRAINT "campaign_deliveries_import_run_id_import_runs_id_fk" FOREIGN KEY ("import_run_id") REFERENCES "import_runs"("id") ON DELETE set null ON UPDATE no action;
