// In-process caches of what every request would otherwise read again: who an API key or a
// session token belongs to, the latest snapshot's id, counts of immutable snapshot data, and the
// results of the heavy dashboard reads (KPIs, cohorts, acquisition economics), which change only
// when orders, customers, their rollups, channel spend, settings or snapshots do.
//
// Correctness rules:
// - Writes made by this process drop the affected entries right after they commit (the
//   resolvers call `viewersChanged()` / `snapshotsChanged()`), so a revoked key, a deactivated
//   user or a new snapshot takes effect on the very next request.
// - Writes made by any other process (the CLI, another server, SQL by hand) reach us through
//   PostgreSQL NOTIFY on channel `ltvloop_cache` from triggers (migration 0006); the listening
//   connection's (re)connect drops everything, since notifications may have been missed.
// - A read that started before an invalidation never stores its (possibly stale) result: every
//   fill carries the generation it started in.
// - Entries also expire after `ttlMs`, a safety net should the notification channel fail.
import type { DbHandle, Query } from "@ltvloop/db/client";
import type { Viewer } from "./context.ts";

export const CACHE_CHANNEL = "ltvloop_cache";

/** Tables whose changes (notified by triggers, migrations 0006 and 0017) drop the cached reads. */
export const READ_DATA_TABLES: readonly string[] = ["orders", "customers", "customer_rollups", "customer_day_activity", "channel_spend", "settings"];

interface Entry<T> {
  value: T;
  storedAt: number;
}

/** A bounded map that forgets its oldest entries first. */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
  }
  delete(key: K): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
}

export interface SnapshotRef {
  id: number;
  asOf: Date;
}

/** How often `last_used_at` / `last_seen_at` may be written per key or session. */
export const TOUCH_INTERVAL_MS = 60_000;

