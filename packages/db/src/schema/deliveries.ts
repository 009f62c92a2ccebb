import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, ref, text, timestamptz } from "./columns.ts";
import { campaigns } from "./campaigns.ts";
import { customers } from "./customers.ts";
import { importRuns } from "./data-quality.ts";

export const DELIVERY_EVENTS = ["sent", "delivered", "bounced", "opened", "clicked", "redeemed"] as const;
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

/**
 * Delivery results of a launched campaign as the operator's sending tool reports them, one row
 * per customer, event and time. The key holds customer_id (the future distribution column); a
 * replayed file meets the same keys and changes nothing.
 */
export const campaignDeliveries = pgTable(
  "campaign_deliveries",
  {
    campaignId: ref("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    event: text("event", { enum: DELIVERY_EVENTS }).notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    /** The tool's channel name when the file gives one (e.g. line, email). */
    channel: text("channel"),
    /** The import that first wrote the row. */
    importRunId: ref("import_run_id").references(() => importRuns.id, { onDelete: "set null" }),
    importedAt: timestamptz("imported_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.customerId, t.event, t.occurredAt], name: "campaign_deliveries_pk" }),
    check("campaign_deliveries_event_known", sql`${t.event} in ('sent', 'delivered', 'bounced', 'opened', 'clicked', 'redeemed')`),
    check("campaign_deliveries_channel_not_blank", sql`${t.channel} is null or length(trim(${t.channel})) > 0`),
    index("campaign_deliveries_customer_idx").on(t.customerId),
  ],
);
