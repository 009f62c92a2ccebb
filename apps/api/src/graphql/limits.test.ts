import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../testing/api.ts";
import { LIMITS } from "./limits.ts";

describe("abuse limits over HTTP", () => {
  let api: TestApi;
  let cookie: string;
  beforeAll(async () => {
    api = await createTestApi("pglite", { production: true });
    cookie = await api.loginAs("analyst");
  });
  afterAll(async () => {
    await api.close();
  });

  it("rejects a query nested deeper than the limit", async () => {
    const nest = (levels: number) =>
      `{ segments(first: 1) { nodes { ${"members(first: 1) { nodes { ".repeat(levels)}id${" } }".repeat(levels)} } } }`;
    // segments → nodes → (members → nodes)×n → id is 2 + 2n + 1 levels deep.
    const ok = await api.gql(nest(4), {}, { cookie });
    expect(ok.errors?.[0]?.extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
    const res = await api.gql(nest(6), {}, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.errors?.[0]?.message).toMatch(/15 levels deep; the limit is 12/);
  });

  it("rejects too many aliases", async () => {
    const fields = Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { email }`).join(" ");
    const res = await api.gql(`{ ${fields} }`, {}, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.errors?.[0]?.message).toMatch(/uses 31 aliases; the limit is 30/);
  });

  it("rejects a document with too many tokens", async () => {
    const fields = Array.from({ length: LIMITS.maxTokens }, () => "email").join(" ");
    const res = await api.gql(`{ me { ${fields} } }`, {}, { cookie });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(res.errors?.[0]?.message).toMatch(/Document contains more th[ae][nt] 5000 tokens/);
  });

  it("prices lists by their page size and rejects an expensive query", async () => {
    const cheap = await api.gql(`{ customers(first: 100) { nodes { id orders(first: 10) { nodes { id amount } } } } }`, {}, { cookie });
    expect(cheap.errors?.[0]?.extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
    const query = `query($n: Int!) { customers(first: $n) { nodes { id orders(first: $n) { nodes { id amount orderedAt status } } } } }`;
    const res = await api.gql(query, { n: 100 }, { cookie });
    expect(res.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.message).toMatch(/estimated cost is \d+; the limit is 25000/);
  });

  it("prices the examples of docs/graphql.md as the docs say", async () => {
    // "customers(first: 100) { nodes { orders(first: 100) { nodes { id } } } }: about 20,200, accepted"
    const accepted = await api.gql(`{ customers(first: 100) { nodes { orders(first: 100) { nodes { id } } } } }`, {}, { cookie });
    expect(accepted.errors).toBeUndefined();
    // "… { nodes { id amount orderedAt } } …: about 40,200, refused"
    const refused = await api.gql(`{ customers(first: 100) { nodes { orders(first: 100) { nodes { id amount orderedAt } } } } }`, {}, { cookie });
    expect(refused.errors?.[0]?.message).toMatch(/estimated cost is 40201; the limit is 25000/);
  });

  it("refuses batched requests and bodies over the size limit", async () => {
    const batch = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify([{ query: "{ me { email } }" }, { query: "{ me { email } }" }]),
    });
    expect(batch.status).toBe(400);
    const huge = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie },
      body: JSON.stringify({ query: "{ me { email } }", variables: { pad: "x".repeat(2_000_000) } }),
    });
    expect(huge.status).toBe(413);
  });

  it("blocks cross-site simple requests (CSRF prevention)", async () => {
    const res = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ me { email } }")}`, { headers: { cookie } });
    expect(res.status).toBe(400);
  });

  it("shows no stack traces in production errors", async () => {
    const res = await api.gql(`{ customer(id: "abc") { id } }`, {}, { cookie });
    expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|at .*\.ts:/);
  });
});
