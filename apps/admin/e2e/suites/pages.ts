import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { assert, BASE, login, open, SHOTS, step, type Suite } from "../harness.ts";

/**
 * Japanese sentences of one paragraph follow each other without a space (「…です。粗利率は…」):
 * paragraphs built from several messages showed 「…付き。 粗利率は…。 ROIの…」, and a full-width
 * parenthesis follows its word directly.
 */
async function assertJapaneseSentences(page: Page): Promise<void> {
  const text = await page.locator("main").innerText();
  const spaced = text.split("\n").filter((line) => /[。、][ \u3000]+\S/.test(line));
  assert(spaced.length === 0, `a space after 。 or 、: ${spaced.slice(0, 3).join(" | ")}`);
  // Nor before a full-width parenthesis (「…時点 （本日）」 on the snapshot card).
  const beforeParen = text.split("\n").filter((line) => /\S[ \u3000]+（/.test(line));
  assert(beforeParen.length === 0, `a space before （: ${beforeParen.slice(0, 3).join(" | ")}`);
}

export const pages: Suite = {
  name: "pages",
  async run(browser: Browser): Promise<void> {
    // Every page, both languages, as admin: no console errors, and a screenshot each.
    for (const lang of ["en", "ja"] as const) {
      const s = await open(browser, lang);
      let isSignedIn = false;
      await step(`${lang}: admin signs in`, async () => {
        await login(s, "admin@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        isSignedIn = true;
      });
      if (!isSignedIn) {
        await s.context.close();
        continue;
      }
      // `chart`: a chart below the fold that draws when scrolled to; the screenshot shows it drawn.
      const pages: { name: string; path: string; ready: string; chart?: string }[] = [
        { name: "dashboard", path: "/", ready: "kpi-cards", chart: "segment-revenue" },
        { name: "customers", path: "/customers", ready: "customer-row" },
        { name: "segments", path: "/segments", ready: "rf-matrix" },
        { name: "campaigns", path: "/campaigns", ready: "campaign-board" },
        { name: "clv", path: "/clv", ready: "clv-model" },
        { name: "settings", path: "/settings", ready: "settings" },
      ];
      for (const p of pages) {
        await step(`${lang}: ${p.name} renders without console errors`, async () => {
          s.consoleErrors.length = 0;
          await s.page.goto(`${BASE}${p.path}`);
          await s.page.getByTestId(p.ready).first().waitFor({ timeout: 15_000 });
          if (p.chart) {
            // Scrolled to once everything above it has loaded (and stopped growing).
            await s.page.waitForLoadState("networkidle");
            await s.page.getByTestId(p.chart).scrollIntoViewIfNeeded();
            await s.page.getByTestId(p.chart).locator("canvas").first().waitFor({ timeout: 15_000 });
          }
          await s.page.waitForLoadState("networkidle");
          await s.page.waitForTimeout(600);
          await s.page.screenshot({ path: join(SHOTS, `${p.name}-${lang}.png`), fullPage: true });
          assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
          if (lang === "ja") await assertJapaneseSentences(s.page);
        });
      }
      await step(`${lang}: customer detail renders without console errors`, async () => {
        s.consoleErrors.length = 0;
        await s.page.goto(`${BASE}/customers`);
        await s.page.getByTestId("customer-row").first().click();
        await s.page.getByTestId("customer-detail").waitFor({ timeout: 15_000 });
        await s.page.getByTestId("customer-orders").waitFor();
        await s.page.waitForLoadState("networkidle");
        await s.page.waitForTimeout(600);
        await s.page.screenshot({ path: join(SHOTS, `customer-detail-${lang}.png`), fullPage: true });
        assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
      });
      await step(`${lang}: campaign detail renders without console errors`, async () => {
        s.consoleErrors.length = 0;
        await s.page.goto(`${BASE}/campaigns`);
        await s.page.getByTestId("column-ACTED").getByTestId("campaign-card").first().click();
        await s.page.getByTestId("campaign-detail").waitFor({ timeout: 15_000 });
        await s.page.waitForLoadState("networkidle");
        await s.page.waitForTimeout(600);
        await s.page.screenshot({ path: join(SHOTS, `campaign-detail-${lang}.png`), fullPage: true });
        assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
        if (lang === "ja") await assertJapaneseSentences(s.page);
      });
      await step(`${lang}: on a 1280 px laptop the header keeps one line and the acquisition, loyalty, import-history and segment tables fit their cards`, async () => {
        await s.page.setViewportSize({ width: 1280, height: 900 });
        try {
          const problems: string[] = [];
          for (const [path, ready] of [["/acquisition", "acquisition"], ["/loyalty", "loyalty-segment-table"], ["/imports", "import-history"], ["/segments", "segment-row"]] as const) {
            await s.page.goto(`${BASE}${path}`);
            await s.page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
            await s.page.waitForLoadState("networkidle", { timeout: 60_000 });
            problems.push(
              ...(await s.page.evaluate((where) => {
                const out: string[] = [];
                // "Sign out" went onto a second header line in English (the tagline is longer).
                const logout = document.querySelector("[data-testid=logout]")?.getBoundingClientRect();
                const search = document.querySelector("header input")?.getBoundingClientRect();
                if (logout && search && logout.top > search.bottom) out.push(`${where}: the header wraps (Sign out below the search box)`);
                // A naive-ui data table scrolls inside its own wrapper (.n-data-table, as wide as the card allows).
                for (const table of document.querySelectorAll<HTMLTableElement>("main table")) {
                  const box = table.classList.contains("n-data-table-table") ? table.closest(".n-data-table") : table.parentElement;
                  const room = box?.clientWidth ?? 0;
                  const width = table.getBoundingClientRect().width;
                  if (width > room + 1) out.push(`${where}: ${table.dataset["testid"] ?? "a table"} is ${Math.round(width)} px in ${room} px`);
                }
                return out;
              }, path)),
            );
          }
          assert(problems.length === 0, problems.join("; "));
        } finally {
          await s.page.setViewportSize({ width: 1400, height: 1000 });
        }
      });
      await s.context.close();
    }
    await step("customers: search filter and next/previous pages", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.goto(`${BASE}/customers`);
      await s.page.getByTestId("customer-row").first().waitFor();
      const first = await s.page.getByTestId("customer-row").first().innerText();
      await s.page.getByTestId("page-next").click();
      await s.page.waitForFunction((f) => document.querySelector("[data-testid='customer-row']")?.textContent !== f, first.replace(/\t/g, ""));
      await s.page.getByTestId("page-previous").click();
      await s.page.getByTestId("customer-row").first().getByText(first.split("\t")[0] ?? "").waitFor();
      await s.page.getByTestId("customer-search").locator("input").fill("C000001");
      await s.page.getByTestId("customer-apply").click();
      await s.page.getByTestId("customer-count").getByText(/^1 customers?$/).waitFor({ timeout: 10_000 });
      await s.context.close();
    });
  },
};
