// What a signed-in first visit to the dashboard downloads, and whether it fits the budget.
// Works on vite's manifest (or the same shape built from the bundle while it is written):
// a chunk is fetched with everything it imports statically; the first visit starts from the
// entry (index.html), the dashboard's route chunk and the message files of one language that
// the app and the dashboard load before they show (src/i18n/namespaces.ts). Pure functions,
// unit-tested on a small fake manifest (bundle-budget.test.ts).
import { ROUTE_NAMESPACES, SHELL_NAMESPACES } from "../src/i18n/namespaces.ts";

/** One chunk of vite's manifest (`.vite/manifest.json`), keyed by source path or `_shared-chunk.js`. */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

export interface FirstVisit {
  /** Always fetched: the entry and the chunks the first screen loads (manifest keys). */
  roots: string[];
  /** Exactly one member of each group is fetched (a language's message files, by language): the heaviest one counts. */
  oneOf: Record<string, string[]>[];
}

/** The budget, in KB (1024 bytes) of gzipped JavaScript. */
export const BUDGET_KB = 250;

/** The message files (manifest keys) a first visit to the dashboard loads in `locale`: the shell's and the dashboard's. */
export const dashboardMessages = (locale: string): string[] =>
  [...SHELL_NAMESPACES, ...(ROUTE_NAMESPACES["dashboard"] ?? [])].map((namespace) => `src/i18n/locales/${locale}/${namespace}.json`);

/** A signed-in first visit to `/`: the app shell (with the session check), the dashboard page, one language's messages for both. */
export const DASHBOARD_FIRST_VISIT: FirstVisit = {
  roots: ["index.html", "src/pages/home.vue"],
  oneOf: [{ ja: dashboardMessages("ja"), en: dashboardMessages("en") }],
};

/** Manifest keys a chunk needs before it runs: itself and its static imports, transitively. */
export function staticClosure(manifest: Manifest, key: string, into: Set<string> = new Set()): Set<string> {
  if (into.has(key)) return into;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`${key} is not in the build manifest (renamed or moved? update DASHBOARD_FIRST_VISIT in scripts/bundle-budget.ts)`);
  into.add(key);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

export interface BudgetFile {
  file: string;
  /** Gzipped bytes. */
  gzip: number;
}

export interface BudgetResult {
  /** JavaScript files of the first visit, largest first. */
  js: BudgetFile[];
  css: BudgetFile[];
  jsBytes: number;
  cssBytes: number;
  budgetBytes: number;
  /** Bytes above the budget; 0 when it fits. */
  overBytes: number;
  /** The member counted of each `oneOf` group (the heavier language). */
  counted: string[];
}

/**
 * The files a first visit downloads with their gzipped sizes. `gzipOf(file)` gives a file's
 * gzipped size in bytes. For a `oneOf` group the member whose own chunks (beyond what the
 * roots already fetch) weigh most counts.
 */
export function measureFirstVisit(manifest: Manifest, visit: FirstVisit, gzipOf: (file: string) => number, budgetKb = BUDGET_KB): BudgetResult {
  const keys = new Set<string>();
  for (const root of visit.roots) staticClosure(manifest, root, keys);
  const filesOf = (set: Set<string>) => {
    const files = new Set<string>();
    for (const key of set) {
      const chunk = manifest[key] as ManifestChunk;
      files.add(chunk.file);
      for (const sheet of chunk.css ?? []) files.add(sheet);
    }
    return files;
  };
  const weight = (files: Set<string>) => [...files].reduce((sum, f) => sum + gzipOf(f), 0);
  const counted: string[] = [];
  for (const group of visit.oneOf) {
    let heaviest: Set<string> | undefined;
    let heaviestName = "";
    let heaviestWeight = -1;
    const already = filesOf(keys);
    for (const [name, members] of Object.entries(group)) {
      const closure = new Set<string>();
      for (const member of members) staticClosure(manifest, member, closure);
      const w = weight(new Set([...filesOf(closure)].filter((f) => !already.has(f))));
      if (w > heaviestWeight) {
        heaviestWeight = w;
        heaviest = closure;
        heaviestName = name;
      }
    }
    for (const key of heaviest ?? []) keys.add(key);
    if (heaviest) counted.push(heaviestName);
  }
  const all = [...filesOf(keys)].map((file) => ({ file, gzip: gzipOf(file) })).sort((a, b) => b.gzip - a.gzip || a.file.localeCompare(b.file));
  const js = all.filter((f) => f.file.endsWith(".js"));
  const css = all.filter((f) => f.file.endsWith(".css"));
  const jsBytes = js.reduce((s, f) => s + f.gzip, 0);
  const budgetBytes = budgetKb * 1024;
  return { js, css, jsBytes, cssBytes: css.reduce((s, f) => s + f.gzip, 0), budgetBytes, overBytes: Math.max(0, jsBytes - budgetBytes), counted };
}

export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** The report lines: every file, the total against the budget, and (when over) what to do. */
export function formatReport(result: BudgetResult, listFiles = true): { lines: string[]; error: string | null } {
  const lines: string[] = [];
  if (listFiles) for (const f of [...result.js, ...result.css]) lines.push(`  ${f.file.padEnd(56)} ${kb(f.gzip).padStart(7)} KB gzip`);
  lines.push(
    `A signed-in first visit to the dashboard downloads ${kb(result.jsBytes)} KB of JavaScript gzip ` +
      `(budget ${kb(result.budgetBytes)} KB, ${result.overBytes ? `${kb(result.overBytes)} KB over` : `${kb(result.budgetBytes - result.jsBytes)} KB to spare`}) ` +
      `and ${kb(result.cssBytes)} KB of CSS gzip.`,
  );
  if (!result.overBytes) return { lines, error: null };
  const largest = result.js
    .slice(0, 5)
    .map((f) => `${f.file} ${kb(f.gzip)} KB`)
    .join(", ");
  return {
    lines,
    error:
      `Admin bundle over budget: the dashboard's first visit downloads ${kb(result.jsBytes)} KB of JavaScript gzip, ` +
      `${kb(result.overBytes)} KB over the ${kb(result.budgetBytes)} KB budget. Largest chunks: ${largest}. ` +
      "Load what the first screen does not show lazily (a route import, defineAsyncComponent, or a dynamic import when it is wanted), " +
      "or import fewer modules of a package.",
  };
}
