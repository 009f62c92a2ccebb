import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import { DEFAULT_RF_SEGMENT_MAP } from "@ltvloop/scoring/rfm";
import { segmentCondition, type SegmentDefinition } from "./segment-members.service.ts";
import { compileRule } from "./segment-rule.ts";

interface Stats {
  customers: number;
  revenueShare: number;
}

describe("segment rules", () => {
  it("compiles a rule tree to parameterised SQL", () => {
    const rule = { all: [{ field: "rfmSegment", op: "in", value: ["at_risk", "lost"] }, { not: { field: "pAlive", op: "lt", value: 0.2 } }] };
    expect(compileRule(rule)).toEqual({
      sql: "((s.rfm_segment = any($1::text[])) and (not coalesce((s.p_alive < $2::numeric), false)))",
      params: [["at_risk", "lost"], 0.2],
    });
  });

  it("names every offending path at once", () => {
    const rule = { any: [{ field: "salary", op: "gt", value: 1 }, { field: "decile", op: "contains", value: "x" }, { field: "pAlive", op: "between", value: [0.9, 0.1] }] };
    try {
      compileRule(rule);
      expect.unreachable();
    } catch (error) {
      const problems = (error as { problems: { path: string }[] }).problems.map((p) => p.path);
      expect(problems).toEqual(["definition.any[0].field", "definition.any[1].op", "definition.any[2].value"]);
    }
  });

  it("escapes LIKE wildcards and never splices values into SQL", () => {
    const compiled = compileRule({ field: "prefecture", op: "contains", value: "50%_'; drop table x" });
    expect(compiled.sql).not.toContain("drop table");
    expect(compiled.params).toEqual(["50\\%\\_'; drop table x"]);
  });
});

