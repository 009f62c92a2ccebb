import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  idColumn,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  ref,
  text,
  timestamptz,
  uniqueIndex,
} from "./columns.ts";

export const ORDER_STATUSES = ["completed", "refunded", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Free-form customer attributes; the keys below are the ones the product understands. */
export interface CustomerAttributes {
  prefecture?: string;
  gender?: string;
  birthYear?: number;
  [key: string]: unknown;
}

export const customers = pgTable(
  "customers",
  {
    id: idColumn(),
    externalId: text("external_id").notNull().unique("customers_external_id_unique"),
    name: text("name").notNull().default(""),
    email: text("email"),
    attributes: jsonb("attributes").$type<CustomerAttributes>().notNull().default({}),
    acquisitionChannel: text("acquisition_channel"),
    acquisitionCost: numeric("acquisition_cost", { precision: 14, scale: 2 }),
    acquiredAt: timestamptz("acquired_at"),
    emailOptIn: boolean("email_opt_in").notNull().default(true),
    lineOptIn: boolean("line_opt_in").notNull().default(false),
    smsOptIn: boolean("sms_opt_in").notNull().default(false),
    dmOptIn: boolean("dm_opt_in").notNull().default(true),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("customers_external_id_not_blank", sql`length(trim(${t.externalId})) > 0`),
    check("customers_acquisition_cost_nonnegative", sql`${t.acquisitionCost} is null or ${t.acquisitionCost} >= 0`),
    index("customers_acquired_at_idx").on(t.acquiredAt),
    index("customers_name_idx").on(t.name, t.id),
    // Migration 0006 adds trigram GIN indexes on name, email and external_id for search when
    // pg_trgm is available (customers_name_trgm_idx, customers_email_trgm_idx,
    // customers_external_id_trgm_idx); they are created there, not from this schema.
  ],
);

export const orders = pgTable(
  "orders",
  {
    /** Unique by its identity sequence; the key is (customer_id, id) so orders can be distributed by customer (Citus). */
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    externalId: text("external_id").notNull().unique("orders_external_id_unique"),
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "restrict" }),
    orderedAt: timestamptz("ordered_at").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    currency: text("currency").notNull().default("JPY"),
    /** Gross margin ratio (0–1) of this order; null means the settings' default margin. */
    grossMargin: numeric("gross_margin", { precision: 5, scale: 4 }),
    status: text("status", { enum: ORDER_STATUSES }).notNull().default("completed"),
    channel: text("channel"),
    items: integer("items").notNull().default(1),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("orders_amount_nonnegative", sql`${t.amount} >= 0`),
    check("orders_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("orders_gross_margin_ratio", sql`${t.grossMargin} is null or (${t.grossMargin} >= 0 and ${t.grossMargin} <= 1)`),
    check("orders_status_known", sql`${t.status} in ('completed', 'refunded', 'cancelled')`),
    check("orders_items_nonnegative", sql`${t.items} >= 0`),
    check("orders_external_id_not_blank", sql`length(trim(${t.externalId})) > 0`),
    primaryKey({ columns: [t.customerId, t.id], name: "orders_pkey" }),
    index("orders_customer_ordered_at_idx").on(t.customerId, t.orderedAt),
    index("orders_ordered_at_idx").on(t.orderedAt),
  ],
);

/**
 * Per-customer rollup of completed orders. Maintained on import for the customers an import
 * touched, and rebuildable from `orders` at any time (see rollups.ts).
 */
