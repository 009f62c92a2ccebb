// The /graphql endpoint as HTTP clients see it: the direct path for JSON POSTs and the Express
// path for everything else answer with the same headers, limits and errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_PASSWORD, createTestApi, type TestApi } from "../testing/api.ts";

describe("the /graphql endpoint over HTTP", () => {
  let api: TestApi;
  let cookie: string;
  beforeAll(async () => {
    api = await createTestApi("pglite", { production: true });
    cookie = await api.loginAs("analyst");
  }, 120_000);
  afterAll(async () => {
    await api.close();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", cookie, ...headers }, body });

  it("sends the security headers and no-store on a JSON POST, as on every other response", async () => {
    const response = await post(JSON.stringify({ query: "{ __typename }" }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
    const page = await fetch(`${api.url}/healthz`);
    for (const name of ["content-security-policy", "x-content-type-options", "strict-transport-security", "x-frame-options", "referrer-policy"]) {
      expect(response.headers.get(name), name).toBeTruthy();
      expect(response.headers.get(name), name).toBe(page.headers.get(name));
    }
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("answers a body that is not JSON with 400 and a message that says what to send", async () => {
    const response = await post('{"query": "{ __typename }"');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
    expect(body.errors[0]?.message).toMatch(/not valid JSON.*"query"/);
  });

  it("refuses a body over 1 MB with 413 before running anything", async () => {
    const response = await post(JSON.stringify({ query: `{ __typename }`, variables: { pad: "x".repeat(1_100_000) } }));
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("serves GET queries through the same server, with the same headers", async () => {
    const response = await fetch(`${api.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { cookie, "apollo-require-preflight": "true" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBeTruthy();
  });

  it("keeps CSRF prevention: a simple-content-type POST is refused", async () => {
    const response = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "text/plain", cookie },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF|preflight/i);
  });

  it("sets the session cookie HttpOnly, SameSite=Lax and Path=/ at sign-in, and clears it at sign-out", async () => {
    const login = await post(
      JSON.stringify({ query: `mutation { login(email: "analyst@example.com", password: "${TEST_PASSWORD}") { me { role } } }` }),
      { cookie: "" },
    );
    const set = login.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/); // plain HTTP without a trusted proxy saying otherwise
    const session = set.split(";")[0] as string;
    const logout = await post(JSON.stringify({ query: "mutation { logout }" }), { cookie: session });
    expect(logout.headers.get("set-cookie")).toMatch(/Expires=Thu, 01 Jan 1970/);
  });
});
