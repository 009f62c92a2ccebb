// A client that goes away stops its statements on PostgreSQL: the request's cancellation signal
// is set up at its first statement (not for every request), and must still reach the database.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing/api.ts";

const waitFor = async (check: () => Promise<boolean>, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
};

describe.runIf(testDatabaseKinds().includes("postgres"))("a GraphQL request whose client goes away (PostgreSQL)", () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await createTestApi("postgres", { production: true });
    const cookie = await api.loginAs("analyst");
    const created = await api.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(name: "cancel") { key } }`, {}, { cookie });
    key = created.data?.createApiKey.key as string;
  }, 120_000);
  afterAll(async () => {
    await api.close();
  });

  /** Statements of this schema's customers list waiting for a lock. */
  const waiting = async () => {
    const [row] = await api.db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%from customers c%' and pid <> pg_backend_pid()`,
    );
    return row?.n ?? 0;
  };

  it("cancels the statement on the database when the client disconnects", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Another session holds the customers table: the list's statement waits for it.
    const holder = api.db.transaction(async (tx) => {
      await tx.query("lock table customers in access exclusive mode");
      locked();
      await released;
    });
    try {
      await isLocked;
      const client = new AbortController();
      const request = fetch(`${api.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ customers(first: 5) { nodes { id } } }" }),
        signal: client.signal,
      }).catch((error: unknown) => error);
      expect(await waitFor(async () => (await waiting()) === 1, 10_000)).toBe(true);
      client.abort();
      await request;
      // The lock is still held: only the cancellation can have ended the wait.
      expect(await waitFor(async () => (await waiting()) === 0, 5_000)).toBe(true);
    } finally {
      release();
      await holder;
    }
  });
});
