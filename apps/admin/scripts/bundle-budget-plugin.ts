// Fails `vite build` when a signed-in first visit to the dashboard downloads more than the
// budget of gzipped JavaScript, before anything is written. Prints what that visit downloads,
// per file and per package, and what the dashboard loads only later when asked for it.
// Writes dist/.vite/first-visit.json: the files and sizes, for the browser suite that checks
// a real first visit downloads no JavaScript besides them.
import { basename, relative } from "node:path";
import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";
import { BUDGET_KB, DASHBOARD_FIRST_VISIT, formatReport, kb, measureFirstVisit, staticClosure, type Manifest } from "./bundle-budget.ts";

/** Loaded by the dashboard only when wanted: reported, not counted (manifest keys). */
const LATER: { what: string; keys: string[] }[] = [
  { what: "revenue chart, when it scrolls near (ECharts core, canvas renderer, bar series)", keys: ["src/features/shared/components/EChart.vue", "src/features/shared/components/echarts/bar.ts"] },
  { what: "month range picker, when opened", keys: ["src/features/dashboard/components/MonthRangePicker.vue"] },
];

/** node_modules/.pnpm/x@1/node_modules/@scope/name/… → @scope/name; the app's own files → "(app)". */
export function packageOf(id: string): string {
  const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll("\\", "/"));
  if (match) return match[1] as string;
  if (/\/src\/i18n\/locales\//.test(id)) return "(app: messages)";
  return "(app)";
}

export function bundleBudgetPlugin(): Plugin {
  let root = process.cwd();
  return {
    name: "ltvloop:bundle-budget",
    apply: "build",
    enforce: "post",
    configResolved(config) {
      root = config.root;
    },
    // After every other plugin's generateBundle (vite fills in the preload lists there): the
    // code measured is the code written.
    generateBundle: {
      order: "post",
      handler(_options, bundle) {
        // The manifest's shape, from the bundle itself (vite writes its manifest later).
        const keyOf = new Map<string, string>();
        for (const output of Object.values(bundle)) {
          if (output.type !== "chunk") continue;
          keyOf.set(output.fileName, output.facadeModuleId ? relative(root, output.facadeModuleId).replaceAll("\\", "/") : `_${basename(output.fileName)}`);
        }
        const manifest: Manifest = {};
        const gzip = new Map<string, number>();
        const packages = new Map<string, Map<string, number>>();
        for (const output of Object.values(bundle)) {
          if (output.type === "asset") {
            if (output.fileName.endsWith(".css")) gzip.set(output.fileName, gzipSync(output.source).length);
            continue;
          }
          const key = keyOf.get(output.fileName) as string;
          manifest[key] = {
            file: output.fileName,
            imports: output.imports.map((f) => keyOf.get(f)).filter((k): k is string => !!k),
            dynamicImports: output.dynamicImports.map((f) => keyOf.get(f)).filter((k): k is string => !!k),
            css: [...(output.viteMetadata?.importedCss ?? [])],
          };
          gzip.set(output.fileName, gzipSync(output.code).length);
          const byPackage = new Map<string, number>();
          for (const [id, module] of Object.entries(output.modules)) byPackage.set(packageOf(id), (byPackage.get(packageOf(id)) ?? 0) + module.renderedLength);
          packages.set(output.fileName, byPackage);
        }
        const gzipOf = (file: string) => gzip.get(file) ?? 0;
        const result = measureFirstVisit(manifest, DASHBOARD_FIRST_VISIT, gzipOf);

        // Per package: each file's gzipped size shared out by its packages' share of its code.
        const perPackage = new Map<string, number>();
        for (const { file, gzip: size } of result.js) {
          const byPackage = packages.get(file) ?? new Map<string, number>();
          const total = [...byPackage.values()].reduce((s, n) => s + n, 0) || 1;
          for (const [name, length] of byPackage) perPackage.set(name, (perPackage.get(name) ?? 0) + (size * length) / total);
        }
        const { lines, error } = formatReport(result, false);
        const counted = new Set(result.js.map((f) => f.file));
        const later = LATER.filter(({ keys }) => keys.every((k) => manifest[k])).map(({ what, keys }) => {
          const files = new Set<string>();
          for (const k of keys) for (const key of staticClosure(manifest, k)) files.add(manifest[key]?.file as string);
          const bytes = [...files].filter((f) => f.endsWith(".js") && !counted.has(f)).reduce((s, f) => s + gzipOf(f), 0);
          return `${what}: ${kb(bytes)} KB`;
        });
        // The other language's files of the same screens, fetched when the language is switched.
        for (const group of DASHBOARD_FIRST_VISIT.oneOf) {
          for (const [name, keys] of Object.entries(group)) {
            if (result.counted.includes(name) || !keys.every((k) => manifest[k])) continue;
            const bytes = keys.map((k) => manifest[k]?.file as string).filter((f) => !counted.has(f)).reduce((s, f) => s + gzipOf(f), 0);
            later.push(`the ${name} messages, when the language is switched: ${kb(bytes)} KB`);
          }
        }
        const top = [...perPackage].sort((a, b) => b[1] - a[1]);
        const shown = top.filter(([, b]) => b >= 1024);
        const rest = top.slice(shown.length).reduce((s, [, b]) => s + b, 0);
        console.log(
          [
            ...lines,
            `  by package (KB gzip): ${[...shown.map(([n, b]) => `${n} ${kb(b)}`), `others ${kb(rest)}`].join(", ")}`,
            `  by file: ${result.js.map((f) => `${f.file.replace(/^assets\//, "")} ${kb(f.gzip)}`).join(", ")}`,
            `  loaded later (KB gzip, not counted): ${later.join("; ")}`,
          ].join("\n"),
        );
        // Each language's message files of this visit: the browser suite expects exactly its language's.
        const messages = Object.fromEntries(
          DASHBOARD_FIRST_VISIT.oneOf.flatMap((group) => Object.entries(group)).map(([name, keys]) => [name, keys.map((k) => manifest[k]?.file as string)]),
        );
        this.emitFile({
          type: "asset",
          fileName: ".vite/first-visit.json",
          source: `${JSON.stringify({ budgetKb: BUDGET_KB, jsBytes: result.jsBytes, js: result.js, css: result.css, messages }, null, 2)}\n`,
        });
        if (error) this.error(error);
      },
    },
  };
}
