import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { DEFAULT_THROTTLE, LoginThrottle, THROTTLE_TABLE } from "./rate-limit.ts";

describe("login throttle", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("blocks the address that guessed wrong for long, but the right password from another device only for a short backoff", async () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < DEFAULT_THROTTLE.pairFailures; i++) {
      await vi.advanceTimersByTimeAsync((await throttle.retryAfter("ann@example.com", "203.0.113.9")) + 1);
      await throttle.fail("ann@example.com", "203.0.113.9");
    }
    expect(await throttle.retryAfter("ann@example.com", "203.0.113.9")).toBeGreaterThan(14 * 60_000);
    const fromPhone = await throttle.retryAfter("ann@example.com", "198.51.100.7");
    expect(fromPhone).toBeLessThanOrEqual(DEFAULT_THROTTLE.accountMaxBackoffSeconds * 1000);
    await vi.advanceTimersByTimeAsync(fromPhone + 1);
    expect(await throttle.retryAfter("ann@example.com", "198.51.100.7")).toBe(0);
    // The attacker's address stays blocked after the person signed in.
    await throttle.succeed("ann@example.com", "198.51.100.7");
    expect(await throttle.retryAfter("ann@example.com", "203.0.113.9")).toBeGreaterThan(13 * 60_000);
  });

  it("keeps guessing from many addresses slow with a doubling backoff that never exceeds the cap", async () => {
    const throttle = new LoginThrottle();
    const waits: number[] = [];
    for (let i = 0; i < 120; i++) {
      const address = `10.1.${Math.floor(i / 250)}.${i % 250}`;
      const wait = await throttle.retryAfter("bob@example.com", address);
      waits.push(wait);
      await vi.advanceTimersByTimeAsync(wait + 1);
      await throttle.fail("bob@example.com", address);
    }
    const cap = DEFAULT_THROTTLE.accountMaxBackoffSeconds * 1000;
    expect(Math.max(...waits)).toBeLessThanOrEqual(cap);
    expect(Math.max(...waits)).toBeGreaterThan(cap / 2); // it did grow
    // 120 guesses took many minutes, not seconds.
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(10 * 60_000);
    // The person, on a new device, waits at most the cap.
    const wait = await throttle.retryAfter("bob@example.com", "192.0.2.44");
    expect(wait).toBeLessThanOrEqual(cap);
    await vi.advanceTimersByTimeAsync(wait + 1);
    expect(await throttle.retryAfter("bob@example.com", "192.0.2.44")).toBe(0);
  });

  it("blocks an address that fails across many accounts, without blocking those accounts elsewhere", async () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < DEFAULT_THROTTLE.addressFailures; i++) await throttle.fail(`user${i}@example.com`, "198.51.100.66");
    expect(await throttle.retryAfter("new@example.com", "198.51.100.66")).toBeGreaterThan(14 * 60_000);
    expect(await throttle.retryAfter("user1@example.com", "192.0.2.1")).toBe(0);
  });
});

describe.each(testDatabaseKinds())("login throttle shared through the database on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("counts failures across server processes: what one server saw blocks the address on the other", async () => {
    // Two servers on one database, each with its own throttle over the shared table.
    const one = new LoginThrottle(DEFAULT_THROTTLE, db.query);
    const two = new LoginThrottle(DEFAULT_THROTTLE, db.query);
    for (let i = 0; i < DEFAULT_THROTTLE.pairFailures; i++) await (i % 2 === 0 ? one : two).fail("cat@example.com", "203.0.113.5");
    // Each saw fewer failures than the limit (3 and 2); together they are at it.
    expect(await one.retryAfter("cat@example.com", "203.0.113.5")).toBeGreaterThan(14 * 60_000);
    expect(await two.retryAfter("cat@example.com", "203.0.113.5")).toBeGreaterThan(14 * 60_000);
    // The person on another device waits only the account's short backoff, on either server.
    expect(await two.retryAfter("cat@example.com", "198.51.100.1")).toBeLessThanOrEqual(DEFAULT_THROTTLE.accountMaxBackoffSeconds * 1000);
    const memory = new LoginThrottle();
    for (let i = 0; i < 3; i++) await memory.fail("dog@example.com", "203.0.113.6");
    expect(await memory.retryAfter("dog@example.com", "203.0.113.6")).toBe(0);
    const [row] = await db.query<{ points: number }>(`select points from ${THROTTLE_TABLE} where key = $1`, ["login_pair:cat@example.com|203.0.113.5"]);
    expect(Number(row?.points)).toBeGreaterThanOrEqual(DEFAULT_THROTTLE.pairFailures);
    // A success clears the account's count for everyone.
    await one.succeed("cat@example.com", "198.51.100.1");
    expect(await db.query(`select 1 from ${THROTTLE_TABLE} where key = $1`, ["login_account:cat@example.com"])).toEqual([]);
  });
});

describe.each(testDatabaseKinds())("sign-in throttle of the server on %s", (kind) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(kind);
  });
  afterAll(async () => {
    await api.close();
  });

  it("refuses a sixth wrong password with TOO_MANY_SIGN_INS, counted in the database on PostgreSQL", async () => {
    const attempt = () => api.gql(`mutation { login(email: "analyst@example.com", password: "not-the-password") { me { role } } }`);
    for (let i = 0; i < DEFAULT_THROTTLE.pairFailures; i++) expect((await attempt()).errors?.[0]?.extensions?.reason).toBe("WRONG_CREDENTIALS");
    expect((await attempt()).errors?.[0]?.extensions?.reason).toBe("TOO_MANY_SIGN_INS");
    const shared = await api.db.query(`select key from ${THROTTLE_TABLE} where key like 'login_pair:analyst@example.com|%'`);
    expect(shared).toHaveLength(kind === "postgres" ? 1 : 0);
  });
});
