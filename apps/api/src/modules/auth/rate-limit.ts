// Failed-login throttling with rate-limiter-flexible's counters, in this process's memory.
// Three keys, so that guessing is slow but nobody can lock a person out:
// - account + client address: a few failures from one place block that place for a while
//   (the person on another device is not affected);
// - client address: many failures across accounts block that address for a while;
// - account, from anywhere: after a few failures the account waits a backoff that doubles with
//   each further block and is capped at a short maximum (a minute by default), so guesses from
//   many addresses stay slow while the right password from a new device gets in after that wait.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface ThrottleConfig {
  /** Failures from one address for one account before that pair is blocked. */
  pairFailures: number;
  pairWindowSeconds: number;
  pairBlockSeconds: number;
  /** Failures from one address (any accounts) before the address is blocked. */
  addressFailures: number;
  addressWindowSeconds: number;
  addressBlockSeconds: number;
  /** Failures for one account (any addresses) before it waits a backoff. */
  accountFailures: number;
  accountWindowSeconds: number;
  /** First backoff; each further block of the account within a day doubles it, up to the maximum. */
  accountBackoffSeconds: number;
  accountMaxBackoffSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  pairFailures: 5,
  pairWindowSeconds: 15 * 60,
  pairBlockSeconds: 15 * 60,
  addressFailures: 50,
  addressWindowSeconds: 15 * 60,
  addressBlockSeconds: 15 * 60,
  accountFailures: 5,
  accountWindowSeconds: 15 * 60,
  accountBackoffSeconds: 2,
  accountMaxBackoffSeconds: 60,
};

export class LoginThrottle {
  private readonly pair: RateLimiterMemory;
  private readonly address: RateLimiterMemory;
  private readonly account: RateLimiterMemory;
  /** How many times each account was blocked within a day: the backoff's exponent. */
  private readonly accountBlocks: RateLimiterMemory;

  constructor(private readonly config: ThrottleConfig = DEFAULT_THROTTLE) {
    // The library blocks once a key consumes more than its points: points = failures − 1 blocks at
    // the failures-th failure.
    this.pair = new RateLimiterMemory({
      keyPrefix: "login_pair",
      points: Math.max(1, config.pairFailures - 1),
      duration: config.pairWindowSeconds,
      blockDuration: config.pairBlockSeconds,
    });
    this.address = new RateLimiterMemory({
      keyPrefix: "login_address",
      points: Math.max(1, config.addressFailures - 1),
      duration: config.addressWindowSeconds,
      blockDuration: config.addressBlockSeconds,
    });
    this.account = new RateLimiterMemory({ keyPrefix: "login_account", points: config.accountFailures, duration: config.accountWindowSeconds });
    this.accountBlocks = new RateLimiterMemory({ keyPrefix: "login_account_blocks", points: 1_000_000, duration: 24 * 3600 });
  }

  /** Milliseconds until this account may try from this address; 0 when it may try now. */
  async retryAfter(account: string, address: string): Promise<number> {
    const checks: [RateLimiterMemory, string][] = [
      [this.pair, `${account}|${address}`],
      [this.address, address],
      [this.account, account],
    ];
    let wait = 0;
    for (const [limiter, key] of checks) {
      const state = await limiter.get(key);
      // Blocked: more points consumed than allowed (the limiter's own block, or ours in fail()).
      if (state && state.consumedPoints > limiter.points) wait = Math.max(wait, state.msBeforeNext);
    }
    return wait;
  }

  async fail(account: string, address: string): Promise<void> {
    await consume(this.pair, `${account}|${address}`);
    await consume(this.address, address);
    const state = await consume(this.account, account);
    if (state.consumedPoints >= this.config.accountFailures) {
      const blocks = await consume(this.accountBlocks, account);
      const seconds = Math.min(this.config.accountMaxBackoffSeconds, this.config.accountBackoffSeconds * 2 ** (blocks.consumedPoints - 1));
      // The block replaces the count: when it ends, the account has its full allowance again.
      await this.account.block(account, seconds);
    }
  }

  /** A successful sign-in clears this account's failures (the backoff's exponent stays for the day). */
  async succeed(account: string, address: string): Promise<void> {
    await this.pair.delete(`${account}|${address}`);
    await this.account.delete(account);
  }
}

/** Counts one failure; a limiter over its points rejects with its state, which is what we need. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}
