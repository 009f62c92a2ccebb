// Prints what a first visit downloads — the scripts and styles index.html loads or preloads —
// gzipped, and fails the build when that JavaScript exceeds the budget. Lazy chunks (charts,
// the GraphQL explorer) are listed by vite's own report and do not count.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 350;
const dist = resolve(process.argv[2] ?? join(import.meta.dirname, "..", "dist"));
const html = readFileSync(join(dist, "index.html"), "utf8");
const assets = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] as string);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
let js = 0;
let css = 0;
for (const asset of [...new Set(assets)]) {
  const gz = gzipSync(readFileSync(join(dist, asset))).length;
  if (asset.endsWith(".js")) js += gz;
  else css += gz;
  console.log(`  ${asset.padEnd(52)} ${kb(gz).padStart(7)} KB gzip`);
}
console.log(`Initial JavaScript: ${kb(js)} KB gzip (budget ${BUDGET_KB} KB); initial CSS ${kb(css)} KB gzip.`);
if (js / 1024 > BUDGET_KB) {
  console.error(`The initial JavaScript is over the ${BUDGET_KB} KB budget: load the new code lazily (defineAsyncComponent or a route import).`);
  process.exitCode = 1;
}
