import type { Query } from "@ltvloop/db/client";
import { ROLES, type Role } from "@ltvloop/db/schema";
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
  query: Query,
  input: { email: string; password: string; ip: string | undefined; userAgent: string | undefined; ttlHours: number; throttle?: LoginThrottle | undefined },
): Promise<LoginResult> {
  const throttle = input.throttle ?? processThrottle;
  const email = input.email.trim().toLowerCase();
  const address = input.ip ?? "unknown";
  const wait = await throttle.retryAfter(email, address);
  if (wait > 0) throw tooManyAttempts(wait);

  const [user] = await query<{ id: number; email: string; role: Role; password_hash: string; is_active: boolean }>(
    "select id, email, role, password_hash, is_active from users where email = $1",
    [email],
  );
  dummyHash ??= hashPassword(newSessionToken());
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), input.password);
  if (!user || !ok || !user.is_active) {
    await throttle.fail(email, address);
    throw new DomainError("UNAUTHENTICATED", "The e-mail address or password is wrong. Check both and try again.", [], { reason: "WRONG_CREDENTIALS" });
  }
  await throttle.succeed(email, address);

  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await query(
    `with s as (insert into sessions (token_hash, user_id, expires_at, ip, user_agent) values ($1, $2, $3, $4, $5))
     update users set last_login_at = now() where id = $2`,
    [sha256(token), user.id, expiresAt.toISOString(), input.ip ?? null, input.userAgent?.slice(0, 300) ?? null],
  );
  return { token, expiresAt, viewer: { userId: user.id, email: user.email, role: user.role, via: "session", sessionTokenHash: sha256(token) } };
}

export async function logout(query: Query, viewer: Viewer): Promise<void> {
  if (viewer.sessionTokenHash) await query("delete from sessions where token_hash = $1", [viewer.sessionTokenHash]);
}

/**
 * The viewer behind a session token, or null when it is unknown or expired. With a cache the
 * lookup is read once until sign-ins change (see serving-cache.ts) and `last_seen_at` is
 * written at most once a minute, after the request; without one, in the request.
 */
export async function viewerFromSession(query: Query, token: string, cache?: ServingCache): Promise<Viewer | null> {
  const tokenHash = sha256(token);
  const cached = cache?.session(tokenHash);
  if (cached) {
    cache?.touchSession(tokenHash);
    return cached;
  }
  const generation = cache?.viewerGenerationNow();
  const [row] = await query<{ id: number; email: string; role: Role; expires_at: Date; last_seen_at: Date }>(
    `select u.id, u.email, u.role, s.expires_at, s.last_seen_at
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > now() and u.is_active`,
    [tokenHash],
  );
  if (!row) return null;
  const viewer: Viewer = { userId: row.id, email: row.email, role: row.role, via: "session", sessionTokenHash: tokenHash };
  if (cache && generation !== undefined) {
    cache.storeSession(tokenHash, viewer, row.expires_at, generation);
    cache.touchSession(tokenHash, row.last_seen_at);
  } else if (Date.now() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await query("update sessions set last_seen_at = now() where token_hash = $1", [tokenHash]);
  }
  return viewer;
}

/** The viewer behind an API key, or null when it is unknown or revoked (cached as sessions are). */
export async function viewerFromApiKey(query: Query, key: string, cache?: ServingCache): Promise<Viewer | null> {
  const keyHash = sha256(key);
  const cached = cache?.apiKey(keyHash);
  if (cached) {
    cache?.touchApiKey(cached.apiKeyId as number);
    return cached;
  }
  const generation = cache?.viewerGenerationNow();
  const [row] = await query<{ id: number; email: string; role: Role; key_id: number; last_used_at: Date | null }>(
    `select u.id, u.email, u.role, k.id as key_id, k.last_used_at
       from api_keys k join users u on u.id = k.user_id
      where k.key_hash = $1 and k.revoked_at is null and u.is_active`,
    [keyHash],
  );
  if (!row) return null;
  const viewer: Viewer = { userId: row.id, email: row.email, role: row.role, via: "api_key", apiKeyId: row.key_id };
  if (cache && generation !== undefined) {
    cache.storeApiKey(keyHash, viewer, generation);
    cache.touchApiKey(row.key_id, row.last_used_at);
  } else if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    await query("update api_keys set last_used_at = now() where id = $1", [row.key_id]);
  }
  return viewer;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Creates an API key for the viewer; the secret is returned once and never stored. */
