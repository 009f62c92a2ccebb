// Prints what a signed-in first visit to the dashboard downloads, gzipped, and fails the build
// when that JavaScript exceeds the budget. Followed from vite's manifest: the entry (index.html)
// and its static imports, then the chunks the dashboard loads as it renders — its route
// component and the chart component it shows — each with their static imports. Other lazy
// chunks (other pages, the GraphQL explorer) are listed by vite's own report and do not count.
//   tsx scripts/bundle-report.ts [dist] [--enforce]
// `pnpm build` prints the report; `pnpm bundle:budget` (--enforce) exits 1 above the budget.
// The dashboard is above it today (ECharts' core and renderer, ~150 KB gzip, and the entry's
// Apollo Client and both languages' messages): enforcing it in the build would fail every build
// until those load differently, so the build reports the gap and CI can run the check.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
/** What the dashboard route loads on a signed-in visit, besides the entry (manifest keys). */
const DASHBOARD_CHUNKS = ["src/pages/home.vue", "src/features/shared/components/EChart.vue", "src/features/shared/components/echarts/bar.ts"];

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const args = process.argv.slice(2);
const enforce = args.includes("--enforce");
const dist = resolve(args.find((a) => !a.startsWith("--")) ?? join(import.meta.dirname, "..", "dist"));
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;

/** A chunk with everything it imports statically (what the browser fetches before running it). */
function closure(key: string, into: Set<string>): void {
  if (into.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the build manifest: update DASHBOARD_CHUNKS in scripts/bundle-report.ts.`);
  into.add(key);
  for (const imported of chunk.imports ?? []) closure(imported, into);
}

const keys = new Set<string>();
closure("index.html", keys);
for (const key of DASHBOARD_CHUNKS) closure(key, keys);

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
let js = 0;
let css = 0;
const files = new Set<string>();
for (const key of keys) {
  const chunk = manifest[key] as ManifestChunk;
  files.add(chunk.file);
  for (const sheet of chunk.css ?? []) files.add(sheet);
}
for (const file of [...files].sort()) {
  const gz = gzipSync(readFileSync(join(dist, file))).length;
  if (file.endsWith(".js")) js += gz;
  else css += gz;
  console.log(`  ${file.padEnd(52)} ${kb(gz).padStart(7)} KB gzip`);
}
console.log(
  `A signed-in first visit to the dashboard downloads ${kb(js)} KB of JavaScript gzip (budget ${BUDGET_KB} KB) and ${kb(css)} KB of CSS gzip.`,
);
if (js / 1024 > BUDGET_KB) {
  console.error(
    `OVER BUDGET by ${kb(js - BUDGET_KB * 1024)} KB: the dashboard's first visit is over the ${BUDGET_KB} KB budget. ` +
      "Load code lazily (defineAsyncComponent or a route import), register fewer ECharts modules, or split the messages per language.",
  );
  if (enforce) process.exitCode = 1;
}
