import { sql } from "drizzle-orm";
import {
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
  smallint,
  text,
  timestamptz,
} from "./columns.ts";
import { users } from "./auth.ts";

export const SNAPSHOT_STATUSES = ["pending", "running", "succeeded", "failed", "cancelled"] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/** One scoring run at a point in time: its parameters, model fits, status and progress. */
export const snapshots = pgTable(
  "snapshots",
  {
    id: idColumn(),
    asOf: timestamptz("as_of").notNull(),
    /** RFM bins, time unit, horizon, discount rate, margin: everything needed to reproduce it. */
    parameters: jsonb("parameters").notNull(),
    /** BG/NBD, Pareto/NBD and Gamma-Gamma fits with log-likelihood and diagnostics. */
    modelFits: jsonb("model_fits"),
    status: text("status", { enum: SNAPSHOT_STATUSES }).notNull().default("pending"),
    /** 0–1 over the whole pipeline. */
    progress: doublePrecision("progress").notNull().default(0),
    stage: text("stage"),
    /** Milliseconds per stage. */
    timings: jsonb("timings").notNull().default({}),
    error: text("error"),
    customerCount: integer("customer_count"),
    createdBy: ref("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    startedAt: timestamptz("started_at"),
    finishedAt: timestamptz("finished_at"),
  },
  (t) => [
    check("snapshots_status_known", sql`${t.status} in ('pending', 'running', 'succeeded', 'failed', 'cancelled')`),
    check("snapshots_progress_ratio", sql`${t.progress} >= 0 and ${t.progress} <= 1`),
    index("snapshots_status_as_of_idx").on(t.status, t.asOf),
  ],
);

/** Per-customer scores of one snapshot. */
export const customerScores = pgTable(
  "customer_scores",
  {
    snapshotId: ref("snapshot_id")
      .notNull()
      .references(() => snapshots.id, { onDelete: "cascade" }),
    // No foreign key to customers: a snapshot writes only customers taken from customer_rollups
    // (which has one) in the same transaction, and checking a million rows again on every
    // snapshot's attach cost a tenth of the whole pipeline. Scores are derived, rebuildable data.
    customerId: ref("customer_id").notNull(),
    recencyDays: integer("recency_days").notNull(),
    frequency: integer("frequency").notNull(),
    monetary: numeric("monetary", { precision: 16, scale: 2 }).notNull(),
    /** All completed orders up to the snapshot: revenue and count (deciles, AOV). */
    revenue: numeric("revenue", { precision: 16, scale: 2 }).notNull().default("0"),
    orderCount: integer("order_count").notNull().default(0),
    firstOrderAt: timestamptz("first_order_at"),
    lastOrderAt: timestamptz("last_order_at"),
    rScore: smallint("r_score").notNull(),
    fScore: smallint("f_score").notNull(),
    mScore: smallint("m_score").notNull(),
    rfmSegment: text("rfm_segment").notNull(),
    decile: smallint("decile").notNull(),
    /** BTYD sufficient statistics in the snapshot's time unit. */
    btydX: integer("btyd_x").notNull(),
    btydTx: doublePrecision("btyd_t_x").notNull(),
    btydT: doublePrecision("btyd_t").notNull(),
    pAlive: doublePrecision("p_alive"),
    expectedPurchases: doublePrecision("expected_purchases"),
    expectedSpend: numeric("expected_spend", { precision: 16, scale: 2 }),
    predictedClv: numeric("predicted_clv", { precision: 16, scale: 2 }),
    historicalClv: numeric("historical_clv", { precision: 16, scale: 2 }),
  },
  (t) => [
    // Customer first: within a snapshot's partition the key is effectively customer_id alone, so
    // the one index serves lookups in a snapshot and a customer's history across snapshots.
    primaryKey({ columns: [t.customerId, t.snapshotId], name: "customer_scores_pk" }),
    // Lists by predicted CLV, highest first, read the top of this index (migration 0006); the
    // expression is the API's sort key, which puts customers without a prediction last. No
    // snapshot_id: each partition holds one snapshot (migration 0023).
    index("customer_scores_clv_idx").on(sql`(coalesce(${t.predictedClv}, -1e15))`, t.customerId),
    check("customer_scores_r", sql`${t.rScore} between 1 and 5`),
    check("customer_scores_f", sql`${t.fScore} between 1 and 5`),
    check("customer_scores_m", sql`${t.mScore} between 1 and 5`),
    check("customer_scores_decile", sql`${t.decile} between 1 and 10`),
    check("customer_scores_p_alive", sql`${t.pAlive} is null or (${t.pAlive} >= 0 and ${t.pAlive} <= 1)`),
    check("customer_scores_btyd", sql`${t.btydX} >= 0 and ${t.btydTx} >= 0 and ${t.btydT} >= ${t.btydTx}`),
  ],
);
