import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { ALL_COLUMN_GROUPS, columnGroupsFor, customerColumns } from "./customer.columns.ts";

interface Page {
  customers: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { id: string; externalId: string; score: { predictedClv: number | null; rfmSegment: string; pAlive: number | null } | null }[];
  };
}

describe("the columns a customer read selects", () => {
  it("reads only the groups the fields need, and every group for a field it does not know", () => {
    expect([...columnGroupsFor(["id", "name", "score", "orders"], ["predictedClv", "asOf"])]).toEqual(["score", "score:predictedClv"]);
    expect([...columnGroupsFor(["id", "score"], ["scoreFieldAddedLater"])]).toContain("score:historicalClv");
    expect([...columnGroupsFor(["id"], ["predictedClv"])]).toEqual([]);
    expect([...columnGroupsFor(["__typename", "externalId"])]).toEqual([]);
    expect(columnGroupsFor(["id", "someFieldAddedLater"])).toBe(ALL_COLUMN_GROUPS);
    expect(customerColumns(new Set())).toBe("c.id, c.external_id, c.name");
    expect(customerColumns()).toMatch(/c\.attributes[\s\S]*r\.first_order_at[\s\S]*s\.snapshot_id[\s\S]*s\.predicted_clv/);
  });
});

describe.each(testDatabaseKinds())("customers and orders over HTTP on %s", (kind) => {
  let api: TestApi;
  let cookie: string;
  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 1200);
    cookie = await api.loginAs("analyst");
  });
  afterAll(async () => {
    await api.close();
  });

  const PAGE = `query($first: Int!, $after: String, $filter: CustomerFilter, $orderBy: CustomerOrderBy) {
    customers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id externalId score { predictedClv rfmSegment pAlive } }
    }
  }`;

  // Reads select only the column groups the query's fields need (customerColumns): however the
  // fields are asked for (directly, through fragments, under edges, in the detail), each one
  // must come back with the value a read of every column gives.
  it("answers every field the same whether the query asks for a few fields or all of them", async () => {
    const ALL = `id externalId name email attributes prefecture acquisitionChannel acquisitionCost acquiredAt
      emailOptIn lineOptIn smsOptIn dmOptIn firstOrderAt lastOrderAt orderCount revenue
      score { snapshotId asOf recencyDays frequency monetary rScore fScore mScore rfmSegment decile repeatPurchases recencyT ageT
              pAlive expectedPurchases expectedSpend predictedClv historicalClv revenue orderCount }`;
    const list = (selection: string, fragments = "") =>
      `query { customers(first: 25, orderBy: { field: PREDICTED_CLV, direction: DESC }) { ${selection} } } ${fragments}`;
    const full = await api.gql<{ customers: { nodes: Record<string, unknown>[] } }>(list(`nodes { ${ALL} }`), {}, { cookie });
    expect(full.errors).toBeUndefined();
    const everything = full.data!.customers.nodes;
    expect(everything).toHaveLength(25);
    // Every group holds real values in the demo, so a pruned read cannot pass by returning empties.
    expect(everything.some((n) => n.email !== null && n.acquisitionChannel !== null && (n.orderCount as number) > 0)).toBe(true);
    const pick = (keys: string[]) => everything.map((n) => Object.fromEntries(keys.map((k) => [k, n[k]])));

    const scoresOnly = await api.gql<{ customers: { nodes: Record<string, unknown>[] } }>(
      list("nodes { id name score { rfmSegment predictedClv pAlive } }"),
      {},
      { cookie },
    );
    expect(scoresOnly.data!.customers.nodes).toEqual(
      everything.map((n) => {
        const score = n.score as Record<string, unknown>;
        return { id: n.id, name: n.name, score: { rfmSegment: score.rfmSegment, predictedClv: score.predictedClv, pAlive: score.pAlive } };
      }),
    );
    const viaFragments = await api.gql<{ customers: { edges: { node: Record<string, unknown> }[] } }>(
      list("edges { node { id ...Contact ... on Customer { acquisitionCost acquiredAt } } }", "fragment Contact on Customer { email dmOptIn orderCount lastOrderAt prefecture }"),
      {},
      { cookie },
    );
    expect(viaFragments.errors).toBeUndefined();
    expect(viaFragments.data!.customers.edges.map((e) => e.node)).toEqual(
      pick(["id", "email", "dmOptIn", "orderCount", "lastOrderAt", "prefecture", "acquisitionCost", "acquiredAt"]),
    );
    const one = everything[3] as Record<string, unknown>;
    const detail = await api.gql<{ customer: Record<string, unknown> }>(
      `query { customer(id: "${one.id}") { revenue attributes smsOptIn score { decile ageT } } }`,
      {},
      { cookie },
    );
    const oneScore = one.score as Record<string, unknown>;
    expect(detail.data!.customer).toEqual({ revenue: one.revenue, attributes: one.attributes, smsOptIn: one.smsOptIn, score: { decile: oneScore.decile, ageT: oneScore.ageT } });
    const fullDetail = await api.gql<{ customer: Record<string, unknown> }>(`query { customer(id: "${one.id}") { ${ALL} } }`, {}, { cookie });
    expect(fullDetail.data!.customer).toEqual(one);
  });

  it("pages through a filtered, sorted list with a stable order and no duplicates", async () => {
    const filter = { rfmSegments: ["at_risk", "hibernating", "lost"] };
    const orderBy = { field: "PREDICTED_CLV", direction: "DESC" };
    const seen: Page["customers"]["nodes"] = [];
    let after: string | null = null;
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const res = await api.gql<Page>(PAGE, { first: 37, after, filter, orderBy }, { cookie });
      expect(res.errors).toBeUndefined();
      const page = res.data?.customers as Page["customers"];
      total = page.totalCount;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const [expected] = await api.db.query<{ n: number }>(
      `select count(*)::int as n from customer_scores where rfm_segment in ('at_risk', 'hibernating', 'lost')
         and snapshot_id = (select max(id) from snapshots)`,
    );
    expect(total).toBe(expected?.n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((n) => n.id)).size).toBe(total);
    for (const node of seen) expect(["at_risk", "hibernating", "lost"]).toContain(node.score?.rfmSegment);
    const clvs = seen.map((n) => n.score?.predictedClv ?? Number.NEGATIVE_INFINITY);
    for (let i = 1; i < clvs.length; i++) expect(clvs[i]).toBeLessThanOrEqual(clvs[i - 1] as number);
  });

  // A segment's members by CLV are read from the members' own copy of the CLV: the pages must
  // give exactly the order plain SQL over the scores gives, and follow a segment whose
  // definition changed (its members are rewritten for the same snapshot).
  it("pages through a segment's members by predicted CLV in the scores' order, before and after the segment changes", async () => {
    const operator = await api.loginAs("operator");
    const membersInOrder = (segmentId: string) =>
      api.db.query<{ id: string }>(
        `select m.customer_id::text as id from segment_members m
           join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
          where m.segment_id = $1 and m.snapshot_id = (select max(id) from snapshots)
          order by coalesce(s.predicted_clv, -1e15) desc, s.customer_id desc`,
        [Number(segmentId)],
      );
    const pages = async (segmentId: string) => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = -1;
      for (let i = 0; i < 100; i++) {
        const res = await api.gql<Page>(PAGE, { first: 29, after, filter: { segmentId }, orderBy: { field: "PREDICTED_CLV", direction: "DESC" } }, { cookie });
        expect(res.errors).toBeUndefined();
        const page = res.data?.customers as Page["customers"];
        total = page.totalCount;
        ids.push(...page.nodes.map((n) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return { ids, total };
    };
    const [lost] = await api.db.query<{ id: string }>("select id::text as id from segments where key = 'lost'");
    const expectedLost = (await membersInOrder(lost?.id as string)).map((r) => r.id);
    expect(expectedLost.length).toBeGreaterThan(100);
    expect(await pages(lost?.id as string)).toEqual({ ids: expectedLost, total: expectedLost.length });

    const rule = (value: number) => ({ all: [{ field: "pAlive", op: "gte", value }] });
    const created = await api.gql<{ createSegment: { id: string } }>(
      `mutation($d: JSON!) { createSegment(input: { name: "生存確率の高い顧客", kind: RULE, definition: $d }) { id } }`,
      { d: rule(0.8) },
      { cookie: operator },
    );
    expect(created.errors).toBeUndefined();
    const id = created.data?.createSegment.id as string;
    const before = (await membersInOrder(id)).map((r) => r.id);
    expect(before.length).toBeGreaterThan(30);
    expect(await pages(id)).toEqual({ ids: before, total: before.length });
    const updated = await api.gql(`mutation($id: ID!, $d: JSON!) { updateSegment(id: $id, input: { definition: $d }) { id } }`, { id, d: rule(0.95) }, { cookie: operator });
    expect(updated.errors).toBeUndefined();
    const after = (await membersInOrder(id)).map((r) => r.id);
    expect(after.length).toBeLessThan(before.length);
    expect(await pages(id)).toEqual({ ids: after, total: after.length });
  });

  it("issues the same number of SQL statements for 10 and 100 customers with scores and last orders", async () => {
    const query = `query($first: Int!) { customers(first: $first, orderBy: { field: REVENUE, direction: DESC }) {
      nodes { externalId score { predictedClv pAlive rfmSegment } orders(first: 3) { totalCount nodes { orderedAt amount } }
              scoreHistory { snapshotId } segmentHistory { segmentName } campaignExposures { campaignId } } } }`;
    const count = async (first: number) => {
      const before = api.db.statementCount();
      const res = await api.gql<{ customers: { nodes: { orders: { nodes: unknown[] } }[] } }>(query, { first }, { cookie });
      expect(res.errors).toBeUndefined();
      expect(res.data?.customers.nodes).toHaveLength(first);
      expect(res.data?.customers.nodes[0]?.orders.nodes.length).toBeGreaterThan(0);
      return api.db.statementCount() - before;
    };
    const small = await count(10);
    const large = await count(100);
    expect(large).toBe(small);
    expect(large).toBeLessThan(15);
  });

  it("shows one customer with orders, score history and segments", async () => {
    const [row] = await api.db.query<{ id: number; n: number }>(
      "select customer_id as id, count(*)::int as n from orders group by customer_id order by count(*) desc limit 1",
    );
    const res = await api.gql<{
      customer: { externalId: string; orders: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { id: string }[] }; scoreHistory: { rfmSegment: string }[]; segmentHistory: { segmentKey: string | null }[] };
    }>(
      `query($id: ID!) { customer(id: $id) { externalId orders(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { id } }
        scoreHistory { rfmSegment } segmentHistory { segmentKey } } }`,
      { id: String(row?.id) },
      { cookie },
    );
    expect(res.errors).toBeUndefined();
    const customer = res.data?.customer;
    expect(customer?.orders.totalCount).toBe(row?.n);
    expect(customer?.orders.pageInfo.hasNextPage).toBe(true);
    expect(customer?.scoreHistory).toHaveLength(1);
    expect(customer?.segmentHistory.map((s) => s.segmentKey)).toContain(customer?.scoreHistory[0]?.rfmSegment);
    const next = await api.gql<{ customer: { orders: { nodes: { id: string }[] } } }>(
      `query($id: ID!, $after: String) { customer(id: $id) { orders(first: 2, after: $after) { nodes { id } } } }`,
      { id: String(row?.id), after: customer?.orders.pageInfo.endCursor },
      { cookie },
    );
    const firstIds = customer?.orders.nodes.map((n) => n.id) ?? [];
    for (const node of next.data?.customer.orders.nodes ?? []) expect(firstIds).not.toContain(node.id);
  });

  it("rejects bad input with BAD_USER_INPUT and says what to fix", async () => {
    const tooMany = await api.gql(PAGE, { first: 101 }, { cookie });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toMatch(/first must be from 1 to 100/);
    const badCursor = await api.gql(PAGE, { first: 5, after: "not-a-cursor" }, { cookie });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badRange = await api.gql(PAGE, { first: 5, filter: { decileMin: 8, decileMax: 2 } }, { cookie });
    // A customer filter refusal: the reason for the whole request, and each field's code and parameters.
    expect(badRange.errors?.[0]?.extensions?.reason).toBe("INVALID_FIELDS");
    expect(badRange.errors?.[0]?.extensions?.problems).toEqual([
      { path: "filter.decileMin", message: "is above decileMax", reason: "MIN_ABOVE_MAX", params: { other: "decileMax", field: "decile", min: 8, max: 2 } },
    ]);
    const badEnum = await api.gql(PAGE, { first: 5, orderBy: { field: "SALARY" } }, { cookie });
    expect(badEnum.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const missing = await api.gql(`{ customer(id: "999999") { id } }`, {}, { cookie });
    expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
  });

  it("lets operators and admins start snapshots, not analysts or reviewers", async () => {
    const mutation = `mutation { createSnapshot(input: { horizonMonths: 6 }) { id status } }`;
    for (const role of ["analyst", "reviewer"] as const) {
      const res = await api.gql(mutation, {}, { cookie: await api.loginAs(role) });
      expect(res.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
    }
    const anonymous = await api.gql(mutation);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const bad = await api.gql(`mutation { createSnapshot(input: { horizonMonths: 0 }) { id } }`, {}, { cookie: await api.loginAs("operator") });
    expect(bad.errors?.[0]?.extensions?.reason).toBe("INVALID_FIELDS");
    expect(bad.errors?.[0]?.extensions?.problems).toEqual([{ path: "horizonMonths", message: "must be 1–120 months", reason: "MONTHS", params: { min: 1, max: 120 } }]);
    const started = await api.gql<{ createSnapshot: { id: string; status: string } }>(mutation, {}, { cookie: await api.loginAs("operator") });
    expect(started.data?.createSnapshot.status).toBe("PENDING");
    let status = "PENDING";
    for (let i = 0; i < 120 && (status === "PENDING" || status === "RUNNING"); i++) {
      await new Promise((r) => setTimeout(r, 250));
      const polled = await api.gql<{ snapshot: { status: string; progress: number } }>(
        `query($id: ID!) { snapshot(id: $id) { status progress } }`,
        { id: started.data?.createSnapshot.id },
        { cookie },
      );
      status = polled.data?.snapshot.status ?? "?";
    }
    expect(status).toBe("SUCCEEDED");
    const latest = await api.gql<{ latestSnapshot: { id: string; parameters: { horizonMonths: number } } }>(
      "{ latestSnapshot { id parameters } }",
      {},
      { cookie },
    );
    expect(latest.data?.latestSnapshot.id).toBe(started.data?.createSnapshot.id);
    expect(latest.data?.latestSnapshot.parameters.horizonMonths).toBe(6);
  });
  // Counts of whole RFM segments come from the stats kept with the built-in segments' members;
  // a snapshot taken while a built-in segment was archived has none, and is counted instead.
  it("counts customers of RFM segments as the scores do, with and without kept segment stats", async () => {
    const operator = await api.loginAs("operator");
    const totalFor = async (rfmSegments: string[]) => {
      const res = await api.gql<Page>(PAGE, { first: 1, filter: { rfmSegments } }, { cookie });
      expect(res.errors).toBeUndefined();
      return res.data?.customers.totalCount;
    };
    const counted = async (keys: string[]) =>
      (
        await api.db.query<{ n: number }>(
          "select count(*)::int as n from customer_scores where rfm_segment = any($1::text[]) and snapshot_id = (select max(id) from snapshots)",
          [keys],
        )
      )[0]?.n;
    expect(await totalFor(["lost", "champions"])).toBe(await counted(["lost", "champions"]));
    const [lost] = await api.db.query<{ id: string }>("select id::text as id from segments where key = 'lost'");
    const archive = (archived: boolean) =>
      api.gql(`mutation($id: ID!, $a: Boolean!) { archiveSegment(id: $id, archived: $a) { id } }`, { id: lost?.id, a: archived }, { cookie: operator });
    expect((await archive(true)).errors).toBeUndefined();
    try {
      const snapshot = await createSnapshot(api.db, null, {});
      await executeSnapshot(api.db, snapshot.id);
      expect(await api.db.query("select 1 from segment_stats where segment_id = $1 and snapshot_id = $2", [Number(lost?.id), snapshot.id])).toEqual([]);
      const expected = await counted(["lost", "champions"]);
      expect(expected).toBeGreaterThan(0);
      expect(await totalFor(["lost", "champions"])).toBe(expected);
      expect(await totalFor(["champions", "champions"])).toBe(await counted(["champions"]));
    } finally {
      await archive(false);
    }
  });
});

describe("customer CSV export", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi("pglite");
    await seedScoredDemo(api.db, 300);
  });
  afterAll(async () => {
    await api.close();
  });

  it("streams every customer with scores to signed-in users only, with a BOM for Excel", async () => {
    const anonymous = await fetch(`${api.url}/export/customers.csv`);
    expect(anonymous.status).toBe(401);
    const res = await fetch(`${api.url}/export/customers.csv`, { headers: { cookie: await api.loginAs("analyst") } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="customers.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(lines[0]).toMatch(/^external_id,name,email,prefecture/);
    const [count] = await api.db.query<{ n: number }>("select count(*)::int as n from customers");
    expect(lines).toHaveLength((count?.n ?? 0) + 1);
    const bad = await fetch(`${api.url}/export/customers.csv?segmentId=abc`, { headers: { cookie: await api.loginAs("analyst") } });
    expect(bad.status).toBe(400);
  });
});
