// What a caller without a session learns (nothing about the schema), how ids are checked
// before SQL, and whose X-Forwarded-For the login throttle believes.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, TEST_PASSWORD, type TestApi } from "../../testing/api.ts";

describe.each(testDatabaseKinds())("anonymous callers and id inputs on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind, { production: true });
  });
  afterAll(async () => {
    await api.close();
  });

  it("answers anonymous introspection with HTTP 401 UNAUTHENTICATED", async () => {
    for (const query of ["{ __schema { types { name } } }", '{ __type(name: "Customer") { fields { name } } }']) {
      const res = await api.gql(query);
      expect(res.status, query).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(res.data ?? null).toBeNull();
    }
  });

  it("answers anonymous invalid queries with 401 and no schema names", async () => {
    for (const query of ["{ customers(first: 5) { nodes { nosuchfield } } }", "{ orders(filter: { nosuch: 1 }) { totalCount } }", "mutation { login { me { email } } }"]) {
      const res = await api.gql(query);
      expect(res.status, query).toBe(401);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(res.errors?.[0]?.message).not.toMatch(/Customer|Order|Query|Mutation|String|nosuch/);
    }
  });

  it("refuses ids that are not database ids with BAD_USER_INPUT before any SQL", async () => {
    const cookie = await api.loginAs("analyst");
    const cases: [string, Record<string, unknown>][] = [
      ['{ orders(filter: { customerId: "x" }) { totalCount } }', {}],
      ["{ orders(filter: { customerId: 9007199254740993 }) { totalCount } }", {}],
      ['{ customer(id: "1.5") { id } }', {}],
      ["query($id: ID!) { customer(id: $id) { id } }", { id: "99999999999999999999" }],
      ["query($id: ID!) { snapshot(id: $id) { id } }", { id: "-3" }],
      ["query($f: OrderFilter) { orders(filter: $f) { totalCount } }", { f: { customerId: "1 or 1=1" } }],
    ];
    for (const [query, variables] of cases) {
      const res = await api.gql(query, variables, { cookie });
      expect(res.errors?.[0]?.extensions?.code, query).toBe("BAD_USER_INPUT");
      expect(res.errors?.[0]?.message, query).toMatch(/is not an id: ids are whole numbers from 1 to 9007199254740991/);
    }
    const fine = await api.gql('{ orders(filter: { customerId: "12345" }) { totalCount } }', {}, { cookie });
    expect(fine.errors).toBeUndefined();
  });

  it("ignores X-Forwarded-For unless LTVLOOP_TRUST_PROXY is set: a client cannot dodge the address throttle", async () => {
    // Fifty failures spread over fifty forged addresses across accounts still count against
    // the one real address (loopback), which is then blocked for everyone.
    for (let i = 0; i < 50; i++) {
      await api.gql(`mutation { login(email: "nobody${i}@example.com", password: "wrong-password-${i}") { me { email } } }`, {}, {
        headers: { "x-forwarded-for": `203.0.113.${i}` },
      });
    }
    const res = await api.gql(`mutation { login(email: "admin@example.com", password: "${TEST_PASSWORD}") { me { email } } }`, {}, {
      headers: { "x-forwarded-for": "198.51.100.1" },
    });
    expect(res.errors?.[0]?.message).toMatch(/Too many failed sign-ins from this address/);
  });
});

describe("behind a configured proxy", () => {
  it("counts failures against the forwarded client address", async () => {
    const api = await createTestApi("pglite", { env: { LTVLOOP_TRUST_PROXY: "loopback" } });
    try {
      for (let i = 0; i < 50; i++) {
        await api.gql(`mutation { login(email: "nobody${i}@example.com", password: "wrong-password-${i}") { me { email } } }`, {}, {
          headers: { "x-forwarded-for": "203.0.113.50" },
        });
      }
      const blocked = await api.gql(`mutation { login(email: "admin@example.com", password: "${TEST_PASSWORD}") { me { email } } }`, {}, {
        headers: { "x-forwarded-for": "203.0.113.50" },
      });
      expect(blocked.errors?.[0]?.message).toMatch(/Too many failed sign-ins/);
      const other = await api.gql(`mutation { login(email: "admin@example.com", password: "${TEST_PASSWORD}") { me { email } } }`, {}, {
        headers: { "x-forwarded-for": "198.51.100.2" },
      });
      expect(other.data).toEqual({ login: { me: { email: "admin@example.com" } } });
    } finally {
      await api.close();
    }
  });
});
