import { describe, expect, it } from "vitest";
import { formatReport, measureFirstVisit, staticClosure, type FirstVisit, type Manifest } from "./bundle-budget.ts";
import { packageOf } from "./bundle-budget-plugin.ts";

// A small app: the entry imports vue statically and its pages lazily; the dashboard page shares
// a card chunk with the customers page and loads its chart lazily; two message files per language.
const JA_CORE = "src/i18n/locales/ja/core.json";
const JA_DAILY = "src/i18n/locales/ja/daily.json";
const EN_CORE = "src/i18n/locales/en/core.json";
const EN_DAILY = "src/i18n/locales/en/daily.json";
const manifest: Manifest = {
  "index.html": { file: "assets/index.js", isEntry: true, imports: ["_vue.js"], dynamicImports: ["src/pages/home.vue", "src/pages/customers.vue", JA_CORE, JA_DAILY, EN_CORE, EN_DAILY], css: ["assets/index.css"] },
  "_vue.js": { file: "assets/vue.js" },
  "_card.js": { file: "assets/card.js", imports: ["_vue.js"], css: ["assets/card.css"] },
  "src/pages/home.vue": { file: "assets/home.js", isDynamicEntry: true, imports: ["_card.js", "_vue.js"], dynamicImports: ["src/Chart.vue"] },
  "src/pages/customers.vue": { file: "assets/customers.js", isDynamicEntry: true, imports: ["_card.js", "_table.js"] },
  "_table.js": { file: "assets/table.js" },
  "src/Chart.vue": { file: "assets/chart.js", isDynamicEntry: true, imports: ["_echarts.js"] },
  "_echarts.js": { file: "assets/echarts.js" },
  [JA_CORE]: { file: "assets/messages-ja-core.js", isDynamicEntry: true, imports: ["_merge.js"] },
  [JA_DAILY]: { file: "assets/messages-ja-daily.js", isDynamicEntry: true, imports: ["_merge.js"] },
  [EN_CORE]: { file: "assets/messages-en-core.js", isDynamicEntry: true, imports: ["_merge.js"] },
  [EN_DAILY]: { file: "assets/messages-en-daily.js", isDynamicEntry: true, imports: ["_merge.js"] },
  "_merge.js": { file: "assets/merge.js" },
};
const KB = 1024;
const sizes: Record<string, number> = {
  "assets/index.js": 100 * KB,
  "assets/vue.js": 40 * KB,
  "assets/card.js": 10 * KB,
  "assets/home.js": 20 * KB,
  "assets/customers.js": 30 * KB,
  "assets/table.js": 50 * KB,
  "assets/chart.js": 5 * KB,
  "assets/echarts.js": 180 * KB,
  "assets/messages-ja-core.js": 20 * KB,
  "assets/messages-ja-daily.js": 12 * KB,
  "assets/messages-en-core.js": 18 * KB,
  "assets/messages-en-daily.js": 10 * KB,
  "assets/merge.js": 1 * KB,
  "assets/index.css": 2 * KB,
  "assets/card.css": 1 * KB,
};
const gzipOf = (file: string) => sizes[file] ?? Number.NaN;
const visit: FirstVisit = { roots: ["index.html", "src/pages/home.vue"], oneOf: [{ ja: [JA_CORE, JA_DAILY], en: [EN_CORE, EN_DAILY] }] };

describe("first-visit budget", () => {
  it("counts the entry, the route and their static imports once each, and the heavier language's message files; not lazy chunks", () => {
    const result = measureFirstVisit(manifest, visit, gzipOf);
    expect(result.js.map((f) => f.file).sort()).toEqual(["assets/card.js", "assets/home.js", "assets/index.js", "assets/merge.js", "assets/messages-ja-core.js", "assets/messages-ja-daily.js", "assets/vue.js"]);
    expect(result.counted).toEqual(["ja"]);
    expect(result.jsBytes).toBe((100 + 40 + 10 + 20 + 32 + 1) * KB);
    expect(result.css.map((f) => f.file).sort()).toEqual(["assets/card.css", "assets/index.css"]);
    expect(result.cssBytes).toBe(3 * KB);
    expect(result.overBytes).toBe(0);
  });

  it("a language whose own chunks weigh more than the other's counts instead", () => {
    const heavierEnglish = (file: string) => (file === "assets/messages-en-daily.js" ? 20 * KB : gzipOf(file));
    const result = measureFirstVisit(manifest, visit, heavierEnglish);
    expect(result.js.map((f) => f.file)).toEqual(expect.arrayContaining(["assets/messages-en-core.js", "assets/messages-en-daily.js"]));
    expect(result.js.map((f) => f.file).filter((f) => f.includes("-ja-"))).toEqual([]);
    expect(result.counted).toEqual(["en"]);
    expect(result.jsBytes).toBe((100 + 40 + 10 + 20 + 18 + 20 + 1) * KB);
  });

  it("above the budget it reports by how much and names the largest chunks", () => {
    const result = measureFirstVisit(manifest, visit, gzipOf, 200);
    expect(result.overBytes).toBe(3 * KB);
    const { error, lines } = formatReport(result);
    expect(error).toMatch(/3\.0 KB over the 200\.0 KB budget/);
    expect(error).toMatch(/Largest chunks: assets\/index\.js 100\.0 KB, assets\/vue\.js 40\.0 KB/);
    expect(lines.at(-1)).toMatch(/downloads 203\.0 KB of JavaScript gzip \(budget 200\.0 KB, 3\.0 KB over\)/);
  });

  it("a chart moved from lazy to static import is counted", () => {
    const eager: Manifest = { ...manifest, "src/pages/home.vue": { ...manifest["src/pages/home.vue"]!, imports: ["_card.js", "src/Chart.vue"], dynamicImports: [] } };
    const result = measureFirstVisit(eager, visit, gzipOf);
    expect(result.jsBytes).toBe((100 + 40 + 10 + 20 + 32 + 1 + 5 + 180) * KB);
    expect(formatReport(result).error).toMatch(/138\.0 KB over the 250\.0 KB budget/);
  });

  it("a root missing from the manifest is an error naming it", () => {
    expect(() => staticClosure(manifest, "src/pages/dashboard.vue")).toThrow(/src\/pages\/dashboard\.vue is not in the build manifest/);
  });

  it("attributes modules to packages", () => {
    expect(packageOf("/r/node_modules/.pnpm/@apollo+client@3.14.0_x/node_modules/@apollo/client/core/index.js")).toBe("@apollo/client");
    expect(packageOf("/r/node_modules/.pnpm/naive-ui@2.45.3/node_modules/naive-ui/es/button/src/Button.mjs")).toBe("naive-ui");
    expect(packageOf("/r/apps/admin/node_modules/vue/index.js")).toBe("vue");
    expect(packageOf("/r/apps/admin/src/i18n/locales/ja/core.json")).toBe("(app: messages)");
    expect(packageOf("/r/apps/admin/src/pages/home.vue")).toBe("(app)");
  });
});
