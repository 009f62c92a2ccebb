CREATE TABLE "api_keys" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_keys_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" bigint NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor_user_id" bigint,
	"actor_api_key_id" bigint,
	"actor_kind" text NOT NULL,
	"operation" text NOT NULL,
	"target_type" text,
	"target_id" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email") and position('@' in "users"."email") > 1),
	CONSTRAINT "users_role_known" CHECK ("users"."role" in ('admin', 'operator', 'analyst', 'reviewer'))
);
--> statement-breakpoint
CREATE TABLE "campaign_assignments" (
	"campaign_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	"group" text NOT NULL,
	"stratum" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_assignments_pk" PRIMARY KEY("campaign_id","customer_id"),
	CONSTRAINT "campaign_assignments_group_known" CHECK ("campaign_assignments"."group" in ('treatment', 'control'))
);
--> statement-breakpoint
CREATE TABLE "campaign_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_user_id" bigint,
	"actor_label" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_results" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_results_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"campaign_id" bigint NOT NULL,
	"method_version" text NOT NULL,
	"is_provisional" boolean DEFAULT false NOT NULL,
	"results" jsonb NOT NULL,
	"computed_by" bigint,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaigns_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"segment_id" bigint NOT NULL,
	"snapshot_id" bigint,
	"objective" text NOT NULL,
	"hypothesis" text DEFAULT '' NOT NULL,
	"channel" text NOT NULL,
	"offer" text DEFAULT '' NOT NULL,
	"primary_kpi" text DEFAULT 'conversion' NOT NULL,
	"guardrail_kpis" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expected_lift" numeric(8, 4),
	"holdout_ratio" numeric(5, 4) DEFAULT '0.1000' NOT NULL,
	"cost_per_contact" numeric(14, 2) DEFAULT '0' NOT NULL,
	"fixed_cost" numeric(14, 2) DEFAULT '0' NOT NULL,
	"margin" numeric(5, 4),
	"outcome_window_days" integer DEFAULT 30 NOT NULL,
	"pre_period_days" integer DEFAULT 30 NOT NULL,
	"planned_start" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"plan" jsonb,
	"launched_at" timestamp with time zone,
	"launch_idempotency_key" text,
	"decision" text,
	"decision_rationale" text,
	"reviewed_by" bigint,
	"reviewed_at" timestamp with time zone,
	"parent_campaign_id" bigint,
	"assignment_seed" text NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_name_not_blank" CHECK (length(trim("campaigns"."name")) > 0),
	CONSTRAINT "campaigns_status_known" CHECK ("campaigns"."status" in ('draft', 'planned', 'running', 'measuring', 'checked', 'acted', 'cancelled')),
	CONSTRAINT "campaigns_objective_known" CHECK ("campaigns"."objective" in ('retain', 'win_back', 'upsell', 'cross_sell', 'activate', 'other')),
	CONSTRAINT "campaigns_channel_known" CHECK ("campaigns"."channel" in ('email', 'line', 'sms', 'dm', 'coupon', 'points', 'other')),
	CONSTRAINT "campaigns_kpi_known" CHECK ("campaigns"."primary_kpi" in ('conversion', 'revenue_per_customer', 'orders_per_customer')),
	CONSTRAINT "campaigns_decision_known" CHECK ("campaigns"."decision" is null or "campaigns"."decision" in ('adopt', 'iterate', 'stop', 'invalid')),
	CONSTRAINT "campaigns_holdout_ratio" CHECK ("campaigns"."holdout_ratio" > 0 and "campaigns"."holdout_ratio" < 1),
	CONSTRAINT "campaigns_margin_ratio" CHECK ("campaigns"."margin" is null or ("campaigns"."margin" >= 0 and "campaigns"."margin" <= 1)),
	CONSTRAINT "campaigns_costs_nonnegative" CHECK ("campaigns"."cost_per_contact" >= 0 and "campaigns"."fixed_cost" >= 0),
	CONSTRAINT "campaigns_windows_positive" CHECK ("campaigns"."outcome_window_days" between 1 and 730 and "campaigns"."pre_period_days" between 1 and 730),
	CONSTRAINT "campaigns_launched_has_time" CHECK ("campaigns"."status" in ('draft', 'planned', 'cancelled') or "campaigns"."launched_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "customer_rollups" (
	"customer_id" bigint PRIMARY KEY NOT NULL,
	"first_order_at" timestamp with time zone NOT NULL,
	"last_order_at" timestamp with time zone NOT NULL,
	"order_count" integer NOT NULL,
	"purchase_days" integer NOT NULL,
	"revenue" numeric(16, 2) NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_rollups_counts" CHECK ("customer_rollups"."order_count" >= "customer_rollups"."purchase_days" and "customer_rollups"."purchase_days" >= 1),
	CONSTRAINT "customer_rollups_order" CHECK ("customer_rollups"."first_order_at" <= "customer_rollups"."last_order_at")
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"acquisition_channel" text,
	"acquisition_cost" numeric(14, 2),
	"acquired_at" timestamp with time zone,
	"email_opt_in" boolean DEFAULT true NOT NULL,
	"line_opt_in" boolean DEFAULT false NOT NULL,
	"sms_opt_in" boolean DEFAULT false NOT NULL,
	"dm_opt_in" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "customers_external_id_not_blank" CHECK (length(trim("customers"."external_id")) > 0),
	CONSTRAINT "customers_acquisition_cost_nonnegative" CHECK ("customers"."acquisition_cost" is null or "customers"."acquisition_cost" >= 0)
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"external_id" text NOT NULL,
	"customer_id" bigint NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"currency" text DEFAULT 'JPY' NOT NULL,
	"gross_margin" numeric(5, 4),
	"status" text DEFAULT 'completed' NOT NULL,
	"channel" text,
	"items" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "orders_amount_nonnegative" CHECK ("orders"."amount" >= 0),
	CONSTRAINT "orders_currency_iso" CHECK ("orders"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "orders_gross_margin_ratio" CHECK ("orders"."gross_margin" is null or ("orders"."gross_margin" >= 0 and "orders"."gross_margin" <= 1)),
	CONSTRAINT "orders_status_known" CHECK ("orders"."status" in ('completed', 'refunded', 'cancelled')),
	CONSTRAINT "orders_items_nonnegative" CHECK ("orders"."items" >= 0),
	CONSTRAINT "orders_external_id_not_blank" CHECK (length(trim("orders"."external_id")) > 0)
);
--> statement-breakpoint
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
	CONSTRAINT "customer_scores_pk" PRIMARY KEY("snapshot_id","customer_id"),
	CONSTRAINT "customer_scores_r" CHECK ("customer_scores"."r_score" between 1 and 5),
	CONSTRAINT "customer_scores_f" CHECK ("customer_scores"."f_score" between 1 and 5),
	CONSTRAINT "customer_scores_m" CHECK ("customer_scores"."m_score" between 1 and 5),
	CONSTRAINT "customer_scores_decile" CHECK ("customer_scores"."decile" between 1 and 10),
	CONSTRAINT "customer_scores_p_alive" CHECK ("customer_scores"."p_alive" is null or ("customer_scores"."p_alive" >= 0 and "customer_scores"."p_alive" <= 1)),
	CONSTRAINT "customer_scores_btyd" CHECK ("customer_scores"."btyd_x" >= 0 and "customer_scores"."btyd_t_x" >= 0 and "customer_scores"."btyd_t" >= "customer_scores"."btyd_t_x")
);
--> statement-breakpoint
CREATE TABLE "snapshots" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "snapshots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"as_of" timestamp with time zone NOT NULL,
	"parameters" jsonb NOT NULL,
	"model_fits" jsonb,
	"status" text DEFAULT 'pending' NOT NULL,
	"progress" double precision DEFAULT 0 NOT NULL,
	"stage" text,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"customer_count" integer,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "snapshots_status_known" CHECK ("snapshots"."status" in ('pending', 'running', 'succeeded', 'failed')),
	CONSTRAINT "snapshots_progress_ratio" CHECK ("snapshots"."progress" >= 0 and "snapshots"."progress" <= 1)
);
--> statement-breakpoint
CREATE TABLE "segment_members" (
	"segment_id" bigint NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"customer_id" bigint NOT NULL,
	CONSTRAINT "segment_members_pk" PRIMARY KEY("segment_id","snapshot_id","customer_id")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "segments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"kind" text NOT NULL,
	"definition" jsonb NOT NULL,
	"color" text DEFAULT '#5470c6' NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_key_unique" UNIQUE("key"),
	CONSTRAINT "segments_kind_known" CHECK ("segments"."kind" in ('rfm', 'rule', 'manual')),
	CONSTRAINT "segments_name_not_blank" CHECK (length(trim("segments"."name")) > 0),
	CONSTRAINT "segments_color_hex" CHECK ("segments"."color" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"time_zone" text DEFAULT 'Asia/Tokyo' NOT NULL,
	"currency" text DEFAULT 'JPY' NOT NULL,
	"default_margin" numeric(5, 4) DEFAULT '0.3000' NOT NULL,
	"rfm_bin_mode" text DEFAULT 'threshold' NOT NULL,
	"rfm_thresholds" jsonb NOT NULL,
	"rfm_segment_map" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" bigint,
	CONSTRAINT "settings_single_row" CHECK ("settings"."id" = 1),
	CONSTRAINT "settings_currency_iso" CHECK ("settings"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "settings_margin_ratio" CHECK ("settings"."default_margin" >= 0 and "settings"."default_margin" <= 1),
	CONSTRAINT "settings_bin_mode" CHECK ("settings"."rfm_bin_mode" in ('quantile', 'threshold'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_api_key_id_api_keys_id_fk" FOREIGN KEY ("actor_api_key_id") REFERENCES "api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_assignments" ADD CONSTRAINT "campaign_assignments_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_assignments" ADD CONSTRAINT "campaign_assignments_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_events" ADD CONSTRAINT "campaign_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_events" ADD CONSTRAINT "campaign_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_results" ADD CONSTRAINT "campaign_results_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_results" ADD CONSTRAINT "campaign_results_computed_by_users_id_fk" FOREIGN KEY ("computed_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_parent_campaign_id_campaigns_id_fk" FOREIGN KEY ("parent_campaign_id") REFERENCES "campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_rollups" ADD CONSTRAINT "customer_rollups_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_scores" ADD CONSTRAINT "customer_scores_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "snapshots" ADD CONSTRAINT "snapshots_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_segment_id_segments_id_fk" FOREIGN KEY ("segment_id") REFERENCES "segments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_snapshot_id_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "snapshots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment_members" ADD CONSTRAINT "segment_members_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_user_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "campaign_assignments_customer_idx" ON "campaign_assignments" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "campaign_events_campaign_idx" ON "campaign_events" USING btree ("campaign_id","at");--> statement-breakpoint
CREATE INDEX "campaign_results_campaign_idx" ON "campaign_results" USING btree ("campaign_id","computed_at");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE INDEX "campaigns_segment_idx" ON "campaigns" USING btree ("segment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_launch_key_unique" ON "campaigns" USING btree ("launch_idempotency_key");--> statement-breakpoint
CREATE INDEX "customers_acquired_at_idx" ON "customers" USING btree ("acquired_at");--> statement-breakpoint
CREATE INDEX "orders_customer_ordered_at_idx" ON "orders" USING btree ("customer_id","ordered_at");--> statement-breakpoint
CREATE INDEX "orders_ordered_at_idx" ON "orders" USING btree ("ordered_at");--> statement-breakpoint
CREATE INDEX "customer_scores_customer_idx" ON "customer_scores" USING btree ("customer_id","snapshot_id");--> statement-breakpoint
CREATE INDEX "customer_scores_segment_idx" ON "customer_scores" USING btree ("snapshot_id","rfm_segment");--> statement-breakpoint
CREATE INDEX "snapshots_status_as_of_idx" ON "snapshots" USING btree ("status","as_of");--> statement-breakpoint
CREATE INDEX "segment_members_snapshot_customer_idx" ON "segment_members" USING btree ("snapshot_id","customer_id");