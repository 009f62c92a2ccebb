-- Loyalty programmes: a points programme and a stamp card, with admin-set rules that take effect
-- from a date (a change never rewrites history), an append-only points ledger and a stamp ledger.
-- A customer's balance is the sum of their ledger entries and is stored nowhere else. Stamp
-- cards are derived from the stamp ledger (rebuildable) for reading.
CREATE TABLE "loyalty_programmes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_programmes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_programmes_kind_known" CHECK ("loyalty_programmes"."kind" in ('points', 'stamps')),
	CONSTRAINT "loyalty_programmes_name_not_blank" CHECK (length(trim("loyalty_programmes"."name")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_programmes_one_active_per_kind" ON "loyalty_programmes" USING btree ("kind") WHERE "loyalty_programmes"."is_active";
--> statement-breakpoint
CREATE TABLE "loyalty_point_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_point_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"programme_id" bigint NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"earn_rate" numeric(12, 6) NOT NULL,
	"channel_multipliers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tier_multipliers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rounding" text DEFAULT 'floor' NOT NULL,
	"min_order_amount" numeric(14, 2) DEFAULT '0' NOT NULL,
	"expiry_mode" text DEFAULT 'rolling' NOT NULL,
	"expiry_days" integer,
	"expiry_date" timestamp with time zone,
	"point_value" numeric(12, 4) NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_point_rules_earn_rate_nonnegative" CHECK ("loyalty_point_rules"."earn_rate" >= 0),
	CONSTRAINT "loyalty_point_rules_rounding_known" CHECK ("loyalty_point_rules"."rounding" in ('floor', 'round', 'ceil')),
	CONSTRAINT "loyalty_point_rules_min_order_nonnegative" CHECK ("loyalty_point_rules"."min_order_amount" >= 0),
	CONSTRAINT "loyalty_point_rules_point_value_nonnegative" CHECK ("loyalty_point_rules"."point_value" >= 0),
	CONSTRAINT "loyalty_point_rules_expiry" CHECK (("loyalty_point_rules"."expiry_mode" = 'none' and "loyalty_point_rules"."expiry_days" is null and "loyalty_point_rules"."expiry_date" is null)
          or ("loyalty_point_rules"."expiry_mode" = 'rolling' and "loyalty_point_rules"."expiry_days" >= 1 and "loyalty_point_rules"."expiry_date" is null)
          or ("loyalty_point_rules"."expiry_mode" = 'fixed' and "loyalty_point_rules"."expiry_days" is null and "loyalty_point_rules"."expiry_date" > "loyalty_point_rules"."effective_from"))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_point_rules_programme_from_unique" ON "loyalty_point_rules" USING btree ("programme_id","effective_from");
--> statement-breakpoint
CREATE TABLE "loyalty_point_entries" (
	"id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_point_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" bigint NOT NULL,
	"programme_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"points" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"rule_id" bigint,
	"source_order_id" bigint,
	"source_campaign_id" bigint,
	"idempotency_key" text NOT NULL,
	"note" text,
	"actor_user_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_point_entries_kind_known" CHECK ("loyalty_point_entries"."kind" in ('earn', 'redeem', 'expire', 'adjust', 'reverse')),
	CONSTRAINT "loyalty_point_entries_sign" CHECK (("loyalty_point_entries"."kind" = 'earn' and "loyalty_point_entries"."points" > 0)
          or ("loyalty_point_entries"."kind" in ('redeem', 'expire', 'reverse') and "loyalty_point_entries"."points" < 0)
          or ("loyalty_point_entries"."kind" = 'adjust' and "loyalty_point_entries"."points" <> 0)),
	CONSTRAINT "loyalty_point_entries_expiry_on_credits" CHECK ("loyalty_point_entries"."expires_at" is null or ("loyalty_point_entries"."points" > 0 and "loyalty_point_entries"."expires_at" > "loyalty_point_entries"."occurred_at")),
	CONSTRAINT "loyalty_point_entries_key_not_blank" CHECK (length(trim("loyalty_point_entries"."idempotency_key")) > 0),
	CONSTRAINT "loyalty_point_entries_pkey" PRIMARY KEY("customer_id","id")
);
--> statement-breakpoint
ALTER TABLE "loyalty_point_rules" ADD CONSTRAINT "loyalty_point_rules_programme_id_loyalty_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "loyalty_programmes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_rules" ADD CONSTRAINT "loyalty_point_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_entries" ADD CONSTRAINT "loyalty_point_entries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_entries" ADD CONSTRAINT "loyalty_point_entries_programme_id_loyalty_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "loyalty_programmes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_entries" ADD CONSTRAINT "loyalty_point_entries_rule_id_loyalty_point_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "loyalty_point_rules"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_entries" ADD CONSTRAINT "loyalty_point_entries_source_campaign_id_campaigns_id_fk" FOREIGN KEY ("source_campaign_id") REFERENCES "campaigns"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_point_entries" ADD CONSTRAINT "loyalty_point_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_point_entries_customer_key_unique" ON "loyalty_point_entries" USING btree ("customer_id","idempotency_key");
--> statement-breakpoint
CREATE INDEX "loyalty_point_entries_customer_time_idx" ON "loyalty_point_entries" USING btree ("customer_id","occurred_at");
--> statement-breakpoint
CREATE INDEX "loyalty_point_entries_order_idx" ON "loyalty_point_entries" USING btree ("source_order_id");
--> statement-breakpoint
CREATE INDEX "loyalty_point_entries_expiry_idx" ON "loyalty_point_entries" USING btree ("expires_at") WHERE "loyalty_point_entries"."expires_at" is not null;
--> statement-breakpoint
CREATE TABLE "loyalty_stamp_rules" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_stamp_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"programme_id" bigint NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"threshold_amount" numeric(14, 2) DEFAULT '0' NOT NULL,
	"per" text DEFAULT 'order' NOT NULL,
	"card_size" integer NOT NULL,
	"reward_label" text NOT NULL,
	"reward_value" numeric(14, 2) DEFAULT '0' NOT NULL,
	"card_expiry_days" integer,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_stamp_rules_threshold_nonnegative" CHECK ("loyalty_stamp_rules"."threshold_amount" >= 0),
	CONSTRAINT "loyalty_stamp_rules_per_known" CHECK ("loyalty_stamp_rules"."per" in ('order', 'day')),
	CONSTRAINT "loyalty_stamp_rules_card_size" CHECK ("loyalty_stamp_rules"."card_size" between 1 and 100),
	CONSTRAINT "loyalty_stamp_rules_reward_not_blank" CHECK (length(trim("loyalty_stamp_rules"."reward_label")) > 0),
	CONSTRAINT "loyalty_stamp_rules_reward_value_nonnegative" CHECK ("loyalty_stamp_rules"."reward_value" >= 0),
	CONSTRAINT "loyalty_stamp_rules_card_expiry" CHECK ("loyalty_stamp_rules"."card_expiry_days" is null or "loyalty_stamp_rules"."card_expiry_days" >= 1)
);
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_rules" ADD CONSTRAINT "loyalty_stamp_rules_programme_id_loyalty_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "loyalty_programmes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_rules" ADD CONSTRAINT "loyalty_stamp_rules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_stamp_rules_programme_from_unique" ON "loyalty_stamp_rules" USING btree ("programme_id","effective_from");
--> statement-breakpoint
CREATE TABLE "loyalty_stamp_entries" (
	"id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "loyalty_stamp_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" bigint NOT NULL,
	"programme_id" bigint NOT NULL,
	"rule_id" bigint NOT NULL,
	"stamps" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"source_order_id" bigint,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_stamp_entries_stamps" CHECK ("loyalty_stamp_entries"."stamps" in (1, -1)),
	CONSTRAINT "loyalty_stamp_entries_key_not_blank" CHECK (length(trim("loyalty_stamp_entries"."idempotency_key")) > 0),
	CONSTRAINT "loyalty_stamp_entries_pkey" PRIMARY KEY("customer_id","id")
);
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_entries" ADD CONSTRAINT "loyalty_stamp_entries_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_entries" ADD CONSTRAINT "loyalty_stamp_entries_programme_id_loyalty_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "loyalty_programmes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_entries" ADD CONSTRAINT "loyalty_stamp_entries_rule_id_loyalty_stamp_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "loyalty_stamp_rules"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_stamp_entries_customer_key_unique" ON "loyalty_stamp_entries" USING btree ("customer_id","idempotency_key");
--> statement-breakpoint
CREATE INDEX "loyalty_stamp_entries_customer_time_idx" ON "loyalty_stamp_entries" USING btree ("customer_id","occurred_at");
--> statement-breakpoint
CREATE INDEX "loyalty_stamp_entries_order_idx" ON "loyalty_stamp_entries" USING btree ("source_order_id");
--> statement-breakpoint
CREATE TABLE "loyalty_stamp_cards" (
	"customer_id" bigint NOT NULL,
	"card_no" integer NOT NULL,
	"rule_id" bigint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"stamps" integer NOT NULL,
	"card_size" integer NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	CONSTRAINT "loyalty_stamp_cards_customer_id_card_no_pk" PRIMARY KEY("customer_id","card_no"),
	CONSTRAINT "loyalty_stamp_cards_stamps" CHECK ("loyalty_stamp_cards"."stamps" between 0 and "loyalty_stamp_cards"."card_size"),
	CONSTRAINT "loyalty_stamp_cards_completed" CHECK (("loyalty_stamp_cards"."completed_at" is not null) = ("loyalty_stamp_cards"."stamps" = "loyalty_stamp_cards"."card_size"))
);
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_cards" ADD CONSTRAINT "loyalty_stamp_cards_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_cards" ADD CONSTRAINT "loyalty_stamp_cards_rule_id_loyalty_stamp_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "loyalty_stamp_rules"("id") ON DELETE restrict ON UPDATE no action;
