import { createTestDb, testDatabaseKinds } from "@ltvloop/db/testing";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { createFormatError } from "./format-error.ts";

const onPostgres = testDatabaseKinds().includes("postgres");

describe("a statement stopped by the database's timeout", () => {
  const format = createFormatError(true, 30_000);
  const asResolverError = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["customers"] });

  it.runIf(onPostgres)("is answered STATEMENT_TIMEOUT naming the limit and its setting, not an internal error", async () => {
    const handle = await createTestDb("postgres");
    try {
      const error = (await handle
        .transaction(async ({ query }) => {
          await query("set local statement_timeout = 200");
          await query("select pg_sleep(3)");
        })
        .catch((e: unknown) => e)) as Error;
      expect(error).toMatchObject({ code: "57014" });
      const formatted = format({ message: error.message, path: ["customers"] }, asResolverError(error));
      expect(formatted).toEqual({
        message: expect.stringMatching(/longer than the server's limit of 30 s \(LTVLOOP_STATEMENT_TIMEOUT_MS\)/),
        path: ["customers"],
        extensions: { code: "STATEMENT_TIMEOUT", reason: "STATEMENT_TIMEOUT", params: { seconds: 30 } },
      });
      // Without a limit of the server's own, the timeout came from the database's settings: no limit to name.
      const unlimited = createFormatError(true, 0)({ message: error.message }, asResolverError(error));
      expect(unlimited.extensions).toEqual({ code: "STATEMENT_TIMEOUT" });
      expect(unlimited.message).not.toMatch(/ of \d/);
    } finally {
      await handle.destroy();
    }
  });

  it.runIf(onPostgres)("is answered QUERY_CANCELLED, not a timeout, when someone else cancels the statement", async () => {
    const handle = await createTestDb("postgres");
    const name = `cancel-me-${process.pid}-${Date.now()}`;
    try {
      const running = handle
        .transaction(async ({ query }) => {
          await query("select set_config('application_name', $1, true)", [name]);
          await query("select pg_sleep(10)");
        })
        .catch((e: unknown) => e);
      let cancelled = false;
      for (let i = 0; i < 100 && !cancelled; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const rows = await handle.query<{ ok: boolean }>("select pg_cancel_backend(pid) as ok from pg_stat_activity where application_name = $1 and state = 'active'", [name]);
        cancelled = rows.some((r) => r.ok);
      }
      expect(cancelled).toBe(true);
      const error = (await running) as Error;
      expect(error).toMatchObject({ code: "57014" });
      expect(format({ message: error.message, path: ["customers"] }, asResolverError(error))).toEqual({
        message: expect.stringMatching(/cancelled this request before it finished/),
        path: ["customers"],
        extensions: { code: "QUERY_CANCELLED", reason: "QUERY_CANCELLED" },
      });
    } finally {
      await handle.destroy();
    }
  });

  it("keeps any other database error internal", () => {
    const other = Object.assign(new Error("relation x does not exist"), { code: "42P01" });
    const formatted = format({ message: other.message }, asResolverError(other));
    expect(formatted.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(formatted.message).not.toContain("relation");
  });
});
