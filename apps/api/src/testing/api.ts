// An API server on a test database, reached over real HTTP on loopback.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createTestDb, type TestDatabase, type TestDatabaseKind } from "@ltvloop/db/testing";
import type { Role } from "@ltvloop/db/schema";
import { readEnv } from "../env.ts";
import { seedDemoUsers } from "../modules/seed/seed.service.ts";
import { createApp } from "../server.ts";
import type { ServingCache } from "../serving-cache.ts";

export const TEST_PASSWORD = "test-password-123";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: {
    message: string;
    extensions?: {
      code?: string;
      reason?: string;
      params?: Record<string, string | number>;
      problems?: { path: string; message: string; reason?: string; params?: Record<string, string | number> }[];
    };
  }[];
  headers: Headers;
}

export interface TestApi {
  url: string;
  db: TestDatabase;
  /** Signs in as the demo user of `role` and returns the session cookie. */
  loginAs: (role: Role) => Promise<string>;
  gql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: { cookie?: string; apiKey?: string; headers?: Record<string, string> },
  ) => Promise<GraphQLResponse<T>>;
  /** The server's in-process caches. */
  cache: ServingCache;
  /** GraphQL POSTs answered by the direct path so far (graphql-direct.ts). */
  directAnswers: () => number;
  /** Of those, the ones a compiled operation answered (graphql-jit, from a query's second request). */
  compiledAnswers: () => number;
  close: () => Promise<void>;
}

export async function createTestApi(kind: TestDatabaseKind, options: { production?: boolean; env?: Record<string, string> } = {}): Promise<TestApi> {
  const db = await createTestDb(kind);
  await seedDemoUsers(db.query, TEST_PASSWORD);
  const env = { ...readEnv(options.env ?? {}), isProduction: options.production ?? false };
  const { listen, stop, cache, directAnswers, compiledAnswers } = await createApp({ handle: db, env });
  const server: Server = await new Promise((resolve) => {
    const s = listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookies = new Map<Role, string>();

  const gql: TestApi["gql"] = async (query, variables, auth) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (auth?.cookie) headers.cookie = auth.cookie;
    if (auth?.apiKey) headers.authorization = `Bearer ${auth.apiKey}`;
    Object.assign(headers, auth?.headers);
    const response = await fetch(`${url}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: never; errors?: never };
    return { status: response.status, data: body.data, errors: body.errors, headers: response.headers };
  };

  const loginAs = async (role: Role) => {
    const cached = cookies.get(role);
    if (cached) return cached;
    const response = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { me { role } } }`, {
      e: `${role}@example.com`,
      p: TEST_PASSWORD,
    });
    const setCookie = response.headers.get("set-cookie");
    if (!setCookie) throw new Error(`login as ${role} failed: ${JSON.stringify(response.errors)}`);
    const cookie = setCookie.split(";")[0] as string;
    cookies.set(role, cookie);
    return cookie;
  };

  return {
    url,
    db,
    loginAs,
    gql,
    cache,
    directAnswers,
    compiledAnswers,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stop();
      await db.destroy();
    },
  };
}
