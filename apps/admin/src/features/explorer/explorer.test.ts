import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it, vi } from "vitest";
import { messages } from "../../i18n/messages.ts";
import { EXPLORER_EXAMPLES, exampleTab } from "./explorer-examples.ts";
import { createSessionFetcher, isIntrospectionRefusal, readResult, requestHeaders } from "./explorer-fetcher.ts";
import { scopedStorage, type KeyValueStorage } from "./explorer-storage.ts";

// The committed schema the admin's types are generated from (DESIGN §7), read as a file.
const schema = buildSchema(readFileSync(join(import.meta.dirname, "../../../../api/schema.graphql"), "utf8"));

describe("explorer examples", () => {
  const today = new Date("2025-07-15T03:00:00Z");

  it.each(EXPLORER_EXAMPLES.map((e) => [e.id, e] as const))("%s is valid against the committed schema, comment included", (_id, example) => {
    const tab = exampleTab(example, "first line\nsecond line", today);
    const errors = validate(schema, parse(tab.query));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(tab.query.split("\n").slice(0, 2)).toEqual(["# first line", "# second line"]);
  });

  it("computes the KPI example's range as the last 12 full months", () => {
    const kpis = EXPLORER_EXAMPLES.find((e) => e.id === "kpis");
    const tab = exampleTab(kpis as (typeof EXPLORER_EXAMPLES)[number], "x", today);
    expect(JSON.parse(tab.variables ?? "{}")).toEqual({ from: "2024-07-01T00:00:00+09:00", to: "2025-07-01T00:00:00+09:00" });
  });

  it("has a title, description and comment for every example in both languages", () => {
    for (const locale of ["ja", "en"] as const) {
      const tree = (messages[locale]["explorer"] as Record<string, Record<string, Record<string, string>>>)["examples"] ?? {};
      for (const example of EXPLORER_EXAMPLES) {
        expect(Object.keys(tree[example.id] ?? {}).sort(), `${locale} ${example.id}`).toEqual(["comment", "description", "title"]);
      }
    }
  });
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("session fetcher", () => {
  it("posts JSON to /graphql on the same origin, so the cookie rides along and CSRF prevention lets it through", async () => {
    const fetchMock = vi.fn(async () => json({ data: { me: { email: "a@example.com" } } }));
    const fetcher = createSessionFetcher({ fetch: fetchMock });
    const result = await fetcher({ query: "{ me { email } }", operationName: null, variables: { a: 1 } });
    expect(result).toEqual({ data: { me: { email: "a@example.com" } } });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/graphql");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("same-origin");
    expect((init.headers as Record<string, string>)["content-type"]).toBe("application/json");
    expect(JSON.parse(String(init.body))).toEqual({ query: "{ me { email } }", variables: { a: 1 } });
  });

  it("keeps headers typed in the explorer but never lets them replace the JSON content type", () => {
    const headers = requestHeaders({ Authorization: "Bearer ltv_x", "Content-Type": "text/plain", "x-empty": null });
    expect(headers).toEqual({ accept: "application/graphql-response+json, application/json", Authorization: "Bearer ltv_x", "content-type": "application/json" });
  });

  it("reports an expired session, unless the request carried the user's own API key", async () => {
    const onUnauthenticated = vi.fn();
    const unauthenticated = json({ errors: [{ message: "sign in", extensions: { code: "UNAUTHENTICATED" } }] });
    const fetcher = createSessionFetcher({ fetch: async () => unauthenticated.clone(), onUnauthenticated });
    await fetcher({ query: "{ me { email } }" }, { headers: { authorization: "Bearer wrong" } });
    expect(onUnauthenticated).not.toHaveBeenCalled();
    await fetcher({ query: "{ me { email } }" });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it("turns a non-GraphQL answer and an unreachable server into readable errors", async () => {
    const html = await readResult(new Response("<html><body><h1>502 Bad Gateway</h1></body></html>", { status: 502, statusText: "Bad Gateway" }));
    expect(html.errors?.[0]?.message).toMatch(/^HTTP 502 Bad Gateway: .*502 Bad Gateway$/);
    const down = createSessionFetcher({ fetch: async () => Promise.reject(new TypeError("Failed to fetch")) });
    expect((await down({ query: "{ me { email } }" })).errors?.[0]?.message).toMatch(/Cannot reach the server \(Failed to fetch\)/);
  });

  it("recognises Apollo Server's refusal of introspection", async () => {
    const onIntrospectionRefused = vi.fn();
    const refusal = { errors: [{ message: "GraphQL introspection is not allowed", extensions: { validationErrorCode: "INTROSPECTION_DISABLED", code: "GRAPHQL_VALIDATION_FAILED" } }] };
    expect(isIntrospectionRefusal(refusal)).toBe(true);
    expect(isIntrospectionRefusal({ errors: [{ message: "x", extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] })).toBe(false);
    await createSessionFetcher({ fetch: async () => json(refusal, 400), onIntrospectionRefused })({ query: "{ __schema { queryType { name } } }" });
    expect(onIntrospectionRefused).toHaveBeenCalledTimes(1);
  });
});

function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe("scoped storage", () => {
  it("keeps each user's tabs and history apart and clears only its own keys", () => {
    const backing = memoryStorage();
    backing.setItem("ltvloop.locale", "ja");
    const alice = scopedStorage(backing, "1");
    const bob = scopedStorage(backing, "2");
    alice.setItem("graphiql:tabState", "A");
    bob.setItem("graphiql:tabState", "B");
    expect(alice.getItem("graphiql:tabState")).toBe("A");
    expect(bob.getItem("graphiql:tabState")).toBe("B");
    expect(backing.getItem("ltvloop:explorer:1:graphiql:tabState")).toBe("A");
    expect(alice.length).toBe(1);
    alice.clear();
    expect(alice.getItem("graphiql:tabState")).toBeNull();
    expect(bob.getItem("graphiql:tabState")).toBe("B");
    expect(backing.getItem("ltvloop.locale")).toBe("ja");
  });
});
