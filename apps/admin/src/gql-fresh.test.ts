import { generate } from "@graphql-codegen/cli";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import config from "../codegen.ts";

describe("src/gql", () => {
  it("matches what `pnpm codegen` would generate from the schema and the documents", async () => {
    const outputs = await generate({ ...config, cwd: join(import.meta.dirname, ".."), silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const onDisk = readFileSync(join(import.meta.dirname, "..", output.filename), "utf8");
      expect(onDisk, `${output.filename} is stale: run pnpm --filter @ltvloop/admin codegen`).toBe(output.content);
    }
  }, 30_000);
});
