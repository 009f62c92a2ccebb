// Bounded work on PostgreSQL: a statement over the limit is stopped with query_canceled (57014),
// a statement whose caller went away is cancelled on the server, a session idle in a
// transaction is ended.
import { describe, expect, it } from "vitest";
import { createDb } from "./client.ts";

const url = process.env.TEST_DATABASE_URL;

describe.runIf(url)("statement bounds on PostgreSQL", () => {
  it("opens every connection without JIT compilation, whatever the server's default", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 2, statementTimeoutMs: 5000 });
    try {
      const [a, b] = await Promise.all([handle.query("select current_setting('jit') as jit, pg_sleep(0.1)"), handle.query("select current_setting('jit') as jit, pg_sleep(0.1)")]);
      expect([a?.[0]?.jit, b?.[0]?.jit]).toEqual(["off", "off"]);
      await handle.transaction(async ({ query }) => expect(await query("show jit")).toEqual([{ jit: "off" }]));
    } finally {
      await handle.close();
    }
  });

  it("stops a slow statement at the statement timeout with code 57014", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1, statementTimeoutMs: 300 });
    try {
      const started = Date.now();
      const error = await handle.query("select pg_sleep(5)").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "57014", message: expect.stringMatching(/statement timeout/) });
      expect(Date.now() - started).toBeLessThan(3000);
      // The connection is still usable after the timeout.
      expect(await handle.query("select 1 as ok")).toEqual([{ ok: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it("cancels the running statement on the server when the caller's signal aborts", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 2 });
    try {
      const gone = new AbortController();
      const marker = `ltvloop-cancel-${Date.now()}`;
      const slow = handle.cancellable(gone.signal)(`select pg_sleep(30), '${marker}'`).catch((e: unknown) => e);
      const running = async () =>
        (
          await handle.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()",
            [`%${marker}%`],
          )
        )[0]?.n;
      // Abort once the server runs it (on a busy machine sending it can take a moment).
      for (let i = 0; i < 100 && (await running()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await running()).toBe(1);
      gone.abort();
      expect(await slow).toMatchObject({ code: "57014" });
      expect(await running()).toBe(0);
      await expect(handle.cancellable(gone.signal)("select 1")).rejects.toThrow(/abort/i);
    } finally {
      await handle.close();
    }
  });

  // A cancel request names a connection, not a statement: sent as a statement ends, it stops the
  // next one that connection runs, for another request. bench:api saw it when its clients left.
  it("lets a short statement whose caller went away finish instead of sending a late cancel", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1 });
    try {
      const gone = new AbortController();
      const short = handle.cancellable(gone.signal)<{ n: number }>("select 1 as n from pg_sleep(0.1)");
      gone.abort();
      expect(await short).toEqual([{ n: 1 }]);
      // The next statement on the connection is not hit by a cancel.
      expect(await handle.query<{ n: number }>("select 2 as n from pg_sleep(0.6)")).toEqual([{ n: 2 }]);
    } finally {
      await handle.close();
    }
  });

  it("runs a statement once more when a cancel it did not ask for stopped it", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1 });
    const other = await createDb({ databaseUrl: url, maxConnections: 1 });
    try {
      const marker = `ltvloop-stray-${Date.now()}`;
      const victim = handle.query<{ n: number; tag: string }>(`select 3 as n, '${marker}' as tag from pg_sleep(0.5)`);
      const pidOf = async () =>
        (await other.query<{ pid: number }>("select pid from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()", [`%${marker}%`]))[0]?.pid;
      let pid: number | undefined;
      for (let i = 0; i < 100 && pid === undefined; i++) {
        pid = await pidOf();
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(pid).toBeDefined();
      expect((await other.query<{ ok: boolean }>("select pg_cancel_backend($1) as ok", [pid]))[0]?.ok).toBe(true);
      expect(await victim).toEqual([{ n: 3, tag: marker }]);
    } finally {
      await handle.close();
      await other.close();
    }
  });

  // postgres.js 3.4.9 counted rows per connection and reset the count only on success, so the
  // statement after one that failed mid-stream came back with holes at the front (a list read
  // after a cancelled request failed with "Cannot read properties of undefined"); patched in
  // patches/postgres@3.4.9.patch.
  it("gives the next statement on a connection all of its rows after one failed part-way through its rows", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1, statementTimeoutMs: 400 });
    try {
      const failed = await handle.query("select i, 1 / (4 - i) as boom from generate_series(1, 10) i").catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: "22012" });
      expect(await handle.query<{ x: number }>("select x from generate_series(1, 5) x")).toEqual([1, 2, 3, 4, 5].map((x) => ({ x })));
      // The same after a statement stopped by the timeout (or a cancel) once rows were on their way.
      const stopped = await handle
        .query("select i, case when i = 4 then pg_sleep(5) end as pause from generate_series(1, 10) i")
        .catch((e: unknown) => e);
      expect(stopped).toMatchObject({ code: "57014" });
      const after = await handle.query<{ x: number }>("select x from generate_series(1, 2) x");
      expect(after).toHaveLength(2);
      expect(after.every((row) => row !== undefined)).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it("ends a session left idle inside a transaction", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1, idleInTransactionTimeoutMs: 200 });
    try {
      const error = await handle
        .transaction(async ({ query }) => {
          await query("select 1");
          await new Promise((resolve) => setTimeout(resolve, 600));
          await query("select 2");
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(String((error as Error).message)).toMatch(/idle-in-transaction|terminat|closed/i);
    } finally {
      await handle.close();
    }
  });
});
