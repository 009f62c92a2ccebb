// drizzle-kit writes foreign keys as REFERENCES "public"."table"; the product runs in whatever
// schema the connection's search_path names (tests isolate themselves in a schema each), so the
// committed migrations refer to tables unqualified. Run after `drizzle-kit generate`.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL("../drizzle", import.meta.url));
for (const file of readdirSync(folder).filter((f) => f.endsWith(".sql"))) {
  const path = `${folder}/${file}`;
  const text = readFileSync(path, "utf8");
  const unqualified = text.replaceAll('"public".', "");
  if (unqualified !== text) writeFileSync(path, unqualified);
}
