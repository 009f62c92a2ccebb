// Re-checks an existing build against the first-visit budget (the build itself already fails
// above it: scripts/bundle-budget-plugin.ts). Reads vite's manifest and gzips the files.
//   tsx scripts/bundle-report.ts [dist]     → exits 1 above the budget
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { DASHBOARD_FIRST_VISIT, formatReport, measureFirstVisit, type Manifest } from "./bundle-budget.ts";

const dist = resolve(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? join(import.meta.dirname, "..", "dist"));
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Manifest;
const result = measureFirstVisit(manifest, DASHBOARD_FIRST_VISIT, (file) => gzipSync(readFileSync(join(dist, file))).length);
const { lines, error } = formatReport(result);
console.log(lines.join("\n"));
if (error) {
  console.error(error);
  process.exitCode = 1;
}
