import { sql } from "drizzle-orm";
import { boolean, check, idColumn, index, integer, pgTable, primaryKey, ref, text, timestamptz } from "./columns.ts";
import { users } from "./auth.ts";
import { campaigns } from "./campaigns.ts";
import { customers } from "./customers.ts";

export const IMPORT_KINDS = ["orders", "customers", "deliveries"] as const;

/** One row per completed import: what it covered, so the product knows how complete the data is. */
export const importRuns = pgTable(
  "import_runs",
  {
    id: idColumn(),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    /** Earliest and latest event time in the file (ordered_at for orders); null for customers. */
    coveredFrom: timestamptz("covered_from"),
    coveredTo: timestamptz("covered_to"),
    rows: integer("rows").notNull(),
    /** Rows dated after the import time were accepted on request. */
    allowFuture: boolean("allow_future").notNull().default(false),
    /** Campaign of a delivery import. */
    campaignId: ref("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    importedAt: timestamptz("imported_at").notNull().defaultNow(),
    importedBy: ref("imported_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    check("import_runs_kind_known", sql`${t.kind} in ('orders', 'customers', 'deliveries')`),
    check("import_runs_range", sql`${t.coveredFrom} is null or ${t.coveredTo} is null or ${t.coveredFrom} <= ${t.coveredTo}`),
    check("import_runs_rows_nonnegative", sql`${t.rows} >= 0`),
    index("import_runs_kind_idx").on(t.kind, t.importedAt),
  ],
);

/**
 * The admin's "orders complete up to" watermark for incremental feeds (one row, id = 1). When
 * unset, the watermark is the latest order time any orders import covered.
 */
export const dataWatermarks = pgTable(
  "data_watermarks",
  {
    id: integer("id").primaryKey().default(1),
    ordersCompleteUntil: timestamptz("orders_complete_until"),
    note: text("note").notNull().default(""),
    setBy: ref("set_by").references(() => users.id, { onDelete: "set null" }),
    setAt: timestamptz("set_at").notNull().defaultNow(),
  },
  (t) => [check("data_watermarks_single_row", sql`${t.id} = 1`)],
);

/** Per-campaign delivery results from the operator's sending tool (LINE, e-mail, DM). */
export const campaignDeliveries = pgTable(
  "campaign_deliveries",
  {
    campaignId: ref("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    sentAt: timestamptz("sent_at"),
    deliveredAt: timestamptz("delivered_at"),
    bouncedAt: timestamptz("bounced_at"),
    openedAt: timestamptz("opened_at"),
    clickedAt: timestamptz("clicked_at"),
    redeemedAt: timestamptz("redeemed_at"),
    importedAt: timestamptz("imported_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.customerId], name: "campaign_deliveries_pk" }),
    check("campaign_deliveries_delivered_or_bounced", sql`not (${t.deliveredAt} is not null and ${t.bouncedAt} is not null)`),
  ],
);
