// Every mutation × every role, over HTTP: allowed roles get past the role check, the others
// get FORBIDDEN, and anonymous callers UNAUTHENTICATED (DESIGN §6).
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { ROLES, type Role } from "@ltvloop/db/schema";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSchema } from "../schema.ts";
import { createTestApi, type TestApi } from "../testing/api.ts";
import { ALLOW } from "./roles.ts";

/** Who may call each mutation. A new mutation fails this test until it is listed here. */
const MUTATION_ROLES: Record<string, readonly Role[] | "anyone"> = {
  login: "anyone",
  logout: ALLOW.read,
  createApiKey: ALLOW.read,
  revokeApiKey: ALLOW.read,
  createUser: ALLOW.administer,
  updateUser: ALLOW.administer,
  createSnapshot: ALLOW.manageSegments,
  cancelSnapshot: ALLOW.administer,
  createSegment: ALLOW.manageSegments,
  updateSegment: ALLOW.manageSegments,
  archiveSegment: ALLOW.manageSegments,
  createCampaign: ALLOW.runCampaigns,
  updateCampaign: ALLOW.runCampaigns,
  planCampaign: ALLOW.runCampaigns,
  launchCampaign: ALLOW.runCampaigns,
  measureCampaign: ALLOW.runCampaigns,
  cancelCampaign: ALLOW.runCampaigns,
  reviewCampaign: ALLOW.review,
  updateSettings: ALLOW.administer,
  cancelTimeZoneChange: ALLOW.administer,
  setOrdersWatermark: ALLOW.administer,
  changePassword: ALLOW.read,
  importChannelSpend: ALLOW.runCampaigns,
  importDeliveries: ALLOW.runCampaigns,
  saveView: ALLOW.read,
  deleteSavedView: ALLOW.read,
  setNightlySnapshotSchedule: ALLOW.administer,
  addLoyaltyPointRule: ALLOW.administer,
  addLoyaltyStampRule: ALLOW.administer,
  recordLoyaltyEntry: ALLOW.administer,
  importLoyaltyEntries: ALLOW.administer,
  processLoyaltyExpiries: ALLOW.administer,
};

/** A syntactically valid value of any input type, so calls reach the role check. */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]?.name;
  if (isInputObjectType(named)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) if (isNonNullType(field.type)) out[field.name] = sample(field.type);
    return out;
  }
  if (isScalarType(named)) {
    switch (named.name) {
      case "Int":
        return 1;
      case "Float":
        return 0.5;
      case "Boolean":
        return true;
      case "JSON":
      case "JSONObject":
        return {};
      case "DateTimeISO":
        return "2025-01-01T00:00:00.000Z";
      default:
        return "1";
    }
  }
  return null;
}

function typeName(type: GraphQLInputType): string {
  return type.toString();
}

describe.each(testDatabaseKinds())("every mutation × every role on %s", (kind) => {
  let api: TestApi;
  const calls: { name: string; query: string; variables: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    api = await createTestApi(kind);
    const schema = await buildSchema();
    const mutations = Object.values(schema.getMutationType()?.getFields() ?? {});
    for (const field of mutations) {
      const required = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type));
      const variables = Object.fromEntries(required.map((a) => [a.name, sample(a.type)]));
      const signature = required.length ? `(${required.map((a) => `$${a.name}: ${typeName(a.type)}`).join(", ")})` : "";
      const args = required.length ? `(${required.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
      const selection = getNamedType(field.type).toString() === "Boolean" ? "" : " { __typename }";
      calls.push({ name: field.name, query: `mutation${signature} { ${field.name}${args}${selection} }`, variables });
    }
  });
  afterAll(async () => {
    await api.close();
  });

  it("lists the roles of every mutation", () => {
    const unlisted = calls.map((c) => c.name).filter((name) => !(name in MUTATION_ROLES));
    expect(unlisted).toEqual([]);
  });

  it("refuses anonymous callers and roles outside the matrix; lets the others past the role check", async () => {
    const outcome: Record<string, Record<string, string>> = {};
    const expected: Record<string, Record<string, string>> = {};
    for (const call of calls) {
      const allowed = MUTATION_ROLES[call.name];
      if (allowed === undefined || allowed === "anyone") continue;
      outcome[call.name] = {};
      expected[call.name] = {};
      const anonymous = await api.gql(call.query, call.variables);
      (outcome[call.name] as Record<string, string>).anonymous = anonymous.errors?.[0]?.extensions?.code ?? "OK";
      (expected[call.name] as Record<string, string>).anonymous = "UNAUTHENTICATED";
      for (const role of ROLES) {
        if (call.name === "logout") continue;
        const res = await api.gql(call.query, call.variables, { cookie: await api.loginAs(role) });
        const code = res.errors?.[0]?.extensions?.code ?? "OK";
        (outcome[call.name] as Record<string, string>)[role] = code === "FORBIDDEN" || code === "UNAUTHENTICATED" ? code : "PAST_ROLE_CHECK";
        (expected[call.name] as Record<string, string>)[role] = allowed.includes(role) ? "PAST_ROLE_CHECK" : "FORBIDDEN";
      }
    }
    expect(outcome).toEqual(expected);
  });
});