export const customerRollups = pgTable(
  "customer_rollups",
  {
    customerId: ref("customer_id")
      .primaryKey()
      .references(() => customers.id, { onDelete: "cascade" }),
    firstOrderAt: timestamptz("first_order_at").notNull(),
    lastOrderAt: timestamptz("last_order_at").notNull(),
    orderCount: integer("order_count").notNull(),
    /** Distinct purchase days in the business time zone. */
    purchaseDays: integer("purchase_days").notNull(),
    revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull(),
    // The purchase history day by day, so a snapshot as of any time reads one row per customer
    // instead of every order: the distinct purchase days in the business time zone, ascending,
    // and per day the running order count, the running revenue and that day's last order time.
    purchaseDates: date("purchase_dates").array().notNull(),
    cumulativeOrders: integer("cumulative_orders").array().notNull(),
    cumulativeRevenue: numeric("cumulative_revenue", { precision: 16, scale: 2 }).array().notNull(),
    dayLastOrderAt: timestamptz("day_last_order_at").array().notNull(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("customer_rollups_counts", sql`${t.orderCount} >= ${t.purchaseDays} and ${t.purchaseDays} >= 1`),
    check("customer_rollups_order", sql`${t.firstOrderAt} <= ${t.lastOrderAt}`),
    check(
      "customer_rollups_history",
      sql`cardinality(${t.purchaseDates}) = ${t.purchaseDays} and cardinality(${t.cumulativeOrders}) = ${t.purchaseDays}
          and cardinality(${t.cumulativeRevenue}) = ${t.purchaseDays} and cardinality(${t.dayLastOrderAt}) = ${t.purchaseDays}`,
    ),
    index("customer_rollups_first_order_at_idx").on(t.firstOrderAt),
  ],
);

/**
 * Completed orders per customer and business day (migration 0017): what dashboards read instead
 * of orders. Refreshed with `customer_rollups` in the transaction of every order write and rebuilt
 * in the transaction of a time-zone change (rollups.service.ts). Gross profit per day is
 * `own_margin_profit + default_margin_revenue × the settings' default margin`, so a change of the
 * default margin needs no rebuild.
 */
export const customerDayActivity = pgTable(
  "customer_day_activity",
  {
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** The day in the business time zone. */
    day: date("day").notNull(),
    orders: integer("orders").notNull(),
    revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull(),
    /** Σ amount × gross margin of the day's orders that carry their own margin. */
    ownMarginProfit: numeric("own_margin_profit", { precision: 20, scale: 6 }).notNull(),
    /** Σ amount of the day's orders without their own margin (the settings' default applies). */
    defaultMarginRevenue: numeric("default_margin_revenue", { precision: 16, scale: 2 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.day], name: "customer_day_activity_pkey" }),
    check("customer_day_activity_orders_positive", sql`${t.orders} >= 1`),
    index("customer_day_activity_day_idx").on(t.day, t.customerId),
  ],
);

/**
 * Row counts of `customers` and `orders` kept without counting (migration 0006): statement
 * triggers append each statement's net change, readers sum the rows per table, and rollup
 * refreshes compact them to one row per table.
 */
export const rowCountDeltas = pgTable(
  "row_count_deltas",
  {
    tableName: text("table_name").notNull(),
    delta: bigint("delta", { mode: "number" }).notNull(),
  },
  (t) => [index("row_count_deltas_table_idx").on(t.tableName)],
);

/**
 * Acquisition spend per channel and business-time-zone month, for shops that know what a
 * channel cost per month but not per customer. The acquisition economics allocate a month's
 * spend equally to that month's customers of the channel who have no per-customer cost.
 */
export const channelSpend = pgTable(
  "channel_spend",
  {
    id: idColumn(),
    channel: text("channel").notNull(),
    /** The first day of the month, in the business time zone. */
    month: date("month").notNull(),
    amount: numeric("amount", { precision: 16, scale: 2 }).notNull(),
    currency: text("currency").notNull().default("JPY"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("channel_spend_channel_month_unique").on(t.channel, t.month),
    check("channel_spend_channel_not_blank", sql`length(trim(${t.channel})) > 0`),
    check("channel_spend_month_first_day", sql`extract(day from ${t.month}) = 1`),
    check("channel_spend_amount_nonnegative", sql`${t.amount} >= 0`),
    check("channel_spend_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);
