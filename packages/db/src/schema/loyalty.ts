// Loyalty programmes (migration 0014): a points programme and a stamp card. Rules are versions
// that take effect from `effective_from`; the ledgers are append-only and a balance is the sum
// of a customer's entries, stored nowhere else. Stamp cards are derived from the stamp ledger.
import { sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { bigint, boolean, check, idColumn, index, integer, jsonb, numeric, pgTable, primaryKey, ref, text, timestamptz, uniqueIndex } from "./columns.ts";
import { users } from "./auth.ts";
import { campaigns } from "./campaigns.ts";
import { customers } from "./customers.ts";

export const LOYALTY_PROGRAMME_KINDS = ["points", "stamps"] as const;
export const POINT_ENTRY_KINDS = ["earn", "redeem", "expire", "adjust", "reverse"] as const;
export type PointEntryKind = (typeof POINT_ENTRY_KINDS)[number];
export const POINT_ROUNDINGS = ["floor", "round", "ceil"] as const;
export type PointRounding = (typeof POINT_ROUNDINGS)[number];
export const POINT_EXPIRY_MODES = ["none", "rolling", "fixed"] as const;
export type PointExpiryMode = (typeof POINT_EXPIRY_MODES)[number];
export const STAMP_PER = ["order", "day"] as const;
export type StampPer = (typeof STAMP_PER)[number];

export const loyaltyProgrammes = pgTable(
  "loyalty_programmes",
  {
    id: idColumn(),
    kind: text("kind", { enum: LOYALTY_PROGRAMME_KINDS }).notNull(),
    name: text("name").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("loyalty_programmes_kind_known", sql`${t.kind} in ('points', 'stamps')`),
    check("loyalty_programmes_name_not_blank", sql`length(trim(${t.name})) > 0`),
    uniqueIndex("loyalty_programmes_one_active_per_kind").on(t.kind).where(sql`${t.isActive}`),
  ],
);

/** A version of the points rules, in force from `effective_from` until the next version. */
export const loyaltyPointRules = pgTable(
  "loyalty_point_rules",
  {
    id: idColumn(),
    programmeId: ref("programme_id")
      .notNull()
      .references(() => loyaltyProgrammes.id, { onDelete: "restrict" }),
    effectiveFrom: timestamptz("effective_from").notNull(),
    /** Points per currency unit of the order amount (0.01 = 1 point per ¥100). */
    earnRate: numeric("earn_rate", { precision: 12, scale: 6 }).notNull(),
    /** Multiplier per order channel, e.g. {"app": 2}; channels not listed earn ×1. */
    channelMultipliers: jsonb("channel_multipliers").$type<Record<string, number>>().notNull().default({}),
    /** Multiplier per RFM segment key of the customer in the latest snapshot as of the order. */
    tierMultipliers: jsonb("tier_multipliers").$type<Record<string, number>>().notNull().default({}),
    rounding: text("rounding", { enum: POINT_ROUNDINGS }).notNull().default("floor"),
    minOrderAmount: numeric("min_order_amount", { precision: 14, scale: 2 }).notNull().default("0"),
    expiryMode: text("expiry_mode", { enum: POINT_EXPIRY_MODES }).notNull().default("rolling"),
    expiryDays: integer("expiry_days"),
    expiryDate: timestamptz("expiry_date"),
    /** Currency value of one point, for the liability. */
    pointValue: numeric("point_value", { precision: 12, scale: 4 }).notNull(),
    createdBy: ref("created_by").references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("loyalty_point_rules_programme_from_unique").on(t.programmeId, t.effectiveFrom),
    check("loyalty_point_rules_earn_rate_nonnegative", sql`${t.earnRate} >= 0`),
    check("loyalty_point_rules_rounding_known", sql`${t.rounding} in ('floor', 'round', 'ceil')`),
    check("loyalty_point_rules_min_order_nonnegative", sql`${t.minOrderAmount} >= 0`),
    check("loyalty_point_rules_point_value_nonnegative", sql`${t.pointValue} >= 0`),
    check(
      "loyalty_point_rules_expiry",
      sql`(${t.expiryMode} = 'none' and ${t.expiryDays} is null and ${t.expiryDate} is null)
          or (${t.expiryMode} = 'rolling' and ${t.expiryDays} >= 1 and ${t.expiryDate} is null)
          or (${t.expiryMode} = 'fixed' and ${t.expiryDays} is null and ${t.expiryDate} > ${t.effectiveFrom})`,
    ),
  ],
);

/** The points ledger: one row per earn, redemption, expiry, adjustment or reversal. */
export const loyaltyPointEntries = pgTable(
  "loyalty_point_entries",
  {
    /** Unique by its identity sequence; the key is (customer_id, id) so the ledger can be distributed by customer (Citus). */
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    programmeId: ref("programme_id")
      .notNull()
      .references(() => loyaltyProgrammes.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: POINT_ENTRY_KINDS }).notNull(),
    /** Signed: credits positive, debits negative. */
    points: ref("points").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    /** When the credit's unused points expire (credits only). */
    expiresAt: timestamptz("expires_at"),
    ruleId: ref("rule_id").references(() => loyaltyPointRules.id, { onDelete: "restrict" }),
    // The order an entry came from. No foreign key: an order may move to another customer on
    // re-import (the import then reverses and re-earns), and orders are keyed by (customer_id, id).
    sourceOrderId: ref("source_order_id"),
    sourceCampaignId: ref("source_campaign_id").references((): AnyPgColumn => campaigns.id, { onDelete: "set null" }),
    idempotencyKey: text("idempotency_key").notNull(),
    note: text("note"),
    actorUserId: ref("actor_user_id").references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.id], name: "loyalty_point_entries_pkey" }),
    uniqueIndex("loyalty_point_entries_customer_key_unique").on(t.customerId, t.idempotencyKey),
    index("loyalty_point_entries_customer_time_idx").on(t.customerId, t.occurredAt),
    index("loyalty_point_entries_order_idx").on(t.sourceOrderId),
    index("loyalty_point_entries_expiry_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
    index("loyalty_point_entries_campaign_idx").on(t.sourceCampaignId).where(sql`${t.sourceCampaignId} is not null`),
    check("loyalty_point_entries_kind_known", sql`${t.kind} in ('earn', 'redeem', 'expire', 'adjust', 'reverse')`),
    check(
      "loyalty_point_entries_sign",
      sql`(${t.kind} = 'earn' and ${t.points} > 0)
          or (${t.kind} in ('redeem', 'expire', 'reverse') and ${t.points} < 0)
          or (${t.kind} = 'adjust' and ${t.points} <> 0)`,
    ),
    check("loyalty_point_entries_expiry_on_credits", sql`${t.expiresAt} is null or (${t.points} > 0 and ${t.expiresAt} > ${t.occurredAt})`),
    check("loyalty_point_entries_key_not_blank", sql`length(trim(${t.idempotencyKey})) > 0`),
  ],
);