export async function createApiKey(query: Query, viewer: Viewer, name: string): Promise<{ key: string; apiKey: ApiKeyRow }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw badInput("An API key needs a name of 1–100 characters, e.g. the script that will use it.", [fieldProblem("name", "LENGTH", { min: 1, max: 100 })]);
  }
  const key = newApiKey();
  const [row] = await query<{ id: number; created_at: Date }>(
    `insert into api_keys (user_id, name, prefix, key_hash) values ($1, $2, $3, $4) returning id, created_at`,
    [viewer.userId, trimmed, key.slice(0, 10), sha256(key)],
  );
  const created = row as { id: number; created_at: Date };
  await writeAudit(query, viewer, "apiKey.create", "api_key", created.id, { name: trimmed });
  return {
    key,
    apiKey: { id: created.id, name: trimmed, prefix: key.slice(0, 10), createdAt: created.created_at, lastUsedAt: null, revokedAt: null },
  };
}

/** Revokes one of the viewer's keys (admins may revoke anyone's). */
export async function revokeApiKey(query: Query, viewer: Viewer, id: number): Promise<ApiKeyRow> {
  const [row] = await query<{ id: number; name: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date }>(
    `update api_keys set revoked_at = coalesce(revoked_at, now())
      where id = $1 and (user_id = $2 or $3)
      returning id, name, prefix, created_at, last_used_at, revoked_at`,
    [id, viewer.userId, viewer.role === "admin"],
  );
  if (!row) throw notFound(`No API key ${id} of yours exists. List your keys with \`apiKeys\`.`, "API_KEY_NOT_FOUND", { id });
  await writeAudit(query, viewer, "apiKey.revoke", "api_key", id, {});
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export async function listApiKeys(query: Query, viewer: Viewer): Promise<ApiKeyRow[]> {
  const rows = await query<{ id: number; name: string; prefix: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    "select id, name, prefix, created_at, last_used_at, revoked_at from api_keys where user_id = $1 order by id",
    [viewer.userId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
}

export const MAX_USER_NAME_LENGTH = 100;

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  isActive: boolean;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export async function createUser(
  query: Query,
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
  const rows = await query<{ id: number; created_at: Date }>(
    `insert into users (email, name, password_hash, role) values ($1, $2, $3, $4)
     on conflict (email) do nothing returning id, created_at`,
    [email, input.name.trim(), passwordHash, input.role],
  );
  const row = rows[0];
  if (!row) throw conflict(`A user with e-mail ${email} already exists.`, "EMAIL_TAKEN", { email }, [fieldProblem("email", "EMAIL_TAKEN")]);
  await writeAudit(query, actor, "user.create", "user", row.id, { email, role: input.role });
  return { id: row.id, email, name: input.name.trim(), role: input.role as Role, isActive: true, createdAt: row.created_at, lastLoginAt: null };
}

export async function listUsers(query: Query): Promise<UserRow[]> {
  const rows = await query<{ id: number; email: string; name: string; role: Role; is_active: boolean; created_at: Date; last_login_at: Date | null }>(
    "select id, email, name, role, is_active, created_at, last_login_at from users order by id",
  );
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, role: r.role, isActive: r.is_active, createdAt: r.created_at, lastLoginAt: r.last_login_at }));
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
export async function updateUser(query: Query, actor: Viewer, id: number, input: UserUpdate): Promise<UserRow> {
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

  const [before] = await query<{ name: string; role: Role; is_active: boolean }>(
    "select name, role, is_active from users where id = $1 for update",
    [id],
  );
  if (!before) throw notFound(`No user ${id} exists. List users with \`users\`.`, "USER_NOT_FOUND", { id });
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (name !== undefined && name !== before.name) changes["name"] = { from: before.name, to: name };
  if (input.role != null && input.role !== before.role) changes["role"] = { from: before.role, to: input.role };
  if (input.isActive != null && input.isActive !== before.is_active) changes["isActive"] = { from: before.is_active, to: input.isActive };

  const [row] = await query<{ id: number; email: string; name: string; role: Role; is_active: boolean; created_at: Date; last_login_at: Date | null }>(
    `update users set name = coalesce($2, name), role = coalesce($3, role), is_active = coalesce($4, is_active)
      where id = $1
      returning id, email, name, role, is_active, created_at, last_login_at`,
    [id, name ?? null, input.role ?? null, input.isActive ?? null],
  );
  const updated = row as NonNullable<typeof row>;
  if (Object.keys(changes).length > 0) {
    let endedSessions = 0;
    if (changes["isActive"] && input.isActive === false) {
      const ended = await query<{ token_hash: string }>("delete from sessions where user_id = $1 returning token_hash", [id]);
      endedSessions = ended.length;
    }
    await writeAudit(query, actor, "user.update", "user", id, { email: updated.email, changes, ...(endedSessions ? { endedSessions } : {}) });
  }
  return {
    id: updated.id,
    email: updated.email,
    name: updated.name,
    role: updated.role,
    isActive: updated.is_active,
    createdAt: updated.created_at,
    lastLoginAt: updated.last_login_at,
  };
}
