// Sign-in (sessions and API keys) and the users and keys admins manage. Rows are read and written
// through drizzle's typed builder (@ltvloop/db/schema's users, sessions and apiKeys); the audit
// entries go through writeAudit in the caller's transaction.
import type { Conn, DbHandle } from "@ltvloop/db/client";
import { ROLES, apiKeys, sessions, users, type Role } from "@ltvloop/db/schema";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Viewer } from "../../context.ts";
import { TOUCH_INTERVAL_MS, type ServingCache } from "../../serving-cache.ts";
import { DomainError, badInput, conflict, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from "./password.ts";
import { LoginThrottle } from "./rate-limit.ts";
import { newApiKey, newSessionToken, sha256 } from "./tokens.ts";

/** For sign-ins without an HTTP server of their own (the server passes its own throttle). */
const processThrottle = new LoginThrottle();

/** A valid argon2id hash of a random password: failed look-ups cost as much as real ones. */
let dummyHash: Promise<string> | undefined;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  viewer: Viewer;
}

const tooManyAttempts = (ms: number) =>
  new DomainError(
    "FORBIDDEN",
    ms < 120_000
      ? `Too many failed sign-ins. Try again in ${Math.ceil(ms / 1000)} second(s).`
      : `Too many failed sign-ins from this address. Try again in ${Math.ceil(ms / 60_000)} minute(s), or from another device, or ask an admin to check the account.`,
    [],
    { reason: "TOO_MANY_SIGN_INS", params: { seconds: Math.ceil(ms / 1000) } },
  );

export async function login(
  { db, transaction }: Pick<DbHandle, "db" | "transaction">,
  input: { email: string; password: string; ip: string | undefined; userAgent: string | undefined; ttlHours: number; throttle?: LoginThrottle | undefined },
): Promise<LoginResult> {
  const throttle = input.throttle ?? processThrottle;
  const email = input.email.trim().toLowerCase();
  const address = input.ip ?? "unknown";
  const wait = await throttle.retryAfter(email, address);
  if (wait > 0) throw tooManyAttempts(wait);

  const [user] = await db
    .select({ id: users.id, email: users.email, role: users.role, passwordHash: users.passwordHash, isActive: users.isActive })
    .from(users)
    .where(eq(users.email, email));
  dummyHash ??= hashPassword(newSessionToken());
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (!user || !ok || !user.isActive) {
    await throttle.fail(email, address);
    throw new DomainError("UNAUTHENTICATED", "The e-mail address or password is wrong. Check both and try again.", [], { reason: "WRONG_CREDENTIALS" });
  }
  await throttle.succeed(email, address);

  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  // After the password check (argon2 takes a while): no transaction is held open through it.
  await transaction(async (tx) => {
    await tx.db.insert(sessions).values({ tokenHash: sha256(token), userId: user.id, expiresAt, ip: input.ip ?? null, userAgent: input.userAgent?.slice(0, 300) ?? null });
    await tx.db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, user.id));
  });
  return { token, expiresAt, viewer: { userId: user.id, email: user.email, role: user.role, via: "session", sessionTokenHash: sha256(token) } };
}

export async function logout({ db }: Conn, viewer: Viewer): Promise<void> {
  if (viewer.sessionTokenHash) await db.delete(sessions).where(eq(sessions.tokenHash, viewer.sessionTokenHash));
}

/**
 * The viewer behind a session token, or null when it is unknown or expired. With a cache the
 * lookup is read once until sign-ins change (see serving-cache.ts) and `last_seen_at` is
 * written at most once a minute, after the request; without one, in the request.
 */
export async function viewerFromSession({ db }: Conn, token: string, cache?: ServingCache): Promise<Viewer | null> {
  const tokenHash = sha256(token);
  const cached = cache?.session(tokenHash);
  if (cached) {
    cache?.touchSession(tokenHash);
    return cached;
  }
  const generation = cache?.viewerGenerationNow();
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, sql`now()`), eq(users.isActive, true)));
  if (!row) return null;
  const viewer: Viewer = { userId: row.id, email: row.email, role: row.role, via: "session", sessionTokenHash: tokenHash };
  if (cache && generation !== undefined) {
    cache.storeSession(tokenHash, viewer, row.expiresAt, generation);
    cache.touchSession(tokenHash, row.lastSeenAt);
  } else if (Date.now() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.tokenHash, tokenHash));
  }
  return viewer;
}

