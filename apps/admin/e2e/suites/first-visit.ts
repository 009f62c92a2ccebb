// What a signed-in first visit to the dashboard downloads, measured in the browser: every
// JavaScript response of a visit with an empty cache, gzipped here (the figure a compressing
// server or proxy sends), checked against the budget and against the build's own account of
// that visit (dist/.vite/first-visit.json, written by scripts/bundle-budget-plugin.ts). Then
// the parts the dashboard loads only when wanted: the chart when scrolled to, the month picker
// when opened, the other language's messages when switched to, a page's messages when it opens.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { assert, BASE, login, open, SHOTS, step, type Suite } from "../harness.ts";

const BUDGET_KB = 250;
const BUILD_ACCOUNT = join(import.meta.dirname, "..", "..", "dist", ".vite", "first-visit.json");

interface Download {
  file: string;
  bytes: number;
  gzip: number;
}

/** Records the JavaScript the page downloads from the app's own origin, from now on. */
function recordScripts(page: Page): Download[] {
  const downloads: Download[] = [];
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (!url.pathname.endsWith(".js") || url.origin !== new URL(BASE).origin) return;
    void response.body().then((body) => downloads.push({ file: url.pathname.slice(1), bytes: body.length, gzip: gzipSync(body).length }));
  });
  return downloads;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const sum = (list: Download[], pick: (d: Download) => number) => list.reduce((s, d) => s + pick(d), 0);

export const firstVisit: Suite = {
  name: "first-visit",
  async run(browser: Browser): Promise<void> {
    for (const lang of ["ja", "en"] as const) {
      // Sign in in one context, then visit / in a fresh one that has only the session cookie.
      const signIn = await open(browser, lang);
      await login(signIn, "analyst@example.com");
      await signIn.page.getByTestId("language").selectOption(lang);
      const state = await signIn.context.storageState();
      await signIn.context.close();
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: lang === "ja" ? "ja-JP" : "en-US", storageState: state });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const downloads = recordScripts(page);

      await step(`${lang}: a signed-in first visit to the dashboard downloads at most ${BUDGET_KB} KB of JavaScript gzip`, async () => {
        await page.goto(`${BASE}/`);
        await page.getByTestId("kpi-cards").waitFor();
        await page.getByTestId("cohort-row").first().waitFor();
        await page.waitForLoadState("networkidle");
        await page.waitForTimeout(500);
        const gzip = sum(downloads, (d) => d.gzip);
        console.log(
          `    ${lang}: ${downloads.length} scripts, ${kb(sum(downloads, (d) => d.bytes))} KB as served, ${kb(gzip)} KB gzip: ` +
            [...downloads].sort((a, b) => b.gzip - a.gzip).map((d) => `${d.file.replace(/^assets\//, "")} ${kb(d.gzip)}`).join(", "),
        );
        assert(gzip <= BUDGET_KB * 1024, `the first visit downloaded ${kb(gzip)} KB of JavaScript gzip, over the ${BUDGET_KB} KB budget`);
        assert(!downloads.some((d) => /echarts|EChart|MonthRangePicker|DatePicker/.test(d.file)), `the first visit fetched code it does not show: ${downloads.map((d) => d.file).join(", ")}`);
        assert(errors.length === 0, `page errors: ${errors.join(" | ")}`);
        if (existsSync(BUILD_ACCOUNT)) {
          // The build counts the heavier language's message files; a visit fetches exactly its own language's.
          const account = JSON.parse(readFileSync(BUILD_ACCOUNT, "utf8")) as { js: { file: string }[]; messages: Record<string, string[]> };
          const allMessages = new Set(Object.values(account.messages).flat());
          const expected = new Set([...account.js.map((f) => f.file).filter((f) => !allMessages.has(f)), ...(account.messages[lang] ?? [])]);
          assert((account.messages[lang] ?? []).length > 0, `the build's account lists no ${lang} message files`);
          const unbudgeted = downloads.filter((d) => !expected.has(d.file));
          assert(unbudgeted.length === 0, `downloaded but not counted by the build's budget: ${unbudgeted.map((d) => d.file).join(", ")}`);
          const missing = [...expected].filter((f) => !downloads.some((d) => d.file === f));
          assert(missing.length === 0, `counted by the build but not downloaded: ${missing.join(", ")}`);
        }
      });

      await step(`${lang}: the revenue chart draws when scrolled to, fetching ECharts then`, async () => {
        const before = downloads.length;
        await page.getByTestId("segment-revenue").scrollIntoViewIfNeeded();
        const canvas = page.getByTestId("segment-revenue").locator("canvas").first();
        await canvas.waitFor();
        const box = await canvas.boundingBox();
        assert(box && box.width > 100 && box.height > 100, `the chart's canvas is ${box?.width}×${box?.height}`);
        await page.waitForLoadState("networkidle");
        const later = downloads.slice(before);
        console.log(`    ${lang}: the chart fetched ${later.length} scripts, ${kb(sum(later, (d) => d.gzip))} KB gzip`);
        assert(later.some((d) => /echarts|EChart/.test(d.file)), "no ECharts chunk was fetched for the chart");
        await page.waitForTimeout(600);
        await page.screenshot({ path: join(SHOTS, `first-visit-chart-${lang}.png`) });
      });

      await step(`${lang}: the month range picker opens from its button and sets the range`, async () => {
        await page.getByTestId("date-range").scrollIntoViewIfNeeded();
        await page.getByTestId("range-picker-open").click();
        const panel = page.locator(".n-date-panel");
        await panel.waitFor();
        await page.screenshot({ path: join(SHOTS, `first-visit-picker-${lang}.png`) });
        // January in the start calendar's month column, confirmed: the range starts in January.
        const startMonths = panel.locator(".n-date-panel-calendar--start .n-date-panel-month-calendar > .n-date-panel-month-calendar__picker-col").nth(1);
        await startMonths.locator(".n-date-panel-month-calendar__picker-col-item").first().click();
        await panel.locator(".n-date-panel-actions .n-button--primary-type").click();
        await page.waitForURL(/from=\d{4}-01&to=\d{4}-\d{2}/);
        await panel.waitFor({ state: "hidden" });
        assert(errors.length === 0, `page errors: ${errors.join(" | ")}`);
      });

      const other = lang === "ja" ? "en" : "ja";
      await step(`${lang}: switching to ${other} fetches its messages then, and back`, async () => {
        const before = downloads.length;
        await page.getByTestId("language").selectOption(other);
        await page.getByTestId("nav-dashboard").getByText(other === "ja" ? "ダッシュボード" : "Dashboard").waitFor();
        await page.waitForLoadState("networkidle");
        const fetched = downloads.slice(before).map((d) => d.file);
        for (const namespace of ["core", "daily"]) assert(fetched.some((f) => f.includes(`messages-${other}-${namespace}-`)), `no ${other} ${namespace} messages were fetched on switching: ${fetched.join(", ")}`);
        assert((await page.evaluate(() => document.documentElement.lang)) === other, "the page's lang attribute did not follow the switch");
        await page.getByTestId("language").selectOption(lang);
        await page.getByTestId("nav-dashboard").getByText(lang === "ja" ? "ダッシュボード" : "Dashboard").waitFor();
        assert(errors.length === 0, `page errors: ${errors.join(" | ")}`);
      });
      await context.close();
    }
  },
};
