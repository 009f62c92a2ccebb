-- Acquisition spend per channel and business-time-zone month (the first day of the month), for
-- shops that know a channel's monthly spend but not each customer's acquisition cost. The
-- acquisition economics allocate a month's spend equally to that month's customers of the
-- channel who have no per-customer cost. Re-importing a month replaces its amount.
CREATE TABLE "channel_spend" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "channel_spend_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"channel" text NOT NULL,
	"month" date NOT NULL,
	"amount" numeric(16, 2) NOT NULL,
	"currency" text DEFAULT 'JPY' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_spend_channel_not_blank" CHECK (length(trim("channel_spend"."channel")) > 0),
	CONSTRAINT "channel_spend_month_first_day" CHECK (extract(day from "channel_spend"."month") = 1),
	CONSTRAINT "channel_spend_amount_nonnegative" CHECK ("channel_spend"."amount" >= 0),
	CONSTRAINT "channel_spend_currency_iso" CHECK ("channel_spend"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "channel_spend_channel_month_unique" ON "channel_spend" USING btree ("channel","month");
