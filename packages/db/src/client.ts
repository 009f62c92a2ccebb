import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { lockDataDir, type DirectoryLock } from "./lock.ts";
import * as schema from "./schema/index.ts";

export { DatabaseLockedError, processAlive } from "./lock.ts";

export type Schema = typeof schema;

/** A drizzle database on either driver; services take this type and never ask which. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseKind = "embedded" | "postgres";

/**
 * Raw SQL with positional parameters (`$1`, `$2`, …), for set-based statements and bulk
 * writes that drizzle's builder cannot express. Arrays bind as PostgreSQL arrays, so
 * `unnest($1::text[], …)` inserts a whole batch with one statement.
 */
export type Query = <Row = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<Row[]>;

/**
 * Bulk load inside a transaction: `COPY table (columns) FROM STDIN` (PostgreSQL only; see the
 * embedded branch of createDb for why PGlite has none). `data` is COPY text format: one line per row, tab
 * between columns, \N for null, backslash escapes (see {@link copyText}).
 */
export type CopyFrom = (table: string, columns: readonly string[], data: string) => Promise<void>;

/** One value in COPY text format. */
export function copyText(value: string | number | null): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : value;
}

export interface DbHandle {
  db: Database;
  kind: DatabaseKind;
  /** The PostgreSQL schema the handle works in, when not the default. */
  schemaName?: string | undefined;
  query: Query;
  /** Runs `work` in one transaction with its own `query` (and `copyFrom` for bulk loads); rolls back if `work` throws. */
  transaction: <T>(work: (tx: { db: Database; query: Query; copyFrom?: CopyFrom }) => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
  /**
   * A `query` whose statements are cancelled when `signal` aborts (PostgreSQL: the backend stops
   * the statement; the promise rejects with code 57014). PGlite cannot interrupt a statement, so
   * there it only refuses to start new ones after the abort.
   */
  cancellable: (signal: AbortSignal) => Query;
  /** Counts the statements sent through this handle (tests assert N+1 freedom with it). */
  statementCount: () => number;
  /**
   * Subscribes to NOTIFY on `channel`. `onConnect` runs whenever the listening connection is
   * (re)established, so a subscriber can drop what it may have missed. Returns the unsubscribe.
   */
  listen: (channel: string, onNotify: (payload: string) => void, onConnect?: () => void) => Promise<() => Promise<void>>;
}

export interface CreateDbOptions {
  /** `postgres://…` uses PostgreSQL; absent uses embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps everything in memory. Default `.data/pglite`. */
  dataDir?: string | undefined;
  /** Maximum PostgreSQL connections (default 10). */
  maxConnections?: number | undefined;
  /** PostgreSQL schema to work in (tests isolate themselves this way); default `public`. */
  schemaName?: string | undefined;
  /** Log every statement to stderr. */
  logQueries?: boolean | undefined;
  /** PostgreSQL: cancel any statement running longer than this (ms; 0 or absent: no limit). */
  statementTimeoutMs?: number | undefined;
  /** PostgreSQL: end a session left idle inside a transaction this long (ms; 0 or absent: no limit). */
  idleInTransactionTimeoutMs?: number | undefined;
  /** What the PGlite directory's lock file says holds it (default: this process's arguments). */
  lockCommand?: string | undefined;
}

export const DEFAULT_PGLITE_DIR = ".data/pglite";

// drizzle's postgres-js driver turns off postgres.js's date parsing (it maps dates itself), so
// raw queries get timestamps as text; parse them here so both drivers return Date objects.
const DATE_OIDS = new Set([1082, 1114, 1184]);
function parseDates(rows: postgres.RowList<postgres.Row[]>): postgres.Row[] {
  const dateColumns = rows.columns?.filter((c) => DATE_OIDS.has(c.type)).map((c) => c.name) ?? [];
  if (dateColumns.length === 0) return rows;
  for (const row of rows) {
    for (const name of dateColumns) {
      const value = row[name];
      if (typeof value === "string") row[name] = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    }
  }
  return rows;
}

/** Opens the database: PostgreSQL when a URL is given, PGlite otherwise. */
export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  let statements = 0;
  const logger = {
    logQuery(query: string) {
      statements += 1;
      if (options.logQueries) process.stderr.write(`[sql] ${query}\n`);
    },
  };

