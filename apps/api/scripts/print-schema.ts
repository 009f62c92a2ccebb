// Writes apps/api/schema.graphql from the code. The admin's typed operations are generated from
// this file, and a test fails when it is stale: run `pnpm --filter @ltvloop/api schema` after
// changing a type, input or resolver.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { printSchemaFile } from "../src/schema.ts";

const target = fileURLToPath(new URL("../schema.graphql", import.meta.url));
writeFileSync(target, await printSchemaFile());
process.stdout.write(`Wrote ${target}\n`);
