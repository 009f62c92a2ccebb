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
 * A bulk load into a table of the transaction, fed in pieces: `write` takes COPY text format (one
 * line per row, tab between columns, \N for null, backslash escapes: see {@link copyText}), in
 * any number of pieces of whole lines; `end` completes the load, `abort` cancels it (the
 * transaction then fails). While it is open the transaction runs no other statement.
 */
export interface CopyWriter {
  /**
   * Resolves at once while the database keeps up, later when it must catch up (backpressure).
   * Bytes are UTF-8 COPY text; the writer keeps them (the caller must not reuse the buffer).
   */
  write: (text: string | Uint8Array) => Promise<void> | void;
  end: () => Promise<void>;
  abort: (reason: Error) => Promise<void>;
}

/**
 * Opens a bulk load `COPY table (columns) FROM …`. PostgreSQL: one COPY FROM STDIN streamed for
 * the whole load. PGlite (no STDIN): the text is buffered up to {@link PGLITE_COPY_CHUNK}
 * characters and loaded by `COPY … FROM '/dev/blob'` per chunk, so memory stays bounded.
 */
export type CopyIn = (table: string, columns: readonly string[]) => Promise<CopyWriter>;

/** Characters of COPY text per PGlite `COPY … FROM '/dev/blob'`. */
export const PGLITE_COPY_CHUNK = 8 << 20;

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
  /** Runs `work` in one transaction with its own `query` (and `copyIn` for bulk loads); rolls back if `work` throws. */
  transaction: <T>(work: (tx: { db: Database; query: Query; copyIn: CopyIn }) => Promise<T>) => Promise<T>;
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

/** A connection or a transaction: drizzle's typed builder for rows, `query` for set-based SQL. */
export type Conn = Pick<DbHandle, "db" | "query">;

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

/** How long a statement whose caller went away may still run before it is cancelled (see makeQuery). */
export const CANCEL_AFTER_MS = 500;

/** A statement stopped by a cancel request (not by the statement timeout, which shares the code 57014). */
export function isCancelledByRequest(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "57014" && typeof message === "string" && /user request/.test(message);
}

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
    // No JIT compilation: this product's statements are either small or analytics that run once
    // over simple expressions, whose misestimated costs cross the JIT thresholds. Measured on the
    // 20k demo, the acquisition economics statement spent 2.0 s compiling and 0.9 s executing;
    // snapshots and measurements likewise lost more to compiling than it saved.
    const connection: Record<string, string> = { jit: "off" };
    if (options.schemaName) connection.search_path = options.schemaName;
    if (options.statementTimeoutMs) connection.statement_timeout = String(Math.floor(options.statementTimeoutMs));
    if (options.idleInTransactionTimeoutMs) connection.idle_in_transaction_session_timeout = String(Math.floor(options.idleInTransactionTimeoutMs));
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      connection,
      // int8 ids and counts are read as JS numbers, as PGlite does: this product's values stay
      // far below 2^53, and both drivers must hand services the same shapes.
      types: { int8: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) } },
    });
    const db = drizzlePostgres(client, { schema, casing: "snake_case", logger }) as unknown as Database;
    const makeQuery =
      (sql: postgres.Sql | postgres.TransactionSql, signal?: AbortSignal, outsideTransaction = false): Query =>
      async <Row>(text: string, params: readonly unknown[] = []) => {
        signal?.throwIfAborted();
        logger.logQuery(text);
        const bound = params.map((p) => (Array.isArray(p) ? sql.array(p as never[]) : p instanceof Date ? p.toISOString() : p));
        const run = async (): Promise<Row[]> => {
          // Prepared (named, per connection): a repeated statement is parsed and planned once and
          // then costs one round trip. Unprepared, postgres.js first asks the server for the
          // parameter types — two round trips for every statement that has parameters.
          const pending = sql.unsafe(text, bound as postgres.ParameterOrJSON<never>[], { prepare: true });
          // PostgreSQL's cancel request names a connection, not a statement: one that arrives just
          // after the statement ended stops whatever that pooled connection runs next, for another
          // request. So a statement whose caller went away is cancelled only once it has run for
          // CANCEL_AFTER_MS; a short one finishes first and no cancel is sent.
          let timer: NodeJS.Timeout | undefined;
          const started = performance.now();
          const cancel = () => {
            timer = setTimeout(() => void pending.cancel(), Math.max(0, CANCEL_AFTER_MS - (performance.now() - started)));
          };
          signal?.addEventListener("abort", cancel, { once: true });
          try {
            return parseDates(await pending) as unknown as Row[];
          } finally {
            clearTimeout(timer);
            signal?.removeEventListener("abort", cancel);
          }
        };
        try {
          return await run();
        } catch (error) {
          // A cancel this statement did not ask for (its own caller is still there): another
          // request's late cancel, or an operator's pg_cancel_backend. A cancelled statement had
          // no effect, so outside a transaction it runs once more.
          if (outsideTransaction && !signal?.aborted && isCancelledByRequest(error)) return await run();
          throw error;
        }
      };
    return {
      db,
      kind: "postgres",
      schemaName: options.schemaName,
      query: makeQuery(client, undefined, true),
      transaction: (work) =>
        client.begin(async (tx) => {
          // drizzle reads the parser options from the client it wraps; a transaction handle has none
          // of its own, so it borrows the pool's (already set up when the pool was wrapped).
          const txClient = Object.assign(tx, { options: client.options }) as unknown as postgres.Sql;
          const txDb = drizzlePostgres(txClient, { schema, casing: "snake_case", logger });
          const copyIn: CopyIn = async (table, columns) => {
            const statement = `copy ${table} (${columns.join(", ")}) from stdin`;
            logger.logQuery(statement);
            const stream = await tx.unsafe(statement).writable();
            let failure: Error | undefined;
            const finished = new Promise<void>((done, fail) => {
              stream.on("error", (error: Error) => {
                failure = error;
                fail(error);
              });
              stream.on("finish", done);
            });
            finished.catch(() => undefined);
            return {
              write: (text) => {
                if (failure) throw failure;
                if (stream.write(text)) return;
                // The server is behind: wait until it has taken what is buffered.
                return new Promise<void>((resume, fail) => {
                  const onError = (error: Error) => fail(error);
                  stream.once("error", onError);
                  stream.once("drain", () => {
                    stream.off("error", onError);
                    resume();
                  });
                });
              },
              end: async () => {
                stream.end();
                await finished;
              },
              abort: async (reason) => {
                stream.destroy(reason);
                await finished.catch(() => undefined);
              },
            };
          };
          return work({ db: txDb as unknown as Database, query: makeQuery(tx), copyIn });
        }) as Promise<never>,
      close: () => client.end({ timeout: 5 }),
      cancellable: (signal) => makeQuery(client, signal, true),
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
        const copyIn: CopyIn = async (table, columns) => {
          const statement = `copy ${table} (${columns.join(", ")}) from '/dev/blob'`;
          let pending: (string | Uint8Array)[] = [];
          let size = 0;
          const flush = async () => {
            if (size === 0) return;
            const blob = new Blob(pending);
            pending = [];
            size = 0;
            logger.logQuery(statement);
            await tx.query(statement, [], { blob });
          };
          return {
            write: (text) => {
              pending.push(text);
              size += text.length;
              if (size >= PGLITE_COPY_CHUNK) return flush();
            },
            end: flush,
            abort: async () => {
              pending = [];
              size = 0;
            },
          };
        };
        return work({ db: txDb as unknown as Database, query: makeQuery(tx), copyIn });
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