  if (options.databaseUrl) {
    const connection: Record<string, string> = {};
    if (options.schemaName) connection.search_path = options.schemaName;
    if (options.statementTimeoutMs) connection.statement_timeout = String(Math.floor(options.statementTimeoutMs));
    if (options.idleInTransactionTimeoutMs) connection.idle_in_transaction_session_timeout = String(Math.floor(options.idleInTransactionTimeoutMs));
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      ...(Object.keys(connection).length > 0 ? { connection } : {}),
      // int8 ids and counts are read as JS numbers, as PGlite does: this product's values stay
      // far below 2^53, and both drivers must hand services the same shapes.
      types: { int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
    });
    const db = drizzlePostgres(client, { schema, casing: "snake_case", logger }) as unknown as Database;
    const makeQuery =
      (sql: postgres.Sql | postgres.TransactionSql, signal?: AbortSignal): Query =>
      async <Row>(text: string, params: readonly unknown[] = []) => {
        signal?.throwIfAborted();
        logger.logQuery(text);
        const bound = params.map((p) => (Array.isArray(p) ? sql.array(p as never[]) : p instanceof Date ? p.toISOString() : p));
        // Prepared (named, per connection): a repeated statement is parsed and planned once and
        // then costs one round trip. Unprepared, postgres.js first asks the server for the
        // parameter types — two round trips for every statement that has parameters.
        const pending = sql.unsafe(text, bound as postgres.ParameterOrJSON<never>[], { prepare: true });
        const cancel = () => void pending.cancel();
        signal?.addEventListener("abort", cancel, { once: true });
        try {
          return parseDates(await pending) as unknown as Row[];
        } finally {
          signal?.removeEventListener("abort", cancel);
        }
      };
    return {
      db,
      kind: "postgres",
      schemaName: options.schemaName,
      query: makeQuery(client),
      transaction: (work) =>
        client.begin(async (tx) => {
          // drizzle reads the parser options from the client it wraps; a transaction handle has none
          // of its own, so it borrows the pool's (already set up when the pool was wrapped).
          const txClient = Object.assign(tx, { options: client.options }) as unknown as postgres.Sql;
          const txDb = drizzlePostgres(txClient, { schema, casing: "snake_case", logger });
          const copyFrom: CopyFrom = async (table, columns, data) => {
            const statement = `copy ${table} (${columns.join(", ")}) from stdin`;
            logger.logQuery(statement);
            const stream = await tx.unsafe(statement).writable();
            await new Promise<void>((done, fail) => {
              stream.on("error", fail);
              stream.on("finish", done);
              stream.end(data);
            });
          };
          return work({ db: txDb as unknown as Database, query: makeQuery(tx), copyFrom });
        }) as Promise<never>,
      close: () => client.end({ timeout: 5 }),
      cancellable: (signal) => makeQuery(client, signal),
      statementCount: () => statements,
      listen: async (channel, onNotify, onConnect) => {
        const subscription = await client.listen(channel, (payload) => onNotify(payload), onConnect);
        return () => subscription.unlisten();
      },
    };
  }

  const dataDir = options.dataDir ?? DEFAULT_PGLITE_DIR;
  let lock: DirectoryLock | null = null;
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    // One process at a time: a second opener is refused before it reads a byte (see lock.ts).
    lock = lockDataDir(dataDir, options.lockCommand);
  }
  const releaseOnExit = () => lock?.release();
  if (lock) process.once("exit", releaseOnExit);
  let client: PGlite;
  try {
    // pg_trgm serves customer search from trigram indexes (migration 0006), as on PostgreSQL.
    client = await PGlite.create(dataDir, { extensions: { pg_trgm } });
  } catch (error) {
    lock?.release();
    process.off("exit", releaseOnExit);
    throw error;
  }
  const db = drizzlePglite(client, { schema, casing: "snake_case", logger }) as unknown as Database;
  const makeQuery =
    (pg: Pick<PGlite, "query">, signal?: AbortSignal): Query =>
    async <Row>(text: string, params: readonly unknown[] = []) => {
      signal?.throwIfAborted();
      logger.logQuery(text);
      const result = await pg.query<Row>(
        text,
        params.map((p) => (p instanceof Date ? p.toISOString() : p)),
      );
      return result.rows;
    };
  return {
    db,
    kind: "embedded",
    query: makeQuery(client),
    transaction: (work) =>
      client.transaction(async (tx) => {
        const txDb = drizzlePglite(tx as unknown as PGlite, { schema, casing: "snake_case", logger });
        // No copyFrom here: PGlite's COPY … FROM '/dev/blob' measured 8–10% slower than batched
        // insert … select from unnest(…) for a 100k-row orders import (two interleaved rounds),
        // so imports keep the unnest path on the embedded database.
        return work({ db: txDb as unknown as Database, query: makeQuery(tx) });
      }),
    cancellable: (signal) => makeQuery(client, signal),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
        process.off("exit", releaseOnExit);
      }
    },
    statementCount: () => statements,
    listen: async (channel, onNotify, onConnect) => {
      const unlisten = await client.listen(channel, onNotify);
      onConnect?.();
      return unlisten;
    },
  };
}