/** A version of the stamp card rules, in force from `effective_from`. */
export const loyaltyStampRules = pgTable(
  "loyalty_stamp_rules",
  {
    id: idColumn(),
    programmeId: ref("programme_id")
      .notNull()
      .references(() => loyaltyProgrammes.id, { onDelete: "restrict" }),
    effectiveFrom: timestamptz("effective_from").notNull(),
    /** Least order amount that earns a stamp. */
    thresholdAmount: numeric("threshold_amount", { precision: 14, scale: 2 }).notNull().default("0"),
    /** One stamp per qualifying order, or per business day with a qualifying order. */
    per: text("per", { enum: STAMP_PER }).notNull().default("order"),
    cardSize: integer("card_size").notNull(),
    rewardLabel: text("reward_label").notNull(),
    rewardValue: numeric("reward_value", { precision: 14, scale: 2 }).notNull().default("0"),
    /** Days from a card's first stamp after which an unfinished card lapses; null = never. */
    cardExpiryDays: integer("card_expiry_days"),
    createdBy: ref("created_by").references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("loyalty_stamp_rules_programme_from_unique").on(t.programmeId, t.effectiveFrom),
    check("loyalty_stamp_rules_threshold_nonnegative", sql`${t.thresholdAmount} >= 0`),
    check("loyalty_stamp_rules_per_known", sql`${t.per} in ('order', 'day')`),
    check("loyalty_stamp_rules_card_size", sql`${t.cardSize} between 1 and 100`),
    check("loyalty_stamp_rules_reward_not_blank", sql`length(trim(${t.rewardLabel})) > 0`),
    check("loyalty_stamp_rules_reward_value_nonnegative", sql`${t.rewardValue} >= 0`),
    check("loyalty_stamp_rules_card_expiry", sql`${t.cardExpiryDays} is null or ${t.cardExpiryDays} >= 1`),
  ],
);

