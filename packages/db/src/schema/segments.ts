import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
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
} from "./columns.ts";
import { users } from "./auth.ts";
import { snapshots } from "./scoring.ts";

export const SEGMENT_KINDS = ["rfm", "rule", "manual"] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

export const segments = pgTable(
  "segments",
  {
    id: idColumn(),
    /** Stable key of the built-in RFM segments (`champions`, `at_risk`, …); null for others. */
    key: text("key").unique("segments_key_unique"),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    kind: text("kind", { enum: SEGMENT_KINDS }).notNull(),
    /** Validated rule tree (kind rule), RFM cells (kind rfm) or customer ids (kind manual). */
    definition: jsonb("definition").notNull(),
    color: text("color").notNull().default("#5470c6"),
    archived: boolean("archived").notNull().default(false),
    createdBy: ref("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("segments_kind_known", sql`${t.kind} in ('rfm', 'rule', 'manual')`),
    check("segments_name_not_blank", sql`length(trim(${t.name})) > 0`),
    check("segments_color_hex", sql`${t.color} ~ '^#[0-9a-fA-F]{6}$'`),
  ],
);

/**
 * Membership materialised per snapshot, so it has a history and migration is a query. No foreign
 * keys: triggers on segments and snapshots delete a deleted one's memberships and refuse
 * re-numbering, and writers lock the rows they write for (migration 0025), because a key checked
 * per inserted row doubled the time of writing a large segment.
 */
export const segmentMembers = pgTable(
  "segment_members",
  {
    segmentId: ref("segment_id").notNull(),
    snapshotId: ref("snapshot_id").notNull(),
    // No foreign key to customers, as in customer_scores: members are scored customers of the
    // same snapshot, written by the pipeline in the same transaction.
    customerId: ref("customer_id").notNull(),
    // The member's predicted CLV in this snapshot (a copy of its score, which never changes once
    // published), so a segment's members are listed by CLV from the top of an index.
    predictedClv: numeric("predicted_clv", { precision: 16, scale: 2 }),
  },
  (t) => [
    primaryKey({ columns: [t.segmentId, t.snapshotId, t.customerId], name: "segment_members_pk" }),
    // Secondary indexes leave out snapshot_id: each partition holds one snapshot (migration 0023).
    index("segment_members_customer_idx").on(t.customerId),
    index("segment_members_clv_idx").on(t.segmentId, sql`(coalesce(${t.predictedClv}, -1e15))`, t.customerId),
  ],
);

/**
 * Each segment's size, revenue and means per snapshot, written with its members (the segments
 * page and a segment's member count read one row instead of joining every member to its score).
 */
export const segmentStats = pgTable(
  "segment_stats",
  {
    segmentId: ref("segment_id")
      .notNull()
      .references(() => segments.id, { onDelete: "cascade" }),
    snapshotId: ref("snapshot_id")
      .notNull()
      .references(() => snapshots.id, { onDelete: "cascade" }),
    customers: integer("customers").notNull(),
    revenue: numeric("revenue", { precision: 18, scale: 2 }).notNull(),
    meanPredictedClv: doublePrecision("mean_predicted_clv"),
    meanPAlive: doublePrecision("mean_p_alive"),
  },
  (t) => [
    primaryKey({ columns: [t.segmentId, t.snapshotId], name: "segment_stats_pkey" }),
    check("segment_stats_customers_not_negative", sql`${t.customers} >= 0`),
  ],
);
