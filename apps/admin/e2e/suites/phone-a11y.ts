// Every page on a phone (390×844) and at 1280×800, in both languages: no sideways scrolling,
// the menu and sign-out reachable, a screenshot each; and axe-core with no serious violations.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { assert, BASE, login, open, SHOTS, step, type Suite } from "../harness.ts";
import { allPages, show } from "../pages-list.ts";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

export const phone: Suite = {
  name: "phone",
  async run(browser: Browser): Promise<void> {
    for (const lang of ["ja", "en"] as const) {
      for (const size of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
        const s = await open(browser, lang);
        await s.page.setViewportSize(size);
        let signedIn = false;
        await step(`${lang} ${size.width}px: admin signs in`, async () => {
          await login(s, "admin@example.com");
          await s.page.getByTestId("language").selectOption(lang);
          signedIn = true;
        });
        if (!signedIn) {
          await s.context.close();
          continue;
        }
        if (size.width < 500) {
          await step(`${lang} phone: the menu opens as a drawer and sign-out is on screen`, async () => {
            const logout = await s.page.getByTestId("logout").boundingBox();
            assert(logout && logout.x + logout.width <= size.width, `sign-out is off-screen (${JSON.stringify(logout)})`);
            assert(!(await s.page.getByTestId("nav-customers").isVisible()), "the sidebar takes the screen before the menu is opened");
            await s.page.getByTestId("menu-toggle").click();
            await s.page.getByTestId("nav-customers").click();
            await s.page.getByTestId("customer-row").first().waitFor();
            assert(!(await s.page.getByTestId("nav-customers").isVisible()), "the drawer stays open after choosing a page");
          });
        }
        for (const spec of await allPages(s.page)) {
          await step(`${lang} ${size.width}px: ${spec.name} fits the width`, async () => {
            await show(s.page, spec);
            const width = await s.page.evaluate(() => document.documentElement.scrollWidth);
            const height = await s.page.evaluate(() => document.documentElement.scrollHeight);
            await s.page.screenshot({ path: join(SHOTS, `${spec.name}-${lang}-${size.width}.png`), fullPage: true });
            assert(width <= size.width, `the page is ${width}px wide`);
            // A table column squeezed to one word per line makes a page tens of thousands of pixels tall.
            assert(height <= 15_000, `the page is ${height}px tall`);
          });
        }
        await step(`${lang} ${size.width}px: the customer profile's labels each fit on one line`, async () => {
          await s.page.goto(`${BASE}/customers/1`);
          const profile = s.page.getByTestId("customer-profile");
          await profile.waitFor({ timeout: 20_000 });
          const wrapped = await profile.locator(".n-descriptions-table-header").evaluateAll((cells) =>
            cells.filter((c) => c.getBoundingClientRect().height > (parseFloat(getComputedStyle(c).lineHeight) || 20) * 1.5).map((c) => c.textContent?.trim()),
          );
          assert(wrapped.length === 0, `labels broken over lines: ${JSON.stringify(wrapped)}`);
          // The page's tables scroll sideways rather than split an amount or a date over lines ("¥6,9 94").
          await s.page.getByTestId("customer-orders").locator("tbody tr").first().waitFor({ timeout: 20_000 });
          const split = await s.page.getByTestId("customer-detail").locator("td").evaluateAll((cells) =>
            cells
              .filter((c) => /^[-+]?[¥$€\d][\d,.¥]*$|^\d{4}\/\d{2}\/\d{2}$|^[A-Z][a-z]{2} \d{1,2}, \d{4}$/.test(c.textContent?.trim() ?? ""))
              .filter((c) => {
                const range = document.createRange();
                range.selectNodeContents(c);
                return range.getClientRects().length > 1 && new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
              })
              .map((c) => c.textContent?.trim()),
          );
          assert(split.length === 0, `values split over lines: ${JSON.stringify(split.slice(0, 5))}`);
        });
        await step(`${lang} ${size.width}px: the wizard's segment names are not squeezed to a letter per line`, async () => {
          await s.page.goto(`${BASE}/campaigns/new`);
          const name = s.page.getByTestId("plan-segment-row").first().locator("strong");
          await name.waitFor({ timeout: 20_000 });
          const box = await name.boundingBox();
          const lineHeight = await name.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 20);
          assert(box && box.height <= lineHeight * 2.5, `the first segment name is ${box?.width}px wide and ${box?.height}px tall`);
        });
        await s.context.close();
      }
    }
  },
};

export const a11y: Suite = {
  name: "a11y",
  async run(browser: Browser): Promise<void> {
    const s = await open(browser, "ja");
    await login(s, "admin@example.com");
    await s.page.getByTestId("language").selectOption("ja");
    const pages = [{ name: "login", path: "/login", ready: "login-submit" }, ...(await allPages(s.page))];
    for (const spec of pages) {
      await step(`axe: ${spec.name} has no serious or critical violations`, async () => {
        const page = spec.name === "login" ? await s.context.browser()!.newPage({ locale: "ja-JP" }) : s.page;
        await show(page, spec);
        // Evaluated through the DevTools protocol: the app's CSP (rightly) refuses inline script tags.
        await page.evaluate(AXE);
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
          // GraphiQL's own tab strip nests its close buttons in role=tab items (the library's markup, not ours).
          const rules = location.pathname === "/explorer" ? { "nested-interactive": { enabled: false } } : {};
          const result = await axe.run(document, { resultTypes: ["violations"], rules, runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
        });
        if (spec.name === "login") await page.close();
        const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        assert(serious.length === 0, serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes)}`).join(" | "));
      });
    }
    await s.context.close();
  },
};
