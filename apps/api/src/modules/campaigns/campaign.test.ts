import { testDatabaseKinds } from "@ltvloop/db/testing";
import type { Role } from "@ltvloop/db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type GraphQLResponse, type TestApi } from "../../testing/api.ts";
import { seedScoredDemo } from "../../testing/demo.ts";
import { refreshSegmentMembers } from "../segments/segment-members.service.ts";

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status prePeriodDays holdoutRatio } }`;
const PLAN = `mutation($id: ID!) { planCampaign(id: $id) { id status snapshotId plan {
  segmentMembers optedOut eligibleCustomers treatmentSize controlSize baselineConversion baselineRevenuePerCustomer
  mdeConversion { absolute relative } mdeRevenuePerCustomer { absolute relative } isUnderpowered requiredSegmentSize
  overlappingCustomers warnings { code message } } } }`;
const LAUNCH = `mutation($id: ID!, $key: String!) { launchCampaign(id: $id, idempotencyKey: $key) { id status launchedAt roster { treatment control strata { stratum treatment control } } } }`;
const MEASURE = `mutation($id: ID!) { measureCampaign(id: $id) { id status latestResult { isProvisional methodVersion
  groups { group n converters conversion revenuePerCustomer ordersPerCustomer averageOrderValue }
  primary { metric difference differenceCi { lower upper } pValue methodCode differenceMethodCode relativeLiftMethodCode }
  conversion { methodCode differenceMethodCode relativeLiftMethodCode }
  revenuePerCustomerWinsorized { percentile cap difference methodCode differenceMethodCode }
  cuped { metric varianceReduction lift { methodCode } } did { metric estimate ci { lower upper } }
  srm { isMismatch plannedHoldoutRatio observedHoldoutRatio }
  strata { stratum pValue adjustedPValue } money { incrementalRevenue campaignCost roi margin marginSource methodCode }
  series { day treatmentConversion controlConversion } } } }`;
const REVIEW = `mutation($id: ID!, $d: CampaignDecision!, $r: String!) { reviewCampaign(id: $id, decision: $d, rationale: $r) {
  campaign { id status decision decisionRationale reviewedBy } nextCycle { id status parentCampaignId name } } }`;

const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
const pathsOf = (res: GraphQLResponse) => (res.errors?.[0]?.extensions?.problems ?? []).map((p) => p.path).sort();

describe.each(testDatabaseKinds())("campaign PDCA over HTTP on %s", (kind) => {
  let api: TestApi;
  const cookies = {} as Record<Role, string>;
  let segmentId: string;
  let base: Record<string, unknown>;

  beforeAll(async () => {
    api = await createTestApi(kind);
    await seedScoredDemo(api.db, 1200);
    for (const role of ["admin", "operator", "analyst", "reviewer"] as const) cookies[role] = await api.loginAs(role);
    const [largest] = await api.db.query<{ segment_id: number }>(
      `select m.segment_id from segment_members m
         join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
        where m.snapshot_id = (select max(id) from snapshots)
        group by m.segment_id having count(*) filter (where s.recency_days <= 30) > 0 order by count(*) desc limit 1`,
    );
    segmentId = String(largest?.segment_id);
    base = { name: "Spring win-back", segmentId, objective: "WIN_BACK", channel: "EMAIL", holdoutRatio: 0.2, expectedLift: 0.1, costPerContact: 10, fixedCost: 1000 };
  });
  afterAll(async () => {
    await api.close();
  });

  const as = (role: Role | null) => (role ? { cookie: cookies[role] } : {});
  const create = async (input: Record<string, unknown> = {}, role: Role = "operator") => {
    const res = await api.gql<{ createCampaign: { id: string } }>(CREATE, { input: { ...base, ...input } }, as(role));
    expect(res.errors).toBeUndefined();
    return res.data?.createCampaign.id as string;
  };

  it("lets only operators and admins create, plan, launch and measure; analysts and reviewers read; anonymous sees nothing", async () => {
    for (const role of ["analyst", "reviewer"] as const) {
      expect(codeOf(await api.gql(CREATE, { input: base }, as(role)))).toBe("FORBIDDEN");
    }
    expect(codeOf(await api.gql(CREATE, { input: base }))).toBe("UNAUTHENTICATED");
    expect(codeOf(await api.gql(`{ campaigns(first: 5) { totalCount } }`))).toBe("UNAUTHENTICATED");
    const id = await create({}, "admin");
    for (const role of ["analyst", "reviewer"] as const) {
      expect(codeOf(await api.gql(PLAN, { id }, as(role)))).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(LAUNCH, { id, key: "k" }, as(role)))).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(MEASURE, { id }, as(role)))).toBe("FORBIDDEN");
      expect(codeOf(await api.gql(`mutation($id: ID!) { cancelCampaign(id: $id, reason: "x") { id } }`, { id }, as(role)))).toBe("FORBIDDEN");
      const read = await api.gql<{ campaign: { id: string } }>(`query($id: ID!) { campaign(id: $id) { id name status } }`, { id }, as(role));
      expect(read.data?.campaign.id).toBe(id);
    }
    expect(codeOf(await api.gql(REVIEW, { id, d: "ADOPT", r: "good" }, as("operator")))).toBe("FORBIDDEN");
    expect(codeOf(await api.gql(REVIEW, { id, d: "ADOPT", r: "good" }, as("analyst")))).toBe("FORBIDDEN");
    // A reviewer gets past the role check and meets the state check instead.
    const review = await api.gql(REVIEW, { id, d: "ADOPT", r: "good" }, as("reviewer"));
    expect(codeOf(review)).toBe("CONFLICT");
    expect(review.errors?.[0]?.message).toMatch(/is DRAFT; reviewCampaign needs CHECKED/);
    const plan = await api.gql(PLAN, { id }, as("operator"));
    expect(plan.errors).toBeUndefined();
  });

  it("validates every mutation first, with field paths in extensions.problems", async () => {
    const bad = await api.gql(CREATE, { input: { ...base, name: " ", holdoutRatio: 1, outcomeWindowDays: 0, prePeriodDays: 731, costPerContact: -1, fixedCost: -5, margin: 1.5, expectedLift: -0.1 } }, as("operator"));
    expect(codeOf(bad)).toBe("BAD_USER_INPUT");
    expect(pathsOf(bad)).toEqual(
      ["input.costPerContact", "input.expectedLift", "input.fixedCost", "input.holdoutRatio", "input.margin", "input.name", "input.outcomeWindowDays", "input.prePeriodDays"].sort(),
    );
    expect(codeOf(await api.gql(CREATE, { input: { ...base, holdoutRatio: 0 } }, as("operator")))).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(CREATE, { input: { ...base, segmentId: "999999" } }, as("operator")))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(CREATE, { input: { ...base, segmentId: "abc" } }, as("operator")))).toBe("BAD_USER_INPUT");
    expect(codeOf(await api.gql(PLAN, { id: "999999" }, as("operator")))).toBe("NOT_FOUND");

    const id = await create();
    const update = `mutation($id: ID!, $input: UpdateCampaignInput!) { updateCampaign(id: $id, input: $input) { id name holdoutRatio } }`;
    const badUpdate = await api.gql(update, { id, input: { holdoutRatio: 1.2, outcomeWindowDays: 1000 } }, as("operator"));
    expect(pathsOf(badUpdate)).toEqual(["input.holdoutRatio", "input.outcomeWindowDays"]);
    const okUpdate = await api.gql<{ updateCampaign: { name: string; holdoutRatio: number } }>(update, { id, input: { name: "Renamed", holdoutRatio: 0.25 } }, as("operator"));
    expect(okUpdate.data?.updateCampaign).toMatchObject({ name: "Renamed", holdoutRatio: 0.25 });
    expect(codeOf(await api.gql(LAUNCH, { id, key: "early" }, as("operator")))).toBe("CONFLICT");

    await api.gql(PLAN, { id }, as("operator"));
    const replan = await api.gql(PLAN, { id }, as("operator"));
    expect(codeOf(replan)).toBe("CONFLICT");
    expect(replan.errors?.[0]?.message).toMatch(/is PLANNED/);
    expect(codeOf(await api.gql(update, { id, input: { name: "Too late" } }, as("operator")))).toBe("CONFLICT");
    expect(pathsOf(await api.gql(LAUNCH, { id, key: "  " }, as("operator")))).toEqual(["idempotencyKey"]);
    expect(codeOf(await api.gql(MEASURE, { id }, as("operator")))).toBe("CONFLICT");
    expect(pathsOf(await api.gql(`mutation($id: ID!) { cancelCampaign(id: $id, reason: "") { id } }`, { id }, as("operator")))).toEqual(["reason"]);
    const cancelled = await api.gql<{ cancelCampaign: { status: string } }>(`mutation($id: ID!) { cancelCampaign(id: $id, reason: "budget cut") { status } }`, { id }, as("operator"));
    expect(cancelled.data?.cancelCampaign.status).toBe("CANCELLED");
    expect(codeOf(await api.gql(LAUNCH, { id, key: "after-cancel" }, as("operator")))).toBe("CONFLICT");

    const power = `query($s: ID!, $h: Float!, $w: Int!) { powerAnalysis(segmentId: $s, channel: EMAIL, holdoutRatio: $h, outcomeWindowDays: $w) { eligibleCustomers } }`;
    expect(pathsOf(await api.gql(power, { s: segmentId, h: 0, w: 0 }, as("analyst")))).toEqual(["holdoutRatio", "outcomeWindowDays"]);
    expect(codeOf(await api.gql(power, { s: "424242", h: 0.1, w: 30 }, as("analyst")))).toBe("NOT_FOUND");
    expect(codeOf(await api.gql(`{ compareCampaigns(ids: []) { hasResult } }`, {}, as("analyst")))).toBe("BAD_USER_INPUT");
  });

  it("states no detectable lift for a segment whose baseline has no spread (nobody bought in the baseline window)", async () => {
    const [snapshot] = await api.db.query<{ id: number }>("select max(id)::int as id from snapshots");
    const [segment] = await api.db.query<{ id: number }>(
      `insert into segments (name, description, kind, definition) values ('Lapsed over a year', '', 'rule', $1::jsonb) returning id`,
      [JSON.stringify({ field: "recencyDays", op: "gte", value: 400 })],
    );
    await refreshSegmentMembers(api.db.query, Number(snapshot?.id), [Number(segment?.id)]);
    const id = await create({ name: "Lapsed retain", segmentId: String(segment?.id), objective: "RETAIN" });
    const planned = await api.gql<{ planCampaign: { plan: Record<string, unknown> & { warnings: { code: string }[] } } }>(PLAN, { id }, as("operator"));
    expect(planned.errors).toBeUndefined();
    const plan = planned.data?.planCampaign.plan;
    expect(plan?.eligibleCustomers).toBeGreaterThan(10);
    expect([plan?.baselineConversion, plan?.baselineRevenuePerCustomer]).toEqual([0, 0]);
    // A revenue difference of ¥0 is not "detectable": there is no variance to size it from.
    expect(plan?.mdeRevenuePerCustomer).toBeNull();
    expect(plan?.mdeConversion).toBeNull();
    expect(plan?.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(["NO_BASELINE", "UNDERPOWERED"]));
  });

  it("plans, launches a stratified frozen roster, exports the audience, measures, reviews and iterates", async () => {
    const id = await create({ name: "Loop", margin: 0.4 });
    const power = await api.gql<{ powerAnalysis: { eligibleCustomers: number; controlSize: number } }>(
      `query($s: ID!) { powerAnalysis(segmentId: $s, channel: EMAIL, holdoutRatio: 0.2, outcomeWindowDays: 30, expectedLift: 0.1) { eligibleCustomers controlSize } }`,
      { s: segmentId },
      as("analyst"),
    );
    expect(power.errors).toBeUndefined();

    const planned = await api.gql<{ planCampaign: { status: string; snapshotId: string; plan: Record<string, unknown> & { warnings: { code: string }[] } } }>(PLAN, { id }, as("operator"));
    expect(planned.errors).toBeUndefined();
    const plan = planned.data?.planCampaign.plan as Record<string, number> & { warnings: { code: string }[] };
    const [expected] = await api.db.query<{ members: number; eligible: number }>(
      `select count(*)::int as members, (count(*) filter (where c.email_opt_in))::int as eligible
         from segment_members m join customers c on c.id = m.customer_id where m.segment_id = $1 and m.snapshot_id = (select max(id) from snapshots)`,
      [Number(segmentId)],
    );
    expect(planned.data?.planCampaign.status).toBe("PLANNED");
    expect(plan.segmentMembers).toBe(expected?.members);
    expect(plan.eligibleCustomers).toBe(expected?.eligible);
    expect(plan.optedOut).toBe((expected?.members ?? 0) - (expected?.eligible ?? 0));
    expect(power.data?.powerAnalysis.eligibleCustomers).toBe(plan.eligibleCustomers);
    expect(plan.baselineConversion).toBeGreaterThan(0);
    expect(plan.mdeConversion).toBeTruthy();
    expect(plan.warnings.map((w) => w.code)).toContain("SMALL_CONTROL_GROUP");

    const launched = await api.gql<{ launchCampaign: { status: string; roster: { treatment: number; control: number; strata: { stratum: string; treatment: number; control: number }[] } } }>(
      LAUNCH,
      { id, key: `launch-${id}` },
      as("operator"),
    );
    expect(launched.errors).toBeUndefined();
    const roster = launched.data?.launchCampaign.roster;
    expect(launched.data?.launchCampaign.status).toBe("RUNNING");
    expect((roster?.treatment ?? 0) + (roster?.control ?? 0)).toBe(plan.eligibleCustomers);
    expect([roster?.treatment, roster?.control]).toEqual([plan.treatmentSize, plan.controlSize]);
    const n = plan.eligibleCustomers ?? 0;
    expect(Math.abs((roster?.control ?? 0) - n * 0.2)).toBeLessThanOrEqual(1);
    for (const s of roster?.strata ?? []) {
      const size = s.treatment + s.control;
      expect(s.control).toBeGreaterThanOrEqual(Math.floor(size * 0.2));
      expect(s.control).toBeLessThanOrEqual(Math.ceil(size * 0.2));
    }
    const [optedOutInRoster] = await api.db.query<{ n: number }>(
      "select count(*)::int as n from campaign_assignments a join customers c on c.id = a.customer_id where a.campaign_id = $1 and not c.email_opt_in",
      [Number(id)],
    );
    expect(optedOutInRoster?.n).toBe(0);

    // The audience CSV: treatment only, BOM, attachment; personal data for operators and admins only.
    const url = `${api.url}/export/campaigns/${id}/audience.csv`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { cookie: cookies.analyst } })).status).toBe(403);
    expect((await fetch(url, { headers: { cookie: cookies.reviewer } })).status).toBe(403);
    const csv = await fetch(url, { headers: { cookie: cookies.operator } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="campaign-\d+-audience.csv"$/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("external_id,name,email,line_opt_in,segment");
    expect(lines).toHaveLength((roster?.treatment ?? 0) + 1);
    const [controlCustomer] = await api.db.query<{ external_id: string }>(
      `select c.external_id from campaign_assignments a join customers c on c.id = a.customer_id where a.campaign_id = $1 and a."group" = 'control' limit 1`,
      [Number(id)],
    );
    expect(lines.some((l) => l.startsWith(`${controlCustomer?.external_id},`))).toBe(false);

    // Measuring inside the window is provisional and keeps the campaign RUNNING.
    const early = await api.gql<{ measureCampaign: { status: string; latestResult: { isProvisional: boolean; methodVersion: string } } }>(MEASURE, { id }, as("operator"));
    expect(early.errors).toBeUndefined();
    expect(early.data?.measureCampaign).toMatchObject({ status: "RUNNING", latestResult: { isProvisional: true, methodVersion: "lift-3" } });
    expect(codeOf(await api.gql(REVIEW, { id, d: "ADOPT", r: "too early" }, as("reviewer")))).toBe("CONFLICT");

    // Time passes: the window is over, so the campaign reads as MEASURING.
    await api.db.query("update campaigns set launched_at = launched_at - interval '31 days' where id = $1", [Number(id)]);
    const read = await api.gql<{ campaign: { status: string } }>(`query($id: ID!) { campaign(id: $id) { status } }`, { id }, as("analyst"));
    expect(read.data?.campaign.status).toBe("MEASURING");
    const filtered = await api.gql<{ campaigns: { nodes: { id: string }[] } }>(`{ campaigns(first: 10, filter: { statuses: [MEASURING] }) { nodes { id } } }`, {}, as("analyst"));
    expect(filtered.data?.campaigns.nodes.map((c) => c.id)).toEqual([id]);

    const done = await api.gql<{ measureCampaign: { status: string; latestResult: Record<string, never> & { isProvisional: boolean; groups: { n: number }[]; series: unknown[]; money: { campaignCost: number; margin: number; marginSource: string }; srm: { isMismatch: boolean }; strata: { adjustedPValue: number | null; pValue: number | null }[] } } }>(MEASURE, { id }, as("operator"));
    expect(done.errors).toBeUndefined();
    const result = done.data?.measureCampaign.latestResult;
    expect(done.data?.measureCampaign.status).toBe("CHECKED");
    expect(result?.isProvisional).toBe(false);
    expect(result?.groups.map((g) => g.n)).toEqual([roster?.treatment, roster?.control]);
    expect(result?.series).toHaveLength(30);
    expect(result?.srm.isMismatch).toBe(false);
    expect(result?.money).toMatchObject({ campaignCost: 10 * (roster?.treatment ?? 0) + 1000, margin: 0.4, marginSource: "campaign", methodCode: "WELCH_T_LINEAR" });
    // Every method text of a final measurement has a code a client can word in its own language.
    expect(result?.conversion).toEqual({ methodCode: "TWO_PROPORTION_Z", differenceMethodCode: "WALD_UNPOOLED", relativeLiftMethodCode: "FIELLER" });
    expect(result?.revenuePerCustomerWinsorized).toMatchObject({ methodCode: "WELCH_T_WINSORIZED", differenceMethodCode: "WELCH_T_INTERVAL" });
    expect((result?.cuped as unknown as { lift: { methodCode: string } }[]).map((c) => c.lift.methodCode)).toEqual(["CUPED_WELCH_T", "CUPED_WELCH_T", "CUPED_WELCH_T"]);
    for (const s of result?.strata ?? []) if (s.pValue !== null) expect(s.adjustedPValue).toBeGreaterThanOrEqual(s.pValue);

    const rejected = await api.gql(REVIEW, { id, d: "ITERATE", r: "   " }, as("reviewer"));
    expect(pathsOf(rejected)).toEqual(["rationale"]);
    const reviewed = await api.gql<{ reviewCampaign: { campaign: { status: string; decision: string; reviewedBy: string }; nextCycle: { id: string; status: string; parentCampaignId: string; name: string } } }>(
      REVIEW,
      { id, d: "ITERATE", r: "Promising; try a stronger offer." },
      as("reviewer"),
    );
    expect(reviewed.errors).toBeUndefined();
    expect(reviewed.data?.reviewCampaign.campaign).toMatchObject({ status: "ACTED", decision: "ITERATE", reviewedBy: "reviewer@example.com" });
    const next = reviewed.data?.reviewCampaign.nextCycle;
    expect(next).toMatchObject({ status: "DRAFT", parentCampaignId: id, name: "Loop #2" });

    const full = await api.gql<{ campaign: { results: { isProvisional: boolean }[]; chain: { id: string }[]; events: { kind: string; actor: string; fromStatus: string | null; toStatus: string | null }[] } }>(
      `query($id: ID!) { campaign(id: $id) { results { isProvisional } chain { id } events { kind actor fromStatus toStatus at } } }`,
      { id: next?.id },
      as("analyst"),
    );
    expect(full.data?.campaign.chain.map((c) => c.id)).toEqual([id, next?.id]);
    const history = await api.gql<{ campaign: { results: { isProvisional: boolean }[]; chain: { id: string }[]; events: { kind: string; actor: string; fromStatus: string | null; toStatus: string | null }[] } }>(
      `query($id: ID!) { campaign(id: $id) { results { isProvisional } chain { id } events { kind actor fromStatus toStatus at } } }`,
      { id },
      as("analyst"),
    );
    expect(history.data?.campaign.results.map((r) => r.isProvisional)).toEqual([true, false]);
    expect(history.data?.campaign.chain.map((c) => c.id)).toEqual([id, next?.id]);
    expect(history.data?.campaign.events.map((e) => [e.kind, e.toStatus, e.actor])).toEqual([
      ["create", "DRAFT", "operator@example.com"],
      ["plan", "PLANNED", "operator@example.com"],
      ["launch", "RUNNING", "operator@example.com"],
      ["measure", "RUNNING", "operator@example.com"],
      ["measure", "CHECKED", "operator@example.com"],
      ["review", "ACTED", "reviewer@example.com"],
    ]);
    const [audit] = await api.db.query<{ n: number }>("select count(*)::int as n from audit_log where target_type = 'campaign' and target_id = $1", [id]);
    expect(audit?.n).toBe(7); // six events plus the audience export

    const compare = await api.gql<{ compareCampaigns: { campaign: { id: string }; hasResult: boolean; decision: string | null; primary: { difference: number } | null }[] }>(
      `query($ids: [ID!]!) { compareCampaigns(ids: $ids) { campaign { id } hasResult decision roi isSrmMismatch primary { metric difference differenceCi { lower upper } } } }`,
      { ids: [id, next?.id] },
      as("reviewer"),
    );
    expect(compare.errors).toBeUndefined();
    expect(compare.data?.compareCampaigns.map((c) => [c.campaign.id, c.hasResult, c.decision])).toEqual([
      [id, true, "ITERATE"],
      [next?.id, false, null],
    ]);
  });

  it("pages campaigns with nested roster, results, events and chain in a constant number of statements", async () => {
    for (let i = 0; i < 6; i++) await create({ name: `Bulk ${i}` });
    const query = `query($first: Int!) { campaigns(first: $first) { totalCount nodes { id segmentName roster { treatment } latestResult { primary { difference } } events { kind } chain { id } } } }`;
    const count = async (first: number) => {
      const before = api.db.statementCount();
      const res = await api.gql<{ campaigns: { nodes: unknown[] } }>(query, { first }, as("analyst"));
      expect(res.errors).toBeUndefined();
      expect(res.data?.campaigns.nodes).toHaveLength(first);
      return api.db.statementCount() - before;
    };
    const small = await count(2);
    const large = await count(8);
    expect(large).toBe(small);
    const bySegment = await api.gql<{ campaigns: { totalCount: number } }>(
      `query($s: ID!) { campaigns(first: 5, filter: { segmentId: $s, objectives: [WIN_BACK] }) { totalCount } }`,
      { s: segmentId },
      as("analyst"),
    );
    const [expected] = await api.db.query<{ n: number }>("select count(*)::int as n from campaigns where segment_id = $1 and objective = 'win_back'", [Number(segmentId)]);
    expect(bySegment.data?.campaigns.totalCount).toBe(expected?.n);
  });
});
