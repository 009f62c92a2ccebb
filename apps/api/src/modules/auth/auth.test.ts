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

  it("makes an account wait a short backoff after repeated failures", async () => {
    const email = `locked-${kind}@example.com`;
    await createUser(api.db, null, { email, name: "", role: "analyst", password: TEST_PASSWORD });
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

  describe("updateUser", () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id email name role isActive } }`;
    const login = (email: string) =>
      api.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { me { role } } }`, { e: email, p: TEST_PASSWORD });
    const cookieOf = (res: { headers: Headers }) => (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const idOf = async (email: string) =>
      String((await api.db.query<{ id: number }>("select id from users where email = $1", [email]))[0]?.id);

    it("changes a role, which the user's session and API keys follow on their next request", async () => {
      const email = `promoted-${kind}@example.com`;
      const user = await createUser(api.db, null, { email, name: "Hanako", role: "analyst", password: TEST_PASSWORD });
      const cookie = cookieOf(await login(email));
      const keyRes = await api.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(name: "notebook") { key } }`, {}, { cookie });
      const key = keyRes.data?.createApiKey.key as string;
      const admin = await api.loginAs("admin");
      const res = await api.gql(UPDATE, { id: String(user.id), input: { role: "OPERATOR", name: "  山田 花子 " } }, { cookie: admin });
      expect(res.data).toEqual({ updateUser: { id: String(user.id), email, name: "山田 花子", role: "OPERATOR", isActive: true } });
      expect((await api.gql("{ me { role } }", {}, { cookie })).data).toEqual({ me: { role: "OPERATOR" } });
      expect((await api.gql("{ me { role } }", {}, { apiKey: key })).data).toEqual({ me: { role: "OPERATOR" } });
      const [audit] = await api.db.query<{ operation: string; target_id: string; details: { changes: Record<string, unknown> } }>(
        "select operation, target_id, details from audit_log where operation = 'user.update' and target_id = $1",
        [String(user.id)],
      );
      expect(audit?.details.changes).toEqual({ name: { from: "Hanako", to: "山田 花子" }, role: { from: "analyst", to: "operator" } });
    });

    it("deactivation ends sessions, stops API keys and sign-in; reactivation lets the user sign in and the keys work again", async () => {
      const email = `leaver-${kind}@example.com`;
      const user = await createUser(api.db, null, { email, name: "", role: "reviewer", password: TEST_PASSWORD });
      const cookie = cookieOf(await login(email));
      const keyRes = await api.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(name: "report") { key } }`, {}, { cookie });
      const key = keyRes.data?.createApiKey.key as string;
      const admin = await api.loginAs("admin");

      const off = await api.gql(UPDATE, { id: String(user.id), input: { isActive: false } }, { cookie: admin });
      expect(off.data).toMatchObject({ updateUser: { isActive: false } });
      expect((await api.gql("{ me { email } }", {}, { cookie })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect((await api.gql("{ me { email } }", {}, { apiKey: key })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect((await login(email)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      const sessions = await api.db.query("select 1 from sessions where user_id = $1", [user.id]);
      expect(sessions).toHaveLength(0);

      const on = await api.gql(UPDATE, { id: String(user.id), input: { isActive: true } }, { cookie: admin });
      expect(on.data).toMatchObject({ updateUser: { isActive: true } });
      expect((await api.gql("{ me { email } }", {}, { cookie })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect((await api.gql("{ me { email } }", {}, { apiKey: key })).data).toEqual({ me: { email } });
      expect((await login(email)).data).toEqual({ login: { me: { role: "REVIEWER" } } });

      const audit = await api.db.query<{ details: { changes: { isActive: unknown }; endedSessions?: number } }>(
        "select details from audit_log where operation = 'user.update' and target_id = $1 order by id",
        [String(user.id)],
      );
      expect(audit.map((a) => a.details.changes.isActive)).toEqual([{ from: true, to: false }, { from: false, to: true }]);
      expect(audit[0]?.details.endedSessions).toBe(1);
    });

    it("refuses to let admins deactivate or demote themselves, naming the field", async () => {
      const admin = await api.loginAs("admin");
      const self = await idOf("admin@example.com");
      const deactivate = await api.gql(UPDATE, { id: self, input: { isActive: false } }, { cookie: admin });
      expect(deactivate.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "isActive" }] });
      const demote = await api.gql(UPDATE, { id: self, input: { role: "ANALYST" } }, { cookie: admin });
      expect(demote.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "role" }] });
      const rename = await api.gql(UPDATE, { id: self, input: { name: "管理者", role: "ADMIN", isActive: true } }, { cookie: admin });
      expect(rename.data).toMatchObject({ updateUser: { name: "管理者", role: "ADMIN", isActive: true } });
      expect((await api.gql("{ me { role } }", {}, { cookie: admin })).data).toEqual({ me: { role: "ADMIN" } });
    });

    it("answers NOT_FOUND for an unknown user and BAD_USER_INPUT for a malformed id or a long name, changing nothing", async () => {
      const admin = await api.loginAs("admin");
      const missing = await api.gql(UPDATE, { id: "999999", input: { role: "ANALYST" } }, { cookie: admin });
      expect(missing.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
      const malformed = await api.gql(UPDATE, { id: "abc", input: { role: "ANALYST" } }, { cookie: admin });
      expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "id" }] });
      const analyst = await idOf("analyst@example.com");
      const long = await api.gql(UPDATE, { id: analyst, input: { name: "x".repeat(101), role: "OPERATOR" } }, { cookie: admin });
      expect(long.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "name" }] });
      const [row] = await api.db.query<{ role: string }>("select role from users where id = $1", [analyst]);
      expect(row?.role).toBe("analyst");
    });

    it("is refused to every role but admin", async () => {
      const target = await idOf("reviewer@example.com");
      for (const role of ["operator", "analyst", "reviewer"] as const) {
        const res = await api.gql(UPDATE, { id: target, input: { isActive: false } }, { cookie: await api.loginAs(role) });
        expect(res.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
      }
      const [row] = await api.db.query<{ is_active: boolean }>("select is_active from users where id = $1", [target]);
      expect(row?.is_active).toBe(true);
    });
  });

  it("lets signed-in users introspect in production (the explorer needs the schema), nobody else", async () => {
    const prod = await createTestApi(kind, { production: true });
    try {
      const cookie = await prod.loginAs("analyst");
      const signedIn = await prod.gql("{ __schema { queryType { name } } }", {}, { cookie });
      expect(signedIn.data).toEqual({ __schema: { queryType: { name: "Query" } } });
      const anonymous = await prod.gql("{ __schema { queryType { name } } }");
      expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      await prod.close();
    }
  });
});
