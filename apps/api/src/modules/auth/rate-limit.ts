/**
 * Failed-login throttle, per account and per client address, in memory (one process serves
 * the product). After `maxFailures` failures inside `windowMs` the key is locked until the
 * window has passed since its first failure.
 */
export class LoginThrottle {
  private failures = new Map<string, { count: number; firstAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    const elapsed = this.now() - entry.firstAt;
    if (elapsed >= this.windowMs) {
      this.failures.delete(key);
      return 0;
    }
    return entry.count >= this.maxFailures ? this.windowMs - elapsed : 0;
  }

  fail(key: string): void {
    const entry = this.failures.get(key);
    if (!entry || this.now() - entry.firstAt >= this.windowMs) this.failures.set(key, { count: 1, firstAt: this.now() });
    else entry.count += 1;
    if (this.failures.size > 100_000) this.prune();
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.failures) if (now - entry.firstAt >= this.windowMs) this.failures.delete(key);
  }
}
