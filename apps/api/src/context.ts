import type { Database, DbHandle, DatabaseKind, Query } from "@ltvloop/db/client";
import type { Role } from "@ltvloop/db/schema";
import type { Env } from "./env.ts";
import type { LoginThrottle } from "./modules/auth/rate-limit.ts";
import type { ServingCache } from "./serving-cache.ts";

/** Who is calling: a person through a session, or a script through an API key. */
export interface Viewer {
  userId: number;
  email: string;
  role: Role;
  via: "session" | "api_key";
  apiKeyId?: number;
  sessionTokenHash?: string;
}

/** Everything a resolver may use; services receive the parts they need. */
export interface Context {
  db: Database;
  query: Query;
  handle: DbHandle;
  databaseKind: DatabaseKind;
  env: Env;
  viewer: Viewer | null;
  /** Sign-ins, the latest snapshot and snapshot counts cached in this process (serving-cache.ts). */
  cache: ServingCache;
  /** Why there is no viewer although credentials were sent (a bearer key that matches no live key). */
  credentialProblem?: "INVALID_API_KEY";
  /** Per-request DataLoaders, created on first use (see graphql/loaders.ts). */
  loaders: Map<string, unknown>;
  /** The HTTP side of the request: absent when operations run in-process (tests, scripts). */
  http?: {
    ip: string | undefined;
    userAgent: string | undefined;
    setSessionCookie: (token: string, expiresAt: Date) => void;
    clearSessionCookie: () => void;
    /** This server's failed-login counters (per account, per address). */
    loginThrottle: LoginThrottle;
  };
}
