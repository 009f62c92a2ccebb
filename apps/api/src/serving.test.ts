// Serving at production speed: statements per operation, cache invalidation, /healthz.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshRollups } from "./modules/orders/rollups.service.ts";
import { checkHealth } from "./modules/health/health.service.ts";
import { createTestApi, type TestApi } from "./testing/api.ts";
import { DEMO_AS_OF_DATE, seedScoredDemo } from "./testing/demo.ts";

const LIST = `query { customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }, filter: { rfmSegments: ["at_risk", "loyal", "champions"] }) {
  totalCount nodes { id externalId name score { snapshotId rfmSegment rScore fScore mScore pAlive predictedClv expectedPurchases } } } }`;
const LIST_NO_COUNT = `query { customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }, filter: { rfmSegments: ["at_risk", "loyal", "champions"] }) {
  nodes { id score { snapshotId } } } }`;
const DETAIL = `query($id: ID!) { customer(id: $id) { id name score { predictedClv pAlive } orders(first: 10) { nodes { id orderedAt amount status } } } }`;

interface ListData {
  customers: { totalCount: number; nodes: { id: string; score: { snapshotId: number; rfmSegment: string } | null }[] };
}

const waitFor = async (check: () => Promise<boolean>, ms = 3000): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
};

describe.each(testDatabaseKinds())("serving on %s", (kind) => {
  let api: TestApi;
  let analystKey: string;
  let analystKeyId: number;
  let cookie: string;

  const createKey = async (as: string, name: string) => {
    const res = await api.gql<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      `mutation($n: String!) { createApiKey(name: $n) { key apiKey { id } } }`,
      { n: name },
      { cookie: as },
    );
    expect(res.errors).toBeUndefined();
    return { key: res.data?.createApiKey.key as string, id: Number(res.data?.createApiKey.apiKey.id) };
  };

  /** Statements the server sent for one request, after the background writes have settled. */
  const statements = async (query: string, variables?: Record<string, unknown>, auth: { apiKey?: string; cookie?: string } = { apiKey: analystKey }) => {
    await api.cache.flush();
    const before = api.db.statementCount();
    const res = await api.gql(query, variables, auth);
    expect(res.errors).toBeUndefined();
    return api.db.statementCount() - before;
  };

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 400);
    cookie = await api.loginAs("analyst");
    ({ key: analystKey, id: analystKeyId } = await createKey(cookie, "serving test"));
  });
  afterAll(async () => {
    await api.close();
  });

  describe("statements per operation", () => {
    it("answers `{ __typename }` with an API key from the cache: no statement", async () => {
      await api.gql("{ __typename }", undefined, { apiKey: analystKey });
      expect(await statements("{ __typename }")).toBe(0);
    });

    it("reads a list page and its totalCount with one statement, and the page alone once the snapshot's count is known", async () => {
      api.cache.snapshotsChanged();
      await api.gql("{ __typename }", undefined, { apiKey: analystKey });
      // Once per snapshot: the latest snapshot, and the built-in segments of the RFM segments
      // filtered on (their members serve the page); then the page with its count.
      expect(await statements(LIST)).toBe(3);
      expect(await statements(LIST)).toBe(1);
      expect(await statements(LIST_NO_COUNT)).toBe(1);
      const withSearch = `query { customers(first: 20, filter: { search: "example", prefectures: ["東京都"] }) { totalCount nodes { id } } }`;
      expect(await statements(withSearch)).toBe(1);
      expect(await statements(withSearch)).toBe(1);
    });

    it("counts right: the list's totalCount equals the matching rows, with or without the remembered count", async () => {
      const [expected] = await api.db.query<{ n: number }>(
        `select count(*)::int as n from customer_scores
          where snapshot_id = (select id from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1)
            and rfm_segment in ('at_risk', 'loyal', 'champions')`,
      );
      for (let i = 0; i < 2; i++) {
        const res = await api.gql<ListData>(LIST, undefined, { apiKey: analystKey });
        expect(res.data?.customers.totalCount).toBe(expected?.n);
        expect(res.data?.customers.nodes.length).toBe(Math.min(50, expected?.n ?? 0));
      }
    });

    it("reads a customer with the last 10 orders with one statement (no order count unless asked for)", async () => {
      const [row] = await api.db.query<{ id: number }>("select customer_id as id from orders group by customer_id order by count(*) desc limit 1");
      await api.gql(DETAIL, { id: String(row?.id) }, { apiKey: analystKey });
      expect(await statements(DETAIL, { id: String(row?.id) })).toBe(1);
      const res = await api.gql<{ customer: { orders: { nodes: { id: string }[] } } }>(DETAIL, { id: String(row?.id) }, { apiKey: analystKey });
      const newest = await api.db.query<{ id: number }>("select id from orders where customer_id = $1 order by ordered_at desc, id desc limit 10", [row?.id]);
      expect(res.data?.customer.orders.nodes.map((n) => Number(n.id))).toEqual(newest.map((o) => o.id));
      // A later page (after) and the order count still work, through their own statements.
      const paged = await api.gql<{ customer: { orders: { totalCount: number; pageInfo: { endCursor: string }; nodes: { id: string }[] } } }>(
        `query($id: ID!) { customer(id: $id) { orders(first: 3) { totalCount pageInfo { endCursor } nodes { id } } } }`,
        { id: String(row?.id) },
        { apiKey: analystKey },
      );
      const [n] = await api.db.query<{ n: number }>("select count(*)::int as n from orders where customer_id = $1", [row?.id]);
      expect(paged.data?.customer.orders.totalCount).toBe(n?.n);
      const next = await api.gql<{ customer: { orders: { nodes: { id: string }[] } } }>(
        `query($id: ID!, $after: String) { customer(id: $id) { orders(first: 3, after: $after) { nodes { id } } } }`,
        { id: String(row?.id), after: paged.data?.customer.orders.pageInfo.endCursor },
        { apiKey: analystKey },
      );
      expect(next.data?.customer.orders.nodes.map((o) => Number(o.id))).toEqual(newest.slice(3, 6).map((o) => o.id));
    });

    it("reads the segments page (segments with stats) with a constant number of statements", async () => {
      const SEGMENTS = `query { segments(first: 50) { totalCount nodes { id name stats { customers customerShare revenueShare meanPredictedClv } } } }`;
      await api.gql(SEGMENTS, undefined, { apiKey: analystKey });
      // The page with its count, then one statement for every segment's stats.
      expect(await statements(SEGMENTS)).toBe(2);
    });
  });

  describe("cache invalidation", () => {
    it("stops a revoked API key on the very next request", async () => {
      const { key, id } = await createKey(cookie, "to revoke");
      expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).data).toEqual({ me: { role: "ANALYST" } });
      const revoked = await api.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: String(id) }, { cookie });
      expect(revoked.errors).toBeUndefined();
      const after = await api.gql("{ me { role } }", undefined, { apiKey: key });
      expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    });

    it("stops a key revoked by another process (SQL by hand) through the database's notification", async () => {
      const { key, id } = await createKey(cookie, "revoked elsewhere");
      expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).errors).toBeUndefined();
      await api.db.query("update api_keys set revoked_at = now() where id = $1", [id]);
      const stopped = await waitFor(async () => (await api.gql("{ me { role } }", undefined, { apiKey: key })).errors?.[0]?.extensions?.code === "UNAUTHENTICATED");
      expect(stopped).toBe(true);
    });

    it("serves the KPIs again after an order written by SQL by hand, through the database's notification rather than the cache's expiry", async () => {
      const q = `{ kpiOverview(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z", granularity: QUARTER) { totals { orders } } }`;
      const orders = async () => {
        const res = await api.gql<{ kpiOverview: { totals: { orders: number } } }>(q, undefined, { apiKey: analystKey });
        expect(res.errors).toBeUndefined();
        return res.data?.kpiOverview.totals.orders ?? -1;
      };
      const before = await orders();
      expect(before).toBeGreaterThan(0);
      expect(await orders()).toBe(before); // now served from the cache
      const [customer] = await api.db.query<{ id: number }>("select id from customers order by id limit 1");
      // As an import writes it: the order, then its customer's rollups (which the KPIs read).
      await api.db.query("insert into orders (external_id, customer_id, ordered_at, amount) values ('serving-test-hand', $1, '2024-06-01T12:00:00Z', 1000)", [customer?.id]);
      await refreshRollups(api.db.query, "Asia/Tokyo", [Number(customer?.id)]);
      try {
        expect(await waitFor(async () => (await orders()) === before + 1)).toBe(true);
      } finally {
        await api.db.query("delete from orders where external_id = 'serving-test-hand'");
        await refreshRollups(api.db.query, "Asia/Tokyo", [Number(customer?.id)]);
      }
    });

    it("refuses a deactivated user's session and API key on the next request, and lets them back in on reactivation", async () => {
      const admin = await api.loginAs("admin");
      const reviewer = await api.loginAs("reviewer");
      const { key } = await createKey(reviewer, "reviewer script");
      expect((await api.gql("{ me { role } }", undefined, { cookie: reviewer })).errors).toBeUndefined();
      expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).errors).toBeUndefined();
      const [user] = await api.db.query<{ id: number }>("select id from users where email = 'reviewer@example.com'");
      const off = await api.gql(`mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { isActive } }`, { id: String(user?.id) }, { cookie: admin });
      expect(off.errors).toBeUndefined();
      expect((await api.gql("{ me { role } }", undefined, { cookie: reviewer })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      await api.gql(`mutation($id: ID!) { updateUser(id: $id, input: { isActive: true }) { isActive } }`, { id: String(user?.id) }, { cookie: admin });
      expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).data).toEqual({ me: { role: "REVIEWER" } });
    });

    it("applies a role change to the next request", async () => {
      const admin = await api.loginAs("admin");
      const operator = await api.loginAs("operator");
      expect((await api.gql("{ me { role } }", undefined, { cookie: operator })).data).toEqual({ me: { role: "OPERATOR" } });
      const [user] = await api.db.query<{ id: number }>("select id from users where email = 'operator@example.com'");
      await api.gql(`mutation($id: ID!) { updateUser(id: $id, input: { role: ANALYST }) { role } }`, { id: String(user?.id) }, { cookie: admin });
      expect((await api.gql("{ me { role } }", undefined, { cookie: operator })).data).toEqual({ me: { role: "ANALYST" } });
      await api.gql(`mutation($id: ID!) { updateUser(id: $id, input: { role: OPERATOR }) { role } }`, { id: String(user?.id) }, { cookie: admin });
      expect((await api.gql("{ me { role } }", undefined, { cookie: operator })).data).toEqual({ me: { role: "OPERATOR" } });
    });

    it("serves a new snapshot's scores on the first request after it succeeds", async () => {
      const before = await api.gql<ListData>(LIST, undefined, { apiKey: analystKey });
      const oldId = before.data?.customers.nodes[0]?.score?.snapshotId;
      const operator = await api.loginAs("operator");
      const created = await api.gql<{ createSnapshot: { id: string } }>(
        `mutation($d: DateTimeISO) { createSnapshot(input: { asOf: $d }) { id } }`,
        { d: new Date(`${DEMO_AS_OF_DATE}T00:00:00+09:00`).toISOString() },
        { cookie: operator },
      );
      expect(created.errors).toBeUndefined();
      const id = Number(created.data?.createSnapshot.id);
      const done = await waitFor(async () => {
        const res = await api.gql<{ snapshot: { status: string; error: string | null } }>(`query($id: ID!) { snapshot(id: $id) { status error } }`, { id: String(id) }, { cookie });
        if (res.data?.snapshot.status === "FAILED") throw new Error(res.data.snapshot.error ?? "snapshot failed");
        return res.data?.snapshot.status === "SUCCEEDED";
      }, 60_000);
      expect(done).toBe(true);
      const after = await api.gql<ListData>(LIST, undefined, { apiKey: analystKey });
      expect(Number(oldId)).not.toBe(id);
      expect(Number(after.data?.customers.nodes[0]?.score?.snapshotId)).toBe(id);
    }, 90_000);

    it("writes last_used_at after the request, at most once a minute per key", async () => {
      const { key, id } = await createKey(cookie, "usage");
      for (let i = 0; i < 3; i++) expect((await api.gql("{ me { role } }", undefined, { apiKey: key })).errors).toBeUndefined();
      const lastUsed = async () => (await api.db.query<{ t: Date | null }>("select last_used_at as t from api_keys where id = $1", [id]))[0]?.t ?? null;
      expect(await waitFor(async () => (await lastUsed()) !== null)).toBe(true);
      const first = await lastUsed();
      for (let i = 0; i < 5; i++) await api.gql("{ me { role } }", undefined, { apiKey: key });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await api.cache.flush();
      expect((await lastUsed())?.getTime()).toBe(first?.getTime());
      expect(analystKeyId).toBeGreaterThan(0);
    });
  });

  describe("/healthz", () => {
    it("answers status to anyone, and row counts only to signed-in users", async () => {
      const anonymous = await fetch(`${api.url}/healthz`);
      expect(anonymous.status).toBe(200);
      expect(await anonymous.json()).toEqual({ status: "ok", database: api.db.kind });
      const signedIn = await fetch(`${api.url}/healthz`, { headers: { cookie } });
      const [real] = await api.db.query<{ customers: number; orders: number }>(
        "select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders",
      );
      expect(await signedIn.json()).toEqual({ status: "ok", database: api.db.kind, counts: real });
    });

    it("reads maintained counts, never the customers or orders tables, and they follow inserts, deletes and compaction", async () => {
      const seen: string[] = [];
      const recording = <Row>(text: string, params?: readonly unknown[]) => {
        seen.push(text);
        return api.db.query<Row>(text, params);
      };
      const count = async () => (await checkHealth(recording, api.db.kind, { counts: true })).counts;
      const start = await count();
      const [c] = await api.db.query<{ id: number }>("insert into customers (external_id, name) values ('health-1', 'x'), ('health-2', 'y') returning id");
      await api.db.query(
        "insert into orders (external_id, customer_id, ordered_at, amount) values ('health-o1', $1, now(), 10), ('health-o2', $1, now(), 20)",
        [c?.id],
      );
      expect(await count()).toEqual({ customers: (start?.customers ?? 0) + 2, orders: (start?.orders ?? 0) + 2 });
      await api.db.query("delete from orders where external_id = 'health-o2'");
      await api.db.query("delete from customers where external_id = 'health-2'");
      const { compactRowCounts } = await import("./modules/health/health.service.ts");
      await compactRowCounts(api.db.query);
      expect(await count()).toEqual({ customers: (start?.customers ?? 0) + 1, orders: (start?.orders ?? 0) + 1 });
      const [rows] = await api.db.query<{ n: number }>("select count(*)::int as n from row_count_deltas");
      expect(rows?.n).toBe(2);
      for (const text of seen) expect(text).not.toMatch(/\b(from|join)\s+(customers|orders)\b/i);
    });
  });

  describe("bounded arguments", () => {
    const SEARCH = `query($f: CustomerFilter) { customers(first: 5, filter: $f) { totalCount nodes { name externalId } } }`;

    it("refuses a search text over 100 characters, and huge ones quickly, with BAD_USER_INPUT", async () => {
      const long = await api.gql(SEARCH, { f: { search: "x".repeat(101) } }, { cookie });
      expect(long.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(long.errors?.[0]?.extensions?.problems?.[0]?.path).toBe("filter.search");
      const started = performance.now();
      const huge = await api.gql(SEARCH, { f: { search: "x".repeat(500_000) } }, { cookie });
      expect(huge.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it("refuses list arguments with too many or too long items, and ids that are not ids", async () => {
      const many = await api.gql(SEARCH, { f: { rfmSegments: Array.from({ length: 51 }, (_, i) => `s${i}`) } }, { cookie });
      expect(many.errors?.[0]?.extensions?.problems?.[0]?.path).toBe("filter.rfmSegments");
      const longItem = await api.gql(SEARCH, { f: { prefectures: ["東".repeat(101)] } }, { cookie });
      expect(longItem.errors?.[0]?.extensions?.problems?.[0]?.path).toBe("filter.prefectures[0]");
      const badId = await api.gql(`{ orders(first: 5, filter: { customerId: "x" }) { totalCount } }`, undefined, { cookie });
      expect(badId.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const bigId = await api.gql(`{ orders(first: 5, filter: { customerId: "9007199254740993" }) { totalCount } }`, undefined, { cookie });
      expect(bigId.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    });

    it("finds customers by part of a Japanese name, served by the trigram index", async () => {
      const [someone] = await api.db.query<{ id: number; name: string }>("select id, name from customers where length(name) >= 4 order by id limit 1");
      const part = someone?.name ?? "";
      expect(part).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      const res = await api.gql<{ customers: { nodes: { name: string }[] } }>(SEARCH, { f: { search: part } }, { cookie });
      expect(res.errors).toBeUndefined();
      expect(res.data?.customers.nodes.length).toBeGreaterThan(0);
      for (const node of res.data?.customers.nodes ?? []) expect(node.name).toContain(part);
      const plan = await api.db.transaction(async ({ query }) => {
        // Only a bitmap scan is left to the planner: the trigram index must be usable for it.
        await query("set local enable_seqscan = off");
        await query("set local enable_indexscan = off");
        await query("set local enable_indexonlyscan = off");
        const rows = await query<Record<string, string>>("explain select id from customers c where c.name ilike $1", [`%${part}%`]);
        return rows.map((r) => Object.values(r)[0]).join("\n");
      });
      expect(plan).toContain("customers_name_trgm_idx");
    });
  });
});
