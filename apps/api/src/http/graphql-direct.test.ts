// The direct path answers exactly as Apollo does: every request below is sent over HTTP twice as
// a plain POST (the direct path takes it when it can: the first time graphql-js runs it, the
// second time graphql-jit's compiled operation) and once with an empty `extensions` object (which
// always goes through Apollo's pipeline), and the answers must be identical: status, content
// type and body, byte for byte.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing/api.ts";
import { seedScoredDemo } from "../testing/demo.ts";

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  auth: "analyst" | "anonymous" | "bogus-key";
  accept?: string;
  /** Whether the direct path answers it (false: it hands the request to Apollo). */
  direct: boolean;
}

const DETAIL = `query Detail($id: ID!) { customer(id: $id) { id name score { predictedClv pAlive } orders(first: 3) { totalCount nodes { id orderedAt amount status } } } }`;
const LIST = `query List($n: Int) { customers(first: $n, orderBy: { field: PREDICTED_CLV, direction: DESC }) { totalCount nodes { id externalId score { rfmSegment predictedClv } } } }`;

const CASES: Case[] = [
  { name: "__typename", query: "{ __typename }", auth: "analyst", direct: true },
  { name: "a list with variables", query: LIST, variables: { n: 5 }, auth: "analyst", direct: true },
  { name: "a customer with orders", query: DETAIL, variables: { id: "1" }, auth: "analyst", direct: true },
  { name: "Apollo Client's accept header", query: LIST, variables: { n: 2 }, auth: "analyst", accept: "application/graphql-response+json,application/json;q=0.9", direct: true },
  { name: "a browser's accept header", query: "{ __typename }", auth: "analyst", accept: "*/*", direct: true },
  { name: "an unusual accept header", query: "{ __typename }", auth: "analyst", accept: "application/json;q=0.5, text/html", direct: false },
  { name: "introspection, signed in", query: "{ __schema { queryType { name } } }", auth: "analyst", direct: true },
  { name: "an ID variable with spaces around it", query: DETAIL, variables: { id: " 1 " }, auth: "analyst", direct: true },
  {
    name: "aliases, fragments and @include",
    query: `query F($n: Int, $more: Boolean!) { top: customers(first: $n, orderBy: { field: PREDICTED_CLV, direction: DESC }) { ...Page } all: customers(first: 1) { totalCount nodes @include(if: $more) { id } } }
      fragment Page on CustomerConnection { nodes { id ... on Customer { externalId score { decile pAlive } } } pageInfo { hasNextPage endCursor } }`,
    variables: { n: 3, more: false },
    auth: "analyst",
    direct: true,
  },
  { name: "one of two operations by name", query: `query A { __typename } ${DETAIL}`, variables: { id: "2" }, operationName: "Detail", auth: "analyst", direct: true },
  // Errors raised by resolvers: formatted by the direct path as Apollo formats them.
  { name: "not signed in (auth checker)", query: LIST, variables: { n: 1 }, auth: "anonymous", direct: true },
  { name: "a revoked or unknown API key", query: LIST, variables: { n: 1 }, auth: "bogus-key", direct: true },
  { name: "a role that may not (FORBIDDEN)", query: `mutation { cancelSnapshot(id: "1") { id } }`, auth: "analyst", direct: true },
  { name: "a page size out of range (BAD_USER_INPUT)", query: LIST, variables: { n: 0 }, auth: "analyst", direct: true },
  { name: "an unknown customer (NOT_FOUND)", query: DETAIL, variables: { id: "987654" }, auth: "analyst", direct: true },
  { name: "an ID literal that is not an id", query: `{ customer(id: "-1") { id } }`, auth: "analyst", direct: false },
  { name: "an ID variable that is not an id", query: DETAIL, variables: { id: "abc" }, auth: "analyst", direct: false },
  // Errors before execution: Apollo answers both.
  { name: "a syntax error", query: "{ customers(", auth: "analyst", direct: false },
  { name: "an unknown field, signed in", query: "{ customerz { id } }", auth: "analyst", direct: false },
  { name: "an unknown field, anonymous (no schema details)", query: "{ customerz { id } }", auth: "anonymous", direct: false },
  { name: "introspection, anonymous", query: "{ __schema { queryType { name } } }", auth: "anonymous", direct: false },
  { name: "a variable of the wrong type", query: LIST, variables: { n: "five" }, auth: "analyst", direct: false },
  { name: "a missing required variable", query: DETAIL, auth: "analyst", direct: false },
  { name: "two operations, no name", query: `query A { __typename } query B { __typename }`, auth: "analyst", direct: false },
  { name: "too expensive", query: `{ customers(first: 100) { nodes { orders(first: 100) { nodes { id amount status orderedAt } } } } }`, auth: "analyst", direct: false },
];

describe.each([
  ["production", true],
  ["development", false],
] as const)("the direct GraphQL path against Apollo's (%s)", (_label, production) => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await createTestApi("pglite", { production });
    await seedScoredDemo(api.db, 60);
    const cookie = await api.loginAs("analyst");
    const created = await api.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(name: "direct") { key } }`, {}, { cookie });
    key = created.data?.createApiKey.key as string;
  }, 180_000);
  afterAll(async () => {
    await api.close();
  });

  const send = async (c: Case, viaApollo: boolean) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (c.auth === "analyst") headers.authorization = `Bearer ${key}`;
    if (c.auth === "bogus-key") headers.authorization = "Bearer ltv_not-a-key-that-exists";
    if (c.accept) headers.accept = c.accept;
    const body = { query: c.query, variables: c.variables, operationName: c.operationName, ...(viaApollo ? { extensions: {} } : {}) };
    const before = api.directAnswers();
    const compiledBefore = api.compiledAnswers();
    const response = await fetch(`${api.url}/graphql`, { method: "POST", headers, body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get("content-type"), text, direct: api.directAnswers() > before, compiled: api.compiledAnswers() > compiledBefore };
  };

  /** Stack traces (development only) name the two paths' own frames: compared by presence. */
  const comparable = (text: string) =>
    production
      ? text
      : JSON.stringify(JSON.parse(text), (k, v: unknown) => (k === "stacktrace" ? (Array.isArray(v) && v.length > 0 ? "<stack>" : v) : v));

  // Each case twice on the direct path: the first request runs graphql-js, the second the
  // operation compiled by graphql-jit; both must answer as Apollo does.
  it.each(CASES)("$name", async (c) => {
    const direct = await send(c, false);
    const compiled = await send(c, false);
    const apollo = await send(c, true);
    expect(apollo.direct).toBe(false);
    expect(direct.direct).toBe(c.direct);
    expect(compiled.direct).toBe(c.direct);
    expect(compiled.compiled).toBe(c.direct);
    for (const answer of [direct, compiled]) {
      expect({ status: answer.status, type: answer.type, body: comparable(answer.text) }).toEqual({
        status: apollo.status,
        type: apollo.type,
        body: comparable(apollo.text),
      });
    }
    if (c.name === "not signed in (auth checker)") expect(direct.text).toMatch(/UNAUTHENTICATED/);
    if (c.name === "a role that may not (FORBIDDEN)") expect(direct.text).toMatch(/FORBIDDEN/);
  });

  it("serves a repeated query from its cached document, and a changed one anew", async () => {
    const first = await send(CASES[1] as Case, false);
    const again = await send({ ...(CASES[1] as Case), variables: { n: 3 } }, false);
    expect(first.direct && again.direct).toBe(true);
    expect((JSON.parse(again.text) as { data: { customers: { nodes: unknown[] } } }).data.customers.nodes).toHaveLength(3);
  });
});
