import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_THROTTLE, LoginThrottle } from "./rate-limit.ts";

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
