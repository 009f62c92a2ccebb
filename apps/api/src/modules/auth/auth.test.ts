import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./auth.service.ts";
import { createTestApi, TEST_PASSWORD, type TestApi } from "../../testing/api.ts";

describe.each(testDatabaseKinds())("auth over HTTP on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });

  it("answers nothing but login without a session", async () => {
    const res = await api.gql("{ me { email } }");
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.data).toBeNull();
    const health = await api.gql("{ health { status } }");
    expect(health.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("hides introspection and field suggestions from anonymous clients", async () => {
    const introspection = await api.gql("{ __schema { types { name } } }");
    expect(introspection.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const typo = await api.gql("{ mee { email } }");
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const cookie = await api.loginAs("analyst");
    const typoSignedIn = await api.gql("{ mee { email } }", {}, { cookie });
    expect(typoSignedIn.errors?.[0]?.message).toMatch(/Did you mean "me"/);
    const schema = await api.gql("{ __schema { queryType { name } } }", {}, { cookie });
    expect(schema.data).toEqual({ __schema: { queryType: { name: "Query" } } });
  });

  it("signs in with a session cookie that is HttpOnly and SameSite", async () => {
    const res = await api.gql(`mutation { login(email: "Operator@Example.com", password: "${TEST_PASSWORD}") { me { email role authenticatedVia } } }`);
    expect(res.data).toEqual({ login: { me: { email: "operator@example.com", role: "OPERATOR", authenticatedVia: "session" } } });
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^ltvloop_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = setCookie.split(";")[0] as string;
    const me = await api.gql("{ me { email role } }", {}, { cookie });
    expect(me.data).toEqual({ me: { email: "operator@example.com", role: "OPERATOR" } });
    await api.gql("mutation { logout }", {}, { cookie });
    const after = await api.gql("{ me { email } }", {}, { cookie });
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("rejects a wrong password with one message for unknown users and wrong passwords", async () => {
    const wrong = await api.gql(`mutation { login(email: "admin@example.com", password: "nope-nope-nope") { me { email } } }`);
    const unknown = await api.gql(`mutation { login(email: "ghost@example.com", password: "nope-nope-nope") { me { email } } }`);
    expect(wrong.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(unknown.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it("locks an account after repeated failures", async () => {
    const email = `locked-${kind}@example.com`;
    await createUser(api.db.query, null, { email, name: "", role: "analyst", password: TEST_PASSWORD });
    for (let i = 0; i < 10; i++) {
      await api.gql(`mutation { login(email: "${email}", password: "wrong-${i}-xxxxx") { me { email } } }`);
    }
    const locked = await api.gql(`mutation { login(email: "${email}", password: "${TEST_PASSWORD}") { me { email } } }`);
    expect(locked.errors?.[0]?.message).toMatch(/Too many failed sign-ins/);
  });

  it("creates API keys that work as Bearer tokens, are stored hashed and can be revoked", async () => {
    const cookie = await api.loginAs("analyst");
    const created = await api.gql<{ createApiKey: { key: string; apiKey: { id: string; prefix: string } } }>(
      `mutation { createApiKey(name: "nightly export") { key apiKey { id prefix } } }`,
      {},
      { cookie },
    );
    const key = created.data?.createApiKey.key as string;
    expect(key).toMatch(/^ltv_/);
    const stored = await api.db.query<{ key_hash: string }>("select key_hash from api_keys");
    expect(stored.map((r) => r.key_hash)).not.toContain(key);
    const me = await api.gql("{ me { email authenticatedVia } }", {}, { apiKey: key });
    expect(me.data).toEqual({ me: { email: "analyst@example.com", authenticatedVia: "api_key" } });
    await api.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: created.data?.createApiKey.apiKey.id }, { cookie });
    const revoked = await api.gql("{ me { email } }", {}, { apiKey: key });
    expect(revoked.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const audit = await api.db.query<{ operation: string }>("select operation from audit_log where operation like 'apiKey.%' order by id");
    expect(audit.map((a) => a.operation)).toEqual(["apiKey.create", "apiKey.revoke"]);
  });

  it("lets only admins manage users", async () => {
    const mutation = `mutation { createUser(input: { email: "new@example.com", role: ANALYST, password: "long-enough-pw" }) { email role } }`;
    for (const role of ["operator", "analyst", "reviewer"] as const) {
      const res = await api.gql(mutation, {}, { cookie: await api.loginAs(role) });
      expect(res.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
    }
    const ok = await api.gql(mutation, {}, { cookie: await api.loginAs("admin") });
    expect(ok.data).toEqual({ createUser: { email: "new@example.com", role: "ANALYST" } });
    const again = await api.gql(mutation, {}, { cookie: await api.loginAs("admin") });
    expect(again.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const short = await api.gql(
      `mutation { createUser(input: { email: "x@example.com", role: ANALYST, password: "short" }) { email } }`,
      {},
      { cookie: await api.loginAs("admin") },
    );
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "password" }] });
  });
});