/** The viewer behind an API key, or null when it is unknown or revoked (cached as sessions are). */
export async function viewerFromApiKey({ db }: Conn, key: string, cache?: ServingCache): Promise<Viewer | null> {
  const keyHash = sha256(key);
  const cached = cache?.apiKey(keyHash);
  if (cached) {
    cache?.touchApiKey(cached.apiKeyId as number);
    return cached;
  }
  const generation = cache?.viewerGenerationNow();
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, keyId: apiKeys.id, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt), eq(users.isActive, true)));
  if (!row) return null;
  const viewer: Viewer = { userId: row.id, email: row.email, role: row.role, via: "api_key", apiKeyId: row.keyId };
  if (cache && generation !== undefined) {
    cache.storeApiKey(keyHash, viewer, generation);
    cache.touchApiKey(row.keyId, row.lastUsedAt);
  } else if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, row.keyId));
  }
  return viewer;
}

/** The columns of a key anyone may see (never its hash). */
const apiKeyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export type ApiKeyRow = Pick<typeof apiKeys.$inferSelect, keyof typeof apiKeyColumns>;

/** Creates an API key for the viewer; the secret is returned once and never stored. */
export async function createApiKey({ db, query }: Conn, viewer: Viewer, name: string): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw badInput("An API key needs a name of 1–100 characters, e.g. the script that will use it.", [fieldProblem("name", "LENGTH", { min: 1, max: 100 })]);
  }
  const key = newApiKey();
  const [created] = await db
    .insert(apiKeys)
    .values({ userId: viewer.userId, name: trimmed, prefix: key.slice(0, 10), keyHash: sha256(key) })
    .returning(apiKeyColumns);
  if (!created) throw new Error("the API key was not stored");
  await writeAudit(query, viewer, "apiKey.create", "api_key", created.id, { name: trimmed });
  return { key, apiKey: created };
}

/** Revokes one of the viewer's keys (admins may revoke anyone's). */
export async function revokeApiKey({ db, query }: Conn, viewer: Viewer, id: number): Promise<ApiKeyRow> {
  const own = viewer.role === "admin" ? eq(apiKeys.id, id) : and(eq(apiKeys.id, id), eq(apiKeys.userId, viewer.userId));
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(own)
    .returning(apiKeyColumns);
  if (!row) throw notFound(`No API key ${id} of yours exists. List your keys with \`apiKeys\`.`, "API_KEY_NOT_FOUND", { id });
  await writeAudit(query, viewer, "apiKey.revoke", "api_key", id, {});
  return row;
}

export async function listApiKeys({ db }: Conn, viewer: Viewer): Promise<ApiKeyRow[]> {
  return db.select(apiKeyColumns).from(apiKeys).where(eq(apiKeys.userId, viewer.userId)).orderBy(asc(apiKeys.id));
}

export const MAX_USER_NAME_LENGTH = 100;

/** The columns of a user admins see (never the password hash). */
const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  isActive: users.isActive,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
};

export type UserRow = Pick<typeof users.$inferSelect, keyof typeof userColumns>;