/** The stamp ledger: +1 for a qualifying purchase, −1 when it stops qualifying (refund, cancel). */
export const loyaltyStampEntries = pgTable(
  "loyalty_stamp_entries",
  {
    /** Unique by its identity sequence; the key is (customer_id, id) so the ledger can be distributed by customer (Citus). */
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    programmeId: ref("programme_id")
      .notNull()
      .references(() => loyaltyProgrammes.id, { onDelete: "restrict" }),
    ruleId: ref("rule_id")
      .notNull()
      .references(() => loyaltyStampRules.id, { onDelete: "restrict" }),
    stamps: integer("stamps").notNull(),
    occurredAt: timestamptz("occurred_at").notNull(),
    // The order an entry came from. No foreign key: an order may move to another customer on
    // re-import (the import then reverses and re-earns), and orders are keyed by (customer_id, id).
    sourceOrderId: ref("source_order_id"),
    /** A campaign's bonus stamp (BONUS_STAMPS offer); null for the order's own stamp. */
    sourceCampaignId: ref("source_campaign_id").references((): AnyPgColumn => campaigns.id, { onDelete: "set null" }),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.id], name: "loyalty_stamp_entries_pkey" }),
    uniqueIndex("loyalty_stamp_entries_customer_key_unique").on(t.customerId, t.idempotencyKey),
    index("loyalty_stamp_entries_customer_time_idx").on(t.customerId, t.occurredAt),
    index("loyalty_stamp_entries_order_idx").on(t.sourceOrderId),
    check("loyalty_stamp_entries_stamps", sql`${t.stamps} in (1, -1)`),
    check("loyalty_stamp_entries_key_not_blank", sql`length(trim(${t.idempotencyKey})) > 0`),
  ],
);

/** Stamp cards derived from the stamp ledger (rebuilt per customer whenever their stamps change). */
export const loyaltyStampCards = pgTable(
  "loyalty_stamp_cards",
  {
    customerId: ref("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    cardNo: integer("card_no").notNull(),
    ruleId: ref("rule_id")
      .notNull()
      .references(() => loyaltyStampRules.id, { onDelete: "restrict" }),
    startedAt: timestamptz("started_at").notNull(),
    stamps: integer("stamps").notNull(),
    cardSize: integer("card_size").notNull(),
    completedAt: timestamptz("completed_at"),
    /** When the card lapses if not completed; null = never. */
    expiresAt: timestamptz("expires_at"),
  },
  (t) => [
    primaryKey({ columns: [t.customerId, t.cardNo], name: "loyalty_stamp_cards_customer_id_card_no_pk" }),
    check("loyalty_stamp_cards_stamps", sql`${t.stamps} between 0 and ${t.cardSize}`),
    check("loyalty_stamp_cards_completed", sql`(${t.completedAt} is not null) = (${t.stamps} = ${t.cardSize})`),
  ],
);