export class ServingCache {
  private viewerGeneration = 0;
  private snapshotGeneration = 0;
  private readonly apiKeys = new BoundedMap<string, Entry<Viewer>>(10_000);
  private readonly sessions = new BoundedMap<string, Entry<{ viewer: Viewer; expiresAt: number }>>(10_000);
  private latest: Entry<SnapshotRef | null> | undefined;
  private readonly counts = new BoundedMap<string, unknown>(2_000);
  private dataGeneration = 0;
  private readonly reads = new BoundedMap<string, Entry<unknown>>(500);
  /** Reads under way, so users asking the same at once share one (PGlite runs one statement at a time). */
  private readonly inflight = new Map<string, Promise<unknown>>();
  /** When each key's / session's use was last written (or found written) to the database. */
  private readonly touched = new BoundedMap<string, number>(20_000);
  private readonly pendingKeys = new Set<number>();
  private readonly pendingSessions = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly query: Query,
    private readonly ttlMs = 60_000,
    private readonly flushDelayMs = 1_000,
  ) {}

  /** Subscribes to other processes' changes; call once per server. */
  async listen(handle: Pick<DbHandle, "listen">): Promise<void> {
    this.unlisten = await handle.listen(
      CACHE_CHANNEL,
      (table) => {
        if (table === "snapshots") this.snapshotsChanged();
        else if (READ_DATA_TABLES.includes(table)) this.dataChanged();
        else this.viewersChanged();
      },
      () => {
        this.viewersChanged();
        this.snapshotsChanged();
      },
    );
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    await this.flush();
    await this.unlisten?.();
  }

  // --- invalidation -------------------------------------------------------------------------

  /** Users, API keys or sessions changed: every cached sign-in is looked up again. */
  viewersChanged(): void {
    this.viewerGeneration += 1;
    this.apiKeys.clear();
    this.sessions.clear();
  }

  /** A snapshot finished, failed or was removed: the latest one is looked up again. */
  snapshotsChanged(): void {
    this.snapshotGeneration += 1;
    this.latest = undefined;
    this.counts.clear();
    this.dataChanged();
  }

  /** Orders, customers, rollups, channel spend or settings changed: cached reads are made again. */
  dataChanged(): void {
    this.dataGeneration += 1;
    this.reads.clear();
    this.inflight.clear();
  }

  // --- dashboard reads ----------------------------------------------------------------------

  /**
   * The result of `load` for `key` (an operation and its arguments), computed once until the data
   * it reads changes (or `ttlMs` passes); concurrent requests for the same key share one load.
   * A load that started before an invalidation is returned to its callers but never stored.
   */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.reads.get(key);
    if (entry && Date.now() - entry.storedAt <= this.ttlMs) return entry.value as T;
    const pending = this.inflight.get(key);
    if (pending) return pending as Promise<T>;
    const generation = this.dataGeneration;
    const promise = load().then(
      (value) => {
        if (generation === this.dataGeneration) {
          this.reads.set(key, { value, storedAt: Date.now() });
          this.inflight.delete(key);
        }
        return value;
      },
      (error: unknown) => {
        if (this.inflight.get(key) === promise) this.inflight.delete(key);
        throw error;
      },
    );
    this.inflight.set(key, promise);
    return promise;
  }

  // --- sign-ins -----------------------------------------------------------------------------

  viewerGenerationNow(): number {
    return this.viewerGeneration;
  }

  apiKey(keyHash: string): Viewer | undefined {
    const entry = this.apiKeys.get(keyHash);
    if (!entry) return undefined;
    if (Date.now() - entry.storedAt > this.ttlMs) {
      this.apiKeys.delete(keyHash);
      return undefined;
    }
    return entry.value;
  }

  storeApiKey(keyHash: string, viewer: Viewer, generation: number): void {
    if (generation === this.viewerGeneration) this.apiKeys.set(keyHash, { value: viewer, storedAt: Date.now() });
  }

  session(tokenHash: string): Viewer | undefined {
    const entry = this.sessions.get(tokenHash);
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.storedAt > this.ttlMs || entry.value.expiresAt <= now) {
      this.sessions.delete(tokenHash);
      return undefined;
    }
    return entry.value.viewer;
  }

  storeSession(tokenHash: string, viewer: Viewer, expiresAt: Date, generation: number): void {
    if (generation === this.viewerGeneration) {
      this.sessions.set(tokenHash, { value: { viewer, expiresAt: expiresAt.getTime() }, storedAt: Date.now() });
    }
  }

  /**
   * Records a use of an API key; `last_used_at` is written at most once a minute per key, by a
   * timer after the request, batched with other keys. `lastWritten` is what the database holds.
   */
  touchApiKey(keyId: number, lastWritten?: Date | null): void {
    this.touch(`k${keyId}`, lastWritten, () => this.pendingKeys.add(keyId));
  }

  /** Records a use of a session; `last_seen_at` as for API keys. */
  touchSession(tokenHash: string, lastWritten?: Date | null): void {
    this.touch(`s${tokenHash}`, lastWritten, () => this.pendingSessions.add(tokenHash));
  }

  private touch(id: string, lastWritten: Date | null | undefined, mark: () => void): void {
    const now = Date.now();
    if (lastWritten && !this.touched.get(id)) this.touched.set(id, lastWritten.getTime());
    const last = this.touched.get(id);
    if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(id, now);
    mark();
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushDelayMs).unref();
  }

  /** Writes the pending uses (two statements at most); errors are reported, never thrown. */
  async flush(): Promise<void> {
    const keys = [...this.pendingKeys];
    const sessions = [...this.pendingSessions];
    this.pendingKeys.clear();
    this.pendingSessions.clear();
    try {
      if (keys.length > 0) await this.query("update api_keys set last_used_at = now() where id = any($1::bigint[])", [keys]);
      if (sessions.length > 0) await this.query("update sessions set last_seen_at = now() where token_hash = any($1::text[])", [sessions]);
    } catch (error) {
      process.stderr.write(`[cache] could not record API key / session use: ${(error as Error).message}\n`);
    }
  }

  // --- snapshots ----------------------------------------------------------------------------

  /** The latest succeeded snapshot (id and as-of only), read once until a snapshot changes. */
  async latestSnapshot(): Promise<SnapshotRef | null> {
    const entry = this.latest;
    if (entry && Date.now() - entry.storedAt <= this.ttlMs) return entry.value;
    const generation = this.snapshotGeneration;
    const [row] = await this.query<{ id: number; as_of: Date }>(
      "select id, as_of from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1",
    );
    const value = row ? { id: row.id, asOf: row.as_of } : null;
    if (generation === this.snapshotGeneration) this.latest = { value, storedAt: Date.now() };
    return value;
  }

  /**
   * Counts over one snapshot's scores never change once the snapshot is published, so a list's
   * `totalCount` for the same filter is counted once (per process, until snapshots change).
   */
  count<T = number>(key: string): T | undefined {
    return this.counts.get(key) as T | undefined;
  }

  snapshotGenerationNow(): number {
    return this.snapshotGeneration;
  }

  storeCount(key: string, value: unknown, generation: number): void {
    if (generation === this.snapshotGeneration) this.counts.set(key, value);
  }
}
