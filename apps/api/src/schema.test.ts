import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { printSchemaFile } from "./schema.ts";

describe("schema.graphql", () => {
  it("is up to date with the code (run `pnpm --filter @ltvloop/api schema` to refresh it)", async () => {
    const committed = readFileSync(fileURLToPath(new URL("../schema.graphql", import.meta.url)), "utf8");
    expect(committed).toBe(await printSchemaFile());
  });
});
