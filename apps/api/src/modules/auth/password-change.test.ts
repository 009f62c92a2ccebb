import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "./auth.service.ts";
import { createTestApi, TEST_PASSWORD, type TestApi } from "../../testing/api.ts";

const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { me { email } } }`;

describe.each(testDatabaseKinds())("password change and credential errors on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });

  async function signIn(email: string, password: string): Promise<string> {
    const res = await api.gql(LOGIN, { e: email, p: password });
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    if (!cookie) throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`);
    return cookie;
  }

  it("lets any role change its own password; the old one stops working and other sessions end", async () => {
    const email = `reviewer-pw-${kind}@example.com`;
    await createUser(api.db, null, { email, name: "", role: "reviewer", password: TEST_PASSWORD });
    const here = await signIn(email, TEST_PASSWORD);
    const elsewhere = await signIn(email, TEST_PASSWORD);
    const res = await api.gql(CHANGE, { c: TEST_PASSWORD, n: "a-new-password-42" }, { cookie: here });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ changePassword: true });
    expect((await api.gql("{ me { email } }", {}, { cookie: here })).data).toEqual({ me: { email } });
    expect((await api.gql("{ me { email } }", {}, { cookie: elsewhere })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const old = await api.gql(LOGIN, { e: email, p: TEST_PASSWORD });
    expect(old.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "WRONG_CREDENTIALS" });
    await signIn(email, "a-new-password-42");
    const audit = await api.db.query<{ operation: string }>("select operation from audit_log where operation = 'user.changePassword'");
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it("refuses a wrong current password and a short or unchanged new one with reason codes, changing nothing", async () => {
    const email = `analyst-pw-${kind}@example.com`;
    await createUser(api.db, null, { email, name: "", role: "analyst", password: TEST_PASSWORD });
    const cookie = await signIn(email, TEST_PASSWORD);
    const wrong = await api.gql(CHANGE, { c: "not-the-password", n: "another-password-1" }, { cookie });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", problems: [{ path: "currentPassword", reason: "WRONG_PASSWORD" }] });
    const short = await api.gql(CHANGE, { c: TEST_PASSWORD, n: "short" }, { cookie });
    expect(short.errors?.[0]?.extensions).toMatchObject({ problems: [{ path: "newPassword", reason: "TOO_SHORT", params: { min: 10 } }] });
    const same = await api.gql(CHANGE, { c: TEST_PASSWORD, n: TEST_PASSWORD }, { cookie });
    expect(same.errors?.[0]?.extensions).toMatchObject({ problems: [{ path: "newPassword", reason: "SAME_AS_CURRENT" }] });
    await signIn(email, TEST_PASSWORD);
  });

  it("refuses password changes through an API key", async () => {
    const cookie = await api.loginAs("operator");
    const created = await api.gql<{ createApiKey: { key: string } }>(`mutation { createApiKey(name: "pw test") { key } }`, {}, { cookie });
    const key = created.data?.createApiKey.key as string;
    const res = await api.gql(CHANGE, { c: TEST_PASSWORD, n: "a-new-password-42" }, { apiKey: key });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN", reason: "SESSION_REQUIRED" });
  });

  it("says an unknown or revoked API key is invalid, not that the caller should sign in", async () => {
    const res = await api.gql("{ me { email } }", {}, { apiKey: "ltv_not_a_real_key" });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "INVALID_API_KEY" });
    expect(res.errors?.[0]?.message).toMatch(/invalid or has been revoked/);
    const introspection = await api.gql("{ __schema { queryType { name } } }", {}, { apiKey: "ltv_not_a_real_key" });
    expect(introspection.errors?.[0]?.extensions).toMatchObject({ reason: "INVALID_API_KEY" });
    const anonymous = await api.gql("{ me { email } }");
    expect(anonymous.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "SIGN_IN_REQUIRED" });
  });
});
