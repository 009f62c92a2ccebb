import { sql } from "drizzle-orm";
import {
  boolean,
  check,
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
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { users } from "./auth.ts";
import { snapshots } from "./scoring.ts";
import { segments } from "./segments.ts";

export const CAMPAIGN_STATUSES = [
  "draft",
  "planned",
  "running",
  "measuring",
  "checked",
  "acted",
  "cancelled",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_OBJECTIVES = ["retain", "win_back", "upsell", "cross_sell", "activate", "other"] as const;
export const CAMPAIGN_CHANNELS = ["email", "line", "sms", "dm", "coupon", "points", "other"] as const;
export const CAMPAIGN_KPIS = ["conversion", "revenue_per_customer", "orders_per_customer"] as const;
export const CAMPAIGN_DECISIONS = ["adopt", "iterate", "stop", "invalid"] as const;
export const LOYALTY_OFFER_KINDS = ["bonus_points", "bonus_stamps", "expiring_points_reminder"] as const;
export const ASSIGNMENT_GROUPS = ["treatment", "control"] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const campaigns = pgTable(
  "campaigns",
  {
    id: idColumn(),
    name: text("name").notNull(),
    segmentId: ref("segment_id")
      .notNull()
      .references(() => segments.id, { onDelete: "restrict" }),
    snapshotId: ref("snapshot_id").references(() => snapshots.id, { onDelete: "restrict" }),
    objective: text("objective", { enum: CAMPAIGN_OBJECTIVES }).notNull(),
    hypothesis: text("hypothesis").notNull().default(""),
    channel: text("channel", { enum: CAMPAIGN_CHANNELS }).notNull(),
    offer: text("offer").notNull().default(""),
    /** Structured loyalty offer (migration 0016); `offer` stays its free-text description. */
    loyaltyOfferKind: text("loyalty_offer_kind", { enum: LOYALTY_OFFER_KINDS }),
    /** BONUS_POINTS: points earned in the window × this (1 < k ≤ 10). */
    loyaltyMultiplier: numeric("loyalty_multiplier", { precision: 6, scale: 2 }),
    /** BONUS_STAMPS: extra stamps per qualifying purchase in the window (1–10). */
    loyaltyBonusStamps: integer("loyalty_bonus_stamps"),
    primaryKpi: text("primary_kpi", { enum: CAMPAIGN_KPIS }).notNull().default("conversion"),
    guardrailKpis: jsonb("guardrail_kpis").$type<string[]>().notNull().default([]),
    /** Expected relative lift on the primary KPI, used by the power analysis. */
    expectedLift: numeric("expected_lift", { precision: 8, scale: 4 }),
    holdoutRatio: numeric("holdout_ratio", { precision: 5, scale: 4 }).notNull().default("0.1000"),
    costPerContact: numeric("cost_per_contact", { precision: 14, scale: 2 }).notNull().default("0"),
    fixedCost: numeric("fixed_cost", { precision: 14, scale: 2 }).notNull().default("0"),
    /** Gross margin ratio for money results; null means the settings' default. */
    margin: numeric("margin", { precision: 5, scale: 4 }),
    outcomeWindowDays: integer("outcome_window_days").notNull().default(30),
    prePeriodDays: integer("pre_period_days").notNull().default(30),
    plannedStart: timestamptz("planned_start"),
    status: text("status", { enum: CAMPAIGN_STATUSES }).notNull().default("draft"),
    /** The stored plan: segment size after opt-outs, baselines, MDE, warnings. */
    plan: jsonb("plan"),
    launchedAt: timestamptz("launched_at"),
    launchIdempotencyKey: text("launch_idempotency_key"),
    decision: text("decision", { enum: CAMPAIGN_DECISIONS }),
    decisionRationale: text("decision_rationale"),
    reviewedBy: ref("reviewed_by").references(() => users.id, { onDelete: "set null" }),
    reviewedAt: timestamptz("reviewed_at"),
    parentCampaignId: ref("parent_campaign_id").references((): AnyPgColumn => campaigns.id, {
      onDelete: "set null",
    }),
    assignmentSeed: text("assignment_seed").notNull(),
    createdBy: ref("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("campaigns_name_not_blank", sql`length(trim(${t.name})) > 0`),
    check("campaigns_status_known", sql`${t.status} in (${inList(CAMPAIGN_STATUSES)})`),
    check("campaigns_objective_known", sql`${t.objective} in (${inList(CAMPAIGN_OBJECTIVES)})`),
    check("campaigns_channel_known", sql`${t.channel} in (${inList(CAMPAIGN_CHANNELS)})`),
    check("campaigns_kpi_known", sql`${t.primaryKpi} in (${inList(CAMPAIGN_KPIS)})`),
    check("campaigns_decision_known", sql`${t.decision} is null or ${t.decision} in (${inList(CAMPAIGN_DECISIONS)})`),
    check("campaigns_holdout_ratio", sql`${t.holdoutRatio} > 0 and ${t.holdoutRatio} < 1`),
    check("campaigns_margin_ratio", sql`${t.margin} is null or (${t.margin} >= 0 and ${t.margin} <= 1)`),
    check("campaigns_costs_nonnegative", sql`${t.costPerContact} >= 0 and ${t.fixedCost} >= 0`),
    check(
      "campaigns_loyalty_offer",
      sql`(${t.loyaltyOfferKind} is null and ${t.loyaltyMultiplier} is null and ${t.loyaltyBonusStamps} is null)
          or (${t.loyaltyOfferKind} = 'bonus_points' and ${t.loyaltyMultiplier} > 1 and ${t.loyaltyMultiplier} <= 10 and ${t.loyaltyBonusStamps} is null)
          or (${t.loyaltyOfferKind} = 'bonus_stamps' and ${t.loyaltyMultiplier} is null and ${t.loyaltyBonusStamps} between 1 and 10)
          or (${t.loyaltyOfferKind} = 'expiring_points_reminder' and ${t.loyaltyMultiplier} is null and ${t.loyaltyBonusStamps} is null)`,
    ),
    check("campaigns_windows_positive", sql`${t.outcomeWindowDays} between 1 and 730 and ${t.prePeriodDays} between 1 and 730`),
    check("campaigns_launched_has_time", sql`${t.status} in ('draft', 'planned', 'cancelled') or ${t.launchedAt} is not null`),
    index("campaigns_status_idx").on(t.status),
    index("campaigns_segment_idx").on(t.segmentId),
    uniqueIndex("campaigns_launch_key_unique").on(t.launchIdempotencyKey),
    index("campaigns_loyalty_offer_idx").on(t.loyaltyOfferKind).where(sql`${t.loyaltyOfferKind} is not null`),
  ],
);

/**
 * The frozen roster: who was in the treatment and who in the control group. Its campaign and
 * customers are guarded by triggers on their side (migration 0022), not by foreign keys checked
 * once per roster row: a campaign or customer in a roster cannot be deleted, re-numbered or
 * truncated away.
 */
export const campaignAssignments = pgTable(
  "campaign_assignments",
  {
    campaignId: ref("campaign_id").notNull(),
    customerId: ref("customer_id").notNull(),
    group: text("group", { enum: ASSIGNMENT_GROUPS }).notNull(),
    /** RFM cell used for stratified assignment, e.g. `R4F2`. */
    stratum: text("stratum").notNull(),
    /** Completed orders the launch's snapshot counted for this customer (the sample-ratio check's baseline). */
    snapshotOrders: integer("snapshot_orders"),
    assignedAt: timestamptz("assigned_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.customerId], name: "campaign_assignments_pk" }),
    check("campaign_assignments_group_known", sql`${t.group} in ('treatment', 'control')`),
    index("campaign_assignments_customer_idx").on(t.customerId),
  ],
);

/** Check results; each measurement is kept, the newest is the current one. */
export const campaignResults = pgTable(
  "campaign_results",
  {
    id: idColumn(),
    campaignId: ref("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    methodVersion: text("method_version").notNull(),
    isProvisional: boolean("is_provisional").notNull().default(false),
    results: jsonb("results").notNull(),
    computedBy: ref("computed_by").references(() => users.id, { onDelete: "set null" }),
    computedAt: timestamptz("computed_at").notNull().defaultNow(),
  },
  (t) => [index("campaign_results_campaign_idx").on(t.campaignId, t.computedAt)],
);

/** Append-only PDCA log: status changes, edits, decisions and notes. */
export const campaignEvents = pgTable(
  "campaign_events",
  {
    id: idColumn(),
    campaignId: ref("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status"),
    details: jsonb("details").notNull().default({}),
    actorUserId: ref("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [index("campaign_events_campaign_idx").on(t.campaignId, t.at)],
);
