import { createDb } from "@ltvloop/db/client";
import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { createFormatError } from "./format-error.ts";

const url = process.env.TEST_DATABASE_URL;

describe("a statement stopped by the database's timeout", () => {
  const format = createFormatError(true, 30_000);
  const asResolverError = (original: Error) => new GraphQLError(original.message, { originalError: original, path: ["customers"] });

  it.runIf(url)("is answered STATEMENT_TIMEOUT naming the limit and its setting, not an internal error", async () => {
    const handle = await createDb({ databaseUrl: url, maxConnections: 1, statementTimeoutMs: 200 });
    try {
      const error = (await handle.query("select pg_sleep(3)").catch((e: unknown) => e)) as Error;
      const formatted = format({ message: error.message, path: ["customers"] }, asResolverError(error));
      expect(formatted).toEqual({
        message: expect.stringMatching(/longer than the server's limit of 30 s \(LTVLOOP_STATEMENT_TIMEOUT_MS\)/),
        path: ["customers"],
        extensions: { code: "STATEMENT_TIMEOUT" },
      });
    } finally {
      await handle.close();
    }
  });

  it("keeps any other database error internal", () => {
    const other = Object.assign(new Error("relation x does not exist"), { code: "42P01" });
    const formatted = format({ message: other.message }, asResolverError(other));
    expect(formatted.extensions?.code).toBe("INTERNAL_SERVER_ERROR");
    expect(formatted.message).not.toContain("relation");
  });
});
