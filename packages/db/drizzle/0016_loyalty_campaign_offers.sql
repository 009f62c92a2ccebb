-- Loyalty offers on campaigns: a campaign may carry a structured loyalty offer beside its free-text
-- description. BONUS_POINTS multiplies the points treatment-arm customers earn on orders inside
-- the outcome window (multiplier k > 1); BONUS_STAMPS adds stamps per qualifying purchase;
-- EXPIRING_POINTS_REMINDER is a message offer without ledger effect. Bonus ledger entries name
-- the campaign (source_campaign_id); stamp entries gain that column too.
ALTER TABLE "campaigns" ADD COLUMN "loyalty_offer_kind" text;
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "loyalty_multiplier" numeric(6, 2);
--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "loyalty_bonus_stamps" integer;
--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_loyalty_offer" CHECK (("campaigns"."loyalty_offer_kind" is null and "campaigns"."loyalty_multiplier" is null and "campaigns"."loyalty_bonus_stamps" is null)
          or ("campaigns"."loyalty_offer_kind" = 'bonus_points' and "campaigns"."loyalty_multiplier" > 1 and "campaigns"."loyalty_multiplier" <= 10 and "campaigns"."loyalty_bonus_stamps" is null)
          or ("campaigns"."loyalty_offer_kind" = 'bonus_stamps' and "campaigns"."loyalty_multiplier" is null and "campaigns"."loyalty_bonus_stamps" between 1 and 10)
          or ("campaigns"."loyalty_offer_kind" = 'expiring_points_reminder' and "campaigns"."loyalty_multiplier" is null and "campaigns"."loyalty_bonus_stamps" is null));
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_entries" ADD COLUMN "source_campaign_id" bigint;
--> statement-breakpoint
ALTER TABLE "loyalty_stamp_entries" ADD CONSTRAINT "loyalty_stamp_entries_source_campaign_id_campaigns_id_fk" FOREIGN KEY ("source_campaign_id") REFERENCES "campaigns"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "loyalty_point_entries_campaign_idx" ON "loyalty_point_entries" USING btree ("source_campaign_id") WHERE "loyalty_point_entries"."source_campaign_id" is not null;
--> statement-breakpoint
CREATE INDEX "campaigns_loyalty_offer_idx" ON "campaigns" USING btree ("loyalty_offer_kind") WHERE "campaigns"."loyalty_offer_kind" is not null;
