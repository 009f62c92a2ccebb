import { sql } from "drizzle-orm";
import { bigint, boolean, check, idColumn, index, integer, jsonb, pgTable, ref, text, timestamptz } from "./columns.ts";

export const ROLES = ["admin", "operator", "analyst", "reviewer"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: idColumn(),
    email: text("email").notNull().unique("users_email_unique"),
    name: text("name").notNull().default(""),
    /** argon2id PHC string. */
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastLoginAt: timestamptz("last_login_at"),
  },
  (t) => [
    check("users_email_lowercase", sql`${t.email} = lower(${t.email}) and position('@' in ${t.email}) > 1`),
    check("users_role_known", sql`${t.role} in ('admin', 'operator', 'analyst', 'reviewer')`),
  ],
);

/** Browser sessions; the cookie carries a random token, the table only its SHA-256. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    expiresAt: timestamptz("expires_at").notNull(),
    lastSeenAt: timestamptz("last_seen_at").notNull().defaultNow(),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** API keys for scripts; shown once at creation, stored as SHA-256 of the secret. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique("api_keys_key_hash_unique"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

/** Who changed what, written in the same transaction as the change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: idColumn(),
    actorUserId: ref("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorApiKeyId: ref("actor_api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    /** `cli` for command-line work, `system` for work the server does by itself. */
    actorKind: text("actor_kind", { enum: ["user", "api_key", "cli", "system"] }).notNull(),
    operation: text("operation").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details").notNull().default({}),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

/**
 * Failed sign-in counters shared by every server process (rate-limiter-flexible's PostgreSQL
 * store, in the shape it reads and writes): `key` is the limiter's prefix and its key (account,
 * address or both), `points` the failures counted, `expire` when they lapse (epoch ms). Unlogged.
 */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});
