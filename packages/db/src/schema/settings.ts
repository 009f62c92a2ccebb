import { sql } from "drizzle-orm";
import { check, integer, jsonb, numeric, pgTable, ref, text, timestamptz } from "./columns.ts";

/**
 * Business settings. Exactly one row (id = 1): the time zone that turns timestamps into
 * calendar days, the default currency and gross margin, and how RFM scores are binned.
 */
export const settings = pgTable(
  "settings",
  {
    id: integer("id").primaryKey().default(1),
    timeZone: text("time_zone").notNull().default("Asia/Tokyo"),
    currency: text("currency").notNull().default("JPY"),
    defaultMargin: numeric("default_margin", { precision: 5, scale: 4 }).notNull().default("0.3000"),
    rfmBinMode: text("rfm_bin_mode", { enum: ["quantile", "threshold"] }).notNull().default("threshold"),
    /** `{ recencyDays: number[4], frequency: number[4], monetary: number[4] }` cut points. */
    rfmThresholds: jsonb("rfm_thresholds").notNull(),
    /** Optional override of the RFM segment map; null means the scoring package's default. */
    rfmSegmentMap: jsonb("rfm_segment_map"),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
    updatedBy: ref("updated_by"),
  },
  (t) => [
    check("settings_single_row", sql`${t.id} = 1`),
    check("settings_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("settings_margin_ratio", sql`${t.defaultMargin} >= 0 and ${t.defaultMargin} <= 1`),
    check("settings_bin_mode", sql`${t.rfmBinMode} in ('quantile', 'threshold')`),
  ],
);
