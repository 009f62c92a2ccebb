// Failed-login throttling with rate-limiter-flexible's counters: in PostgreSQL's `login_throttle`
// table when the server runs on PostgreSQL, so that several servers behind a proxy share one
// count (with counters in each process's memory, N servers would allow N times the guesses);
// in memory on the embedded database, which one process owns.
// Three keys, so that guessing is slow but nobody can lock a person out:
// - account + client address: a few failures from one place block that place for a while
//   (the person on another device is not affected);
// - client address: many failures across accounts block that address for a while;
// - account, from anywhere: after a few failures the account waits a backoff that doubles with
//   each further block and is capped at a short maximum (a minute by default), so guesses from
//   many addresses stay slow while the right password from a new device gets in after that wait.
import type { Query } from "@ltvloop/db/client";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/** The table shared counters live in (migration 0021; unlogged: a crash forgets them, which is harmless). */
export const THROTTLE_TABLE = "login_throttle";

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

type Limiter = RateLimiterAbstract & { points: number };
interface LimiterOptions {
  keyPrefix: string;
  points: number;
  duration: number;
  blockDuration?: number;
}

/**
 * The library's PostgreSQL store expects a node-postgres pool: `query({ text, values })` answering
 * `{ rows, rowCount }`. This is ours in that shape (the statement names it gives are not needed:
 * the server's connections prepare repeated statements by themselves).
 */
function poolOf(query: Query) {
  return {
    query: async (statement: { text: string; values?: unknown[] }) => {
      const rows = await query(statement.text, statement.values ?? []);
      return { rows, rowCount: rows.length };
    },
  };
}

export class LoginThrottle {
  private readonly pair: Limiter;
  private readonly address: Limiter;
  private readonly account: Limiter;
  /** How many times each account was blocked within a day: the backoff's exponent. */
  private readonly accountBlocks: Limiter;

  /** `shared`: keep the counters in the database behind this query (every server process sees them); otherwise in memory. */
  constructor(
    private readonly config: ThrottleConfig = DEFAULT_THROTTLE,
    shared?: Query,
  ) {
    // The four limiters share one table: one of them (the first) deletes its expired rows.
    let clearsExpired = true;
    const limiter = (options: LimiterOptions): Limiter => {
      if (!shared) return new RateLimiterMemory(options) as Limiter;
      const store = new RateLimiterPostgres({ ...options, storeClient: poolOf(shared), storeType: "pool", tableName: THROTTLE_TABLE, tableCreated: true, clearExpiredByTimeout: clearsExpired });
      clearsExpired = false;
      return store as Limiter;
    };
    // The library blocks once a key consumes more than its points: points = failures − 1 blocks at
    // the failures-th failure.
    this.pair = limiter({
      keyPrefix: "login_pair",
      points: Math.max(1, config.pairFailures - 1),
      duration: config.pairWindowSeconds,
      blockDuration: config.pairBlockSeconds,
    });
    this.address = limiter({
      keyPrefix: "login_address",
      points: Math.max(1, config.addressFailures - 1),
      duration: config.addressWindowSeconds,
      blockDuration: config.addressBlockSeconds,
    });
    this.account = limiter({ keyPrefix: "login_account", points: config.accountFailures, duration: config.accountWindowSeconds });
    this.accountBlocks = limiter({ keyPrefix: "login_account_blocks", points: 1_000_000, duration: 24 * 3600 });
  }

  /** Milliseconds until this account may try from this address; 0 when it may try now. */
  async retryAfter(account: string, address: string): Promise<number> {
    const checks: [Limiter, string][] = [
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
async function consume(limiter: Limiter, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rejection;
    throw rejection;
  }
}
