import { sql } from "drizzle-orm";
import { boolean, check, idColumn, index, integer, pgTable, ref, text, timestamptz } from "./columns.ts";
import { users } from "./auth.ts";
import { campaigns } from "./campaigns.ts";

export const IMPORT_KINDS = ["orders", "customers", "deliveries"] as const;

/** One row per completed import: what it covered, so the product knows how complete the data is. */
export const importRuns = pgTable(
  "import_runs",
  {
    id: idColumn(),
    kind: text("kind", { enum: IMPORT_KINDS }).notNull(),
    /** Earliest and latest event time in the file (ordered_at for orders, occurred_at for deliveries); null for customers. */
    coveredFrom: timestamptz("covered_from"),
    coveredTo: timestamptz("covered_to"),
    rows: integer("rows").notNull(),
    /** Rows dated after the import time were accepted on request. */
    allowFuture: boolean("allow_future").notNull().default(false),
    importedAt: timestamptz("imported_at").notNull().defaultNow(),
    importedBy: ref("imported_by").references(() => users.id, { onDelete: "set null" }),
    /** The campaign of a deliveries import (required for it, null for the others). */
    campaignId: ref("campaign_id").references(() => campaigns.id, { onDelete: "cascade" }),
    /** The file's name as the importer gave it. */
    label: text("label").notNull().default(""),
    /** Rows inserted and updated (orders for an orders import, customers for a customers import). */
    inserted: integer("inserted").notNull().default(0),
    updated: integer("updated").notNull().default(0),
  },
  (t) => [
    check("import_runs_kind_known", sql`${t.kind} in ('orders', 'customers', 'deliveries')`),
    check("import_runs_deliveries_campaign", sql`(${t.kind} = 'deliveries') = (${t.campaignId} is not null)`),
    check("import_runs_range", sql`${t.coveredFrom} is null or ${t.coveredTo} is null or ${t.coveredFrom} <= ${t.coveredTo}`),
    check("import_runs_rows_nonnegative", sql`${t.rows} >= 0`),
    index("import_runs_kind_idx").on(t.kind, t.importedAt),
  ],
);

/**
 * The admin's "orders complete up to" watermark for incremental feeds (one row, id = 1). When
 * unset, the watermark is the latest order time any orders import covered (capped at that
 * import's time).
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
