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
        extensions: { code: "STATEMENT_TIMEOUT" },
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