export async function createUser(
  { db, query }: Conn,
  actor: Viewer | null,
  input: { email: string; name: string; role: string; password: string },
): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  const problems: FieldProblem[] = [];
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push(fieldProblem("email", "NOT_EMAIL"));
  if (!ROLES.includes(input.role as Role)) problems.push(fieldProblem("role", "ONE_OF", { allowed: ROLES.join(", ") }));
  if (input.name.trim().length > MAX_USER_NAME_LENGTH) problems.push(fieldProblem("name", "TOO_LONG", { max: MAX_USER_NAME_LENGTH }));
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    problems.push(fieldProblem("password", "TOO_SHORT", { min: MIN_PASSWORD_LENGTH }));
  }
  if (problems.length > 0) throw badInput("The user cannot be created; fix the fields listed.", problems);
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ email, name: input.name.trim(), passwordHash, role: input.role as Role })
    .onConflictDoNothing({ target: users.email })
    .returning(userColumns);
  if (!row) throw conflict(`A user with e-mail ${email} already exists.`, "EMAIL_TAKEN", { email }, [fieldProblem("email", "EMAIL_TAKEN")]);
  await writeAudit(query, actor, "user.create", "user", row.id, { email, role: input.role });
  return row;
}

export async function listUsers({ db }: Conn): Promise<UserRow[]> {
  return db.select(userColumns).from(users).orderBy(asc(users.id));
}

export interface UserUpdate {
  name?: string | null;
  role?: string | null;
  isActive?: boolean | null;
}

/**
 * Changes a user's name, role or active flag (admins). Deactivating ends the user's sessions;
 * their API keys stay stored but stop working, because sign-in by key requires an active user
 * (`viewerFromApiKey`), and work again on reactivation. A role change applies to the next
 * request, since sessions and keys read the role from `users`. Admins cannot deactivate or
 * demote themselves, so there is always an active admin left to undo a mistake.
 */
export async function updateUser({ db, query }: Conn, actor: Viewer, id: number, input: UserUpdate): Promise<UserRow> {
  const problems: FieldProblem[] = [];
  const name = input.name?.trim();
  if (name !== undefined && name.length > MAX_USER_NAME_LENGTH) {
    problems.push(fieldProblem("name", "TOO_LONG", { max: MAX_USER_NAME_LENGTH }));
  }
  if (input.role != null && !ROLES.includes(input.role as Role)) problems.push(fieldProblem("role", "ONE_OF", { allowed: ROLES.join(", ") }));
  if (id === actor.userId) {
    if (input.isActive === false) {
      problems.push(fieldProblem("isActive", "SELF_DEACTIVATE"));
    }
    if (input.role != null && input.role !== "admin") {
      problems.push(fieldProblem("role", "SELF_DEMOTE"));
    }
  }
  if (problems.length > 0) throw badInput("The user was not changed; fix the fields listed.", problems);

  const [before] = await db.select({ name: users.name, role: users.role, isActive: users.isActive }).from(users).where(eq(users.id, id)).for("update");
  if (!before) throw notFound(`No user ${id} exists. List users with \`users\`.`, "USER_NOT_FOUND", { id });
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (name !== undefined && name !== before.name) changes["name"] = { from: before.name, to: name };
  if (input.role != null && input.role !== before.role) changes["role"] = { from: before.role, to: input.role };
  if (input.isActive != null && input.isActive !== before.isActive) changes["isActive"] = { from: before.isActive, to: input.isActive };

  const values: Partial<typeof users.$inferInsert> = {
    ...(name !== undefined ? { name } : {}),
    ...(input.role != null ? { role: input.role as Role } : {}),
    ...(input.isActive != null ? { isActive: input.isActive } : {}),
  };
  const [updated] =
    Object.keys(values).length === 0
      ? await db.select(userColumns).from(users).where(eq(users.id, id))
      : await db.update(users).set(values).where(eq(users.id, id)).returning(userColumns);
  if (!updated) throw notFound(`No user ${id} exists. List users with \`users\`.`, "USER_NOT_FOUND", { id });
  if (Object.keys(changes).length > 0) {
    let endedSessions = 0;
    if (changes["isActive"] && input.isActive === false) {
      const ended = await db.delete(sessions).where(eq(sessions.userId, id)).returning({ tokenHash: sessions.tokenHash });
      endedSessions = ended.length;
    }
    await writeAudit(query, actor, "user.update", "user", id, { email: updated.email, changes, ...(endedSessions ? { endedSessions } : {}) });
  }
  return updated;
}