describe.each(testDatabaseKinds())("segments over HTTP on %s", (kind) => {
  let api: TestApi;
  let operator: string;
  let snapshotId: number;
  beforeAll(async () => {
    api = await createTestApi(kind);
    snapshotId = (await seedScoredDemo(api.db, 1000)).id;
    operator = await api.loginAs("operator");
  });
  afterAll(async () => {
    await api.close();
  });

  const count = async (sql: string, params: unknown[] = []) => ((await api.db.query<{ n: number }>(sql, params))[0] as { n: number }).n;

  it("creates the named RFM segments, which partition the scored customers", async () => {
    const res = await api.gql<{ segments: { nodes: { key: string; name: string; stats: Stats }[] } }>(
      "{ segments(first: 50) { nodes { key name stats { customers revenueShare } } } }",
      {},
      { cookie: operator },
    );
    const nodes = res.data?.segments.nodes ?? [];
    expect(nodes.map((n) => n.key).sort()).toEqual(["at_risk", "champions", "hibernating", "lost", "loyal", "need_attention", "new", "promising"]);
    expect(nodes.find((n) => n.key === "at_risk")?.name).toBe("離反予備軍 At risk");
    const total = nodes.reduce((s, n) => s + n.stats.customers, 0);
    expect(total).toBe(await count("select count(*)::int as n from customer_scores where snapshot_id = $1", [snapshotId]));
    expect(nodes.reduce((s, n) => s + n.stats.revenueShare, 0)).toBeCloseTo(1, 6);
  });

  it("creates a rule segment whose members, stats and preview agree with SQL", async () => {
    const definition = { all: [{ field: "rfmSegment", op: "in", value: ["at_risk", "hibernating"] }, { field: "emailOptIn", op: "eq", value: true }] };
    const preview = await api.gql<{ segmentPreview: Stats }>(
      "query($d: JSON!) { segmentPreview(kind: RULE, definition: $d) { customers revenueShare } }",
      { d: definition },
      { cookie: operator },
    );
    const created = await api.gql<{ createSegment: { id: string; stats: Stats; members: { totalCount: number } } }>(
      `mutation($d: JSON!) { createSegment(input: { name: "メール可の離反予備軍", kind: RULE, definition: $d }) {
         id stats { customers revenueShare } members(first: 5) { totalCount } } }`,
      { d: definition },
      { cookie: operator },
    );
    expect(created.errors).toBeUndefined();
    const expected = await count(
      `select count(*)::int as n from customer_scores s join customers c on c.id = s.customer_id
        where s.snapshot_id = $1 and s.rfm_segment in ('at_risk', 'hibernating') and c.email_opt_in`,
      [snapshotId],
    );
    expect(expected).toBeGreaterThan(0);
    expect(created.data?.createSegment.stats.customers).toBe(expected);
    expect(created.data?.createSegment.members.totalCount).toBe(expected);
    expect(preview.data?.segmentPreview.customers).toBe(expected);
    const audit = await count("select count(*)::int as n from audit_log where operation = 'segment.create'");
    expect(audit).toBe(1);
  });

  it("creates a segment from RF matrix cells", async () => {
    const res = await api.gql<{ createSegment: { stats: Stats } }>(
      `mutation { createSegment(input: { name: "R5 F4–5", kind: RFM, definition: { cells: [{ r: 5, f: 5 }, { r: 5, f: 4 }] } }) { stats { customers } } }`,
      {},
      { cookie: operator },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.createSegment.stats.customers).toBe(
      await count("select count(*)::int as n from customer_scores where snapshot_id = $1 and r_score = 5 and f_score in (4, 5)", [snapshotId]),
    );
  });

  it("rejects invalid definitions with the offending path and writes nothing", async () => {
    const before = await count("select count(*)::int as n from segments");
    const bad = await api.gql(
      `mutation { createSegment(input: { name: "x", kind: RULE, definition: { all: [{ field: "pAlive", op: "gte", value: 0.5 }, { field: "decile", op: "like", value: 1 }] } }) { id } }`,
      {},
      { cookie: operator },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "definition.all[1].op" }] });
    const manual = await api.gql(
      `mutation { createSegment(input: { name: "VIP", kind: MANUAL, definition: { customerExternalIds: ["C000001", "NOPE-1"] } }) { id } }`,
      {},
      { cookie: operator },
    );
    expect(manual.errors?.[0]?.extensions?.problems).toEqual([{ path: "definition.customerExternalIds", message: "no customer has external id NOPE-1", reason: "NO_SUCH_CUSTOMER", params: { value: "NOPE-1" } }]);
    const cells = await api.gql(`mutation { createSegment(input: { name: "x", kind: RFM, definition: { cells: [{ r: 6, f: 1 }] } }) { id } }`, {}, { cookie: operator });
    expect(cells.errors?.[0]?.extensions?.problems).toEqual([{ path: "definition.cells[0]", message: "expected { r: 1–5, f: 1–5 }", reason: "RF_CELL" }]);
    expect(await count("select count(*)::int as n from segments")).toBe(before);
  });

  it("lets only operators and admins change segments", async () => {
    for (const role of ["analyst", "reviewer"] as const) {
      const res = await api.gql(
        `mutation { createSegment(input: { name: "x", kind: RFM, definition: { cells: [{ r: 1, f: 1 }] } }) { id } }`,
        {},
        { cookie: await api.loginAs(role) },
      );
      expect(res.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
    }
    const read = await api.gql("{ segments(first: 1) { totalCount } }", {}, { cookie: await api.loginAs("analyst") });
    expect(read.errors).toBeUndefined();
  });

  it("archives and restores a segment", async () => {
    const created = await api.gql<{ createSegment: { id: string } }>(
      `mutation { createSegment(input: { name: "To archive", kind: RFM, definition: { cells: [{ r: 1, f: 1 }] } }) { id } }`,
      {},
      { cookie: operator },
    );
    const id = created.data?.createSegment.id;
    await api.gql(`mutation($id: ID!) { archiveSegment(id: $id) { archived } }`, { id }, { cookie: operator });
    const active = await api.gql<{ segments: { nodes: { id: string }[] } }>("{ segments(first: 100) { nodes { id } } }", {}, { cookie: operator });
    expect(active.data?.segments.nodes.map((n) => n.id)).not.toContain(id);
    const all = await api.gql<{ segments: { nodes: { id: string }[] } }>("{ segments(first: 100, includeArchived: true) { nodes { id } } }", {}, { cookie: operator });
    expect(all.data?.segments.nodes.map((n) => n.id)).toContain(id);
    const edit = await api.gql(`mutation($id: ID!) { updateSegment(id: $id, input: { name: "x" }) { id } }`, { id }, { cookie: operator });
    expect(edit.errors?.[0]?.extensions?.code).toBe("CONFLICT");
  });

  // The stats kept with the members must be what joining the members to their scores gives,
  // for every segment in every snapshot, after segments were created, edited and archived.
  it("keeps each segment's stats per snapshot equal to its members' scores", async () => {
    const later = await createSnapshot(api.db, null, {});
    await executeSnapshot(api.db, later.id);
    const mismatches = await api.db.query(
      `with fresh as (
         select m.segment_id, m.snapshot_id, count(*)::int as customers, coalesce(sum(s.revenue), 0) as revenue,
                avg(s.predicted_clv)::float8 as clv, avg(s.p_alive)::float8 as p_alive
           from segment_members m join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
          group by 1, 2)
       select coalesce(f.segment_id, st.segment_id) as segment_id, coalesce(f.snapshot_id, st.snapshot_id) as snapshot_id, f.customers, st.customers as kept
         from fresh f
         full join segment_stats st on st.segment_id = f.segment_id and st.snapshot_id = f.snapshot_id
        where f.segment_id is null and st.customers <> 0
           or st.segment_id is null
           or f.customers <> st.customers or f.revenue <> st.revenue
           or abs(coalesce(f.clv, 0) - coalesce(st.mean_predicted_clv, 0)) > 1e-6 * greatest(1, abs(coalesce(f.clv, 0)))
           or abs(coalesce(f.p_alive, 0) - coalesce(st.mean_p_alive, 0)) > 1e-9`,
    );
    expect(mismatches).toEqual([]);
    // Every active segment has a row in the new snapshot, an empty one too.
    expect(await count("select count(*)::int as n from segments where not archived and id not in (select segment_id from segment_stats where snapshot_id = $1)", [later.id])).toBe(0);
    const res = await api.gql<{ segments: { nodes: { key: string | null; stats: Stats; members: { totalCount: number } }[] } }>(
      "{ segments(first: 100) { nodes { key stats { customers revenueShare } members(first: 1) { totalCount } } } }",
      {},
      { cookie: operator },
    );
    for (const node of res.data?.segments.nodes ?? []) expect(node.members.totalCount).toBe(node.stats.customers);
  });

  it("materialises rule, RF-cell and manual segments together exactly as each one's condition alone selects", async () => {
    const [a, b] = await api.db.query<{ external_id: string }>("select external_id from customers order by id limit 2");
    const add = async (input: string, d: unknown) => {
      const res = await api.gql(`mutation($d: JSON!) { createSegment(input: { ${input}, definition: $d }) { id } }`, { d }, { cookie: operator });
      expect(res.errors).toBeUndefined();
    };
    await add('name: "手動 Manual", kind: MANUAL', { customerExternalIds: [a?.external_id, b?.external_id] });
    await add('name: "高 CLV High CLV", kind: RULE', { any: [{ field: "decile", op: "lte", value: 2 }, { field: "pAlive", op: "gte", value: 0.9 }] });
    const later = await createSnapshot(api.db, null, {});
    await executeSnapshot(api.db, later.id);
    const others = await api.db.query<{ id: number; kind: string; definition: SegmentDefinition }>(
      "select id, kind, definition from segments where not archived and not (kind = 'rfm' and definition ? 'rfmSegment') order by id",
    );
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const segment of others) {
      const condition = segmentCondition(segment.kind, segment.definition, 2);
      const alone = await api.db.query<{ customer_id: number }>(
        `select s.customer_id from customer_scores s join customers c on c.id = s.customer_id where s.snapshot_id = $1 and ${condition.sql} order by 1`,
        [later.id, ...condition.params],
      );
      const members = await api.db.query<{ customer_id: number }>(
        "select customer_id from segment_members where segment_id = $1 and snapshot_id = $2 order by 1",
        [segment.id, later.id],
      );
      expect(members.map((m) => Number(m.customer_id))).toEqual(alone.map((m) => Number(m.customer_id)));
    }
    expect(await count("select count(*)::int as n from segment_members where snapshot_id = $1 and segment_id = any($2::bigint[])", [later.id, others.map((g) => g.id)])).toBeGreaterThan(0);
  });

  it("shows how customers moved between RFM segments across snapshots", async () => {
    const earlier = await createSnapshot(api.db, null, { asOfDate: "2025-03-01" });
    await executeSnapshot(api.db, earlier.id);
    const res = await api.gql<{ segmentMigration: { transitions: { from: string | null; to: string | null; customers: number }[] } }>(
      "query($a: ID!, $b: ID!) { segmentMigration(fromSnapshotId: $a, toSnapshotId: $b) { transitions { from to customers revenue } } }",
      { a: String(earlier.id), b: String(snapshotId) },
      { cookie: operator },
    );
    expect(res.errors).toBeUndefined();
    const transitions = res.data?.segmentMigration.transitions ?? [];
    const union = await count(
      "select count(distinct customer_id)::int as n from customer_scores where snapshot_id in ($1, $2)",
      [earlier.id, snapshotId],
    );
    expect(transitions.reduce((s, t) => s + t.customers, 0)).toBe(union);
    const newcomers = transitions.filter((t) => t.from === null).reduce((s, t) => s + t.customers, 0);
    expect(newcomers).toBe(
      await count(
        "select count(*)::int as n from customer_scores b where b.snapshot_id = $2 and not exists (select 1 from customer_scores a where a.snapshot_id = $1 and a.customer_id = b.customer_id)",
        [earlier.id, snapshotId],
      ),
    );
    const same = await api.gql("query($a: ID!) { segmentMigration(fromSnapshotId: $a, toSnapshotId: $a) { fromSnapshotId } }", { a: String(snapshotId) }, { cookie: operator });
    expect(same.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
  it("describes a built-in segment by the RF cells its members follow, also after an admin changes the map", async () => {
    type Node = { id: string; key: string | null; kind: string; description: string; rfCells: string[] };
    const list = async () =>
      ((await api.gql<{ segments: { nodes: Node[] } }>("{ segments(first: 50) { nodes { id key kind description rfCells } } }", {}, { cookie: operator })).data?.segments.nodes ?? []);
    const champions = (nodes: Node[]) => nodes.find((n) => n.key === "champions") as Node;
    const before = await list();
    expect(champions(before).rfCells).toEqual(["R4F5", "R5F4", "R5F5"]);
    expect(champions(before).description).toBe("RF cells: R4F5 R5F4 R5F5");
    expect(before.find((n) => n.key === null && n.kind === "RFM")?.rfCells.sort()).toEqual(["R5F4", "R5F5"]);
    expect(before.find((n) => n.kind === "RULE")?.rfCells).toEqual([]);

    const admin = await api.loginAs("admin");
    const map = DEFAULT_RF_SEGMENT_MAP.map((row) => [...row]);
    (map[4] as string[])[2] = "champions"; // R5F3: loyal → champions
    const update = "mutation($input: UpdateSettingsInput!) { updateSettings(input: $input) { effectiveRfmSegmentMap } }";
    expect((await api.gql(update, { input: { rfmSegmentMap: map } }, { cookie: admin })).errors).toBeUndefined();
    try {
      // Until a snapshot uses the new map, the members (and so the description) follow the old one.
      expect(champions(await list()).description).toBe("RF cells: R4F5 R5F4 R5F5");
      const next = await createSnapshot(api.db, null, {});
      expect((await executeSnapshot(api.db, next.id)).status).toBe("succeeded");
      const after = champions(await list());
      expect(after.rfCells).toEqual(["R4F5", "R5F3", "R5F4", "R5F5"]);
      expect(after.description).toBe("RF cells: R4F5 R5F3 R5F4 R5F5");
      expect(await count("select count(*)::int as n from customer_scores where snapshot_id = $1 and rfm_segment = 'champions'", [next.id])).toBe(
        await count("select count(*)::int as n from customer_scores where snapshot_id = $1 and 'R' || r_score || 'F' || f_score = any($2::text[])", [next.id, after.rfCells]),
      );
      // A description someone wrote stays as written.
      await api.db.query("update segments set description = 'Our best' where key = 'champions'");
      expect(champions(await list()).description).toBe("Our best");
    } finally {
      await api.gql(update, { input: { rfmSegmentMap: null } }, { cookie: admin });
    }
  });
});
