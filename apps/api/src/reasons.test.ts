// Refusals carry stable codes with parameters (reasons.ts), so clients word them in their own
// language: the reason of the whole request in `extensions.reason`/`params`, and each field's
// code and parameters in `extensions.problems[]`, next to the English message. One case per domain.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "./errors.ts";
import { compileRule } from "./modules/segments/segment-rule.ts";
import { ERROR_REASON_CODES, FIELD_PROBLEM_CODES, fieldProblem, fieldProblemMessage } from "./reasons.ts";
import { createTestApi, type TestApi } from "./testing/api.ts";
import { seedScoredDemo } from "./testing/demo.ts";

interface GqlError {
  message: string;
  extensions?: { code?: string; reason?: string; params?: Record<string, unknown>; problems?: { path: string; message: string; reason?: string; params?: Record<string, unknown> }[] };
}
const first = (res: { errors?: unknown }) => (res.errors as GqlError[] | undefined)?.[0];

describe("the catalogue", () => {
  it("has unique codes, and renders every field problem in English from its code", () => {
    expect(new Set(ERROR_REASON_CODES).size).toBe(ERROR_REASON_CODES.length);
    expect(new Set(FIELD_PROBLEM_CODES).size).toBe(FIELD_PROBLEM_CODES.length);
    for (const code of FIELD_PROBLEM_CODES) expect(fieldProblemMessage(code, { min: 1, max: 9 }), code).toMatch(/[a-z]/);
    expect(fieldProblem("name", "TOO_LONG", { max: 100 })).toEqual({ path: "name", message: "must be at most 100 characters", reason: "TOO_LONG", params: { max: 100 } });
    expect(fieldProblem("name", "REQUIRED")).toEqual({ path: "name", message: "is required", reason: "REQUIRED" });
  });

  it("segment rules: every problem names its place, its code and parameters", () => {
    let error: unknown;
    try {
      compileRule({ all: [{ field: "decile", op: "between", value: [9, 2] }, { field: "nope", op: "eq", value: 1 }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const { problems, detail } = error as DomainError;
    expect(detail).toEqual({ reason: "INVALID_FIELDS" });
    expect(problems).toEqual([
      { path: "definition.all[0].value", message: "low (9) is above high (2)", reason: "LOW_ABOVE_HIGH", params: { low: 9, high: 2 } },
      expect.objectContaining({ path: "definition.all[1].field", reason: "RULE_UNKNOWN_FIELD", params: expect.objectContaining({ value: '"nope"' }) }),
    ]);
  });
});

describe.each(testDatabaseKinds())("reason codes over GraphQL on %s", (kind) => {
  let api: TestApi;
  let admin: string;
  let segmentId: string;
  let snapshotId: string;
  beforeAll(async () => {
    api = await createTestApi(kind);
    const snapshot = await seedScoredDemo(api.db, 300);
    snapshotId = String(snapshot.id);
    segmentId = String((await api.db.query<{ id: number }>("select id from segments order by id limit 1"))[0]?.id);
    admin = await api.loginAs("admin");
  });
  afterAll(async () => {
    await api.close();
  });

  it("users: a name that is too long, and deactivating yourself", async () => {
    const me = await api.gql<{ me: { id: string } }>("{ me { id } }", {}, { cookie: admin });
    const res = await api.gql(
      "mutation($id: ID!, $name: String) { updateUser(id: $id, input: { name: $name, isActive: false }) { id } }",
      { id: me.data?.me.id, name: "x".repeat(101) },
      { cookie: admin },
    );
    const error = first(res);
    expect(error?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "INVALID_FIELDS" });
    expect(error?.extensions?.problems).toEqual([
      { path: "name", message: "must be at most 100 characters", reason: "TOO_LONG", params: { max: 100 } },
      { path: "isActive", message: "you cannot deactivate yourself; another admin can do it", reason: "SELF_DEACTIVATE" },
    ]);
    const missing = first(await api.gql('mutation { updateUser(id: "999999", input: { name: "x" }) { id } }', {}, { cookie: admin }));
    expect(missing?.extensions).toMatchObject({ code: "NOT_FOUND", reason: "USER_NOT_FOUND", params: { id: 999999 } });
  });

  it("acquisition: a negative budget and a range that ends before it starts", async () => {
    const budget = first(await api.gql("{ retentionVsAcquisition(budget: -5) { budget } }", {}, { cookie: admin }));
    expect(budget?.extensions).toMatchObject({ reason: "INVALID_FIELDS", problems: [{ path: "budget", reason: "AT_LEAST", params: { min: 0 } }] });
    const range = first(
      await api.gql('{ acquisitionEconomics(from: "2025-03-01T00:00:00Z", to: "2025-01-01T00:00:00Z") { __typename } }', {}, { cookie: admin }),
    );
    expect(range?.extensions).toMatchObject({ reason: "BAD_RANGE", problems: [{ path: "to", reason: "NOT_AFTER", params: { other: "from" } }] });
  });

  it("snapshots: cancelling one that has finished", async () => {
    const res = first(await api.gql("mutation($id: ID!) { cancelSnapshot(id: $id) { id } }", { id: snapshotId }, { cookie: admin }));
    expect(res?.extensions).toMatchObject({ code: "CONFLICT", reason: "SNAPSHOT_NOT_CANCELLABLE", params: { id: Number(snapshotId), status: "succeeded" } });
  });

  it("campaigns: a holdout ratio out of range, and launching a draft", async () => {
    const bad = first(
      await api.gql(
        `mutation($s: ID!) { createCampaign(input: { name: "x", segmentId: $s, objective: RETAIN, channel: EMAIL, holdoutRatio: 1.5 }) { id } }`,
        { s: segmentId },
        { cookie: admin },
      ),
    );
    expect(bad?.extensions).toMatchObject({ reason: "INVALID_FIELDS", problems: [{ path: "input.holdoutRatio", reason: "HOLDOUT_RATIO" }] });
    const created = await api.gql<{ createCampaign: { id: string } }>(
      `mutation($s: ID!) { createCampaign(input: { name: "Draft", segmentId: $s, objective: RETAIN, channel: EMAIL }) { id } }`,
      { s: segmentId },
      { cookie: admin },
    );
    const id = created.data?.createCampaign.id as string;
    const launch = first(await api.gql('mutation($id: ID!) { launchCampaign(id: $id, idempotencyKey: "k-1") { id } }', { id }, { cookie: admin }));
    expect(launch?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "CAMPAIGN_WRONG_STATE",
      params: { id: Number(id), status: "draft", action: "launchCampaign", allowed: "planned" },
    });

    // Delivery results: a file over 1 MB, and a campaign that has not been launched.
    const IMPORT = 'mutation($c: ID!, $csv: String!) { importDeliveries(campaignId: $c, csv: $csv) { rowsRead } }';
    const large = first(await api.gql(IMPORT, { c: id, csv: "x".repeat(1_000_001) }, { cookie: admin }));
    expect(large?.extensions).toMatchObject({
      reason: "FILE_TOO_LARGE",
      params: { max: 1_000_000, length: 1_000_001 },
      problems: [{ path: "csv", reason: "FILE_TOO_LARGE", params: { max: 1_000_000, length: 1_000_001 } }],
    });
    const early = first(await api.gql(IMPORT, { c: id, csv: "customer_external_id,event,occurred_at\n" }, { cookie: admin }));
    expect(early?.extensions).toMatchObject({ code: "CONFLICT", reason: "CAMPAIGN_NOT_LAUNCHED", params: { id: Number(id), status: "draft" } });
  });

  it("ids and cursors: a list cursor this list never gave out", async () => {
    const res = first(await api.gql('{ customers(first: 5, after: "bm9wZQ") { totalCount } }', {}, { cookie: admin }));
    expect(res?.extensions).toMatchObject({ reason: "UNKNOWN_CURSOR", problems: [{ path: "after", reason: "UNKNOWN_CURSOR" }] });
    const id = first(await api.gql('{ customers(first: 5, filter: { segmentId: "abc" }) { totalCount } }', {}, { cookie: admin }));
    // Refused by the ID scalar while the request is validated (format-error.ts), before any resolver.
    expect(id?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "NOT_AN_ID", problems: [{ reason: "NOT_AN_ID" }] });
  });
});
