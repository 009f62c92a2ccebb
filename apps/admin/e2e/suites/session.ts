import type { Browser, Page } from "playwright-core";
import { assert, BASE, login, open, step, type Suite } from "../harness.ts";

async function navKeys(page: Page): Promise<string[]> {
  const ids = await page.locator("[data-testid^='nav-']").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
  return ids.map((id) => id.replace("nav-", ""));
}

const EXPECTED_NAV: Record<string, string[]> = {
  admin: ["dashboard", "customers", "segments", "campaigns", "review", "clv", "acquisition", "loyalty", "imports", "glossary", "explorer", "settings"],
  operator: ["dashboard", "customers", "segments", "campaigns", "clv", "acquisition", "loyalty", "imports", "glossary", "explorer"],
  analyst: ["dashboard", "customers", "segments", "campaigns", "clv", "acquisition", "loyalty", "glossary", "explorer"],
  reviewer: ["dashboard", "customers", "segments", "campaigns", "review", "clv", "acquisition", "loyalty", "glossary", "explorer"],
};

export const session: Suite = {
  name: "session",
  async run(browser: Browser): Promise<void> {
    await step("unauthenticated visit redirects to the login page", async () => {
      const s = await open(browser, "en");
      await s.page.goto(`${BASE}/customers`);
      await s.page.getByTestId("login-submit").waitFor({ timeout: 10_000 });
      assert(s.page.url().includes("/login"), `expected /login, got ${s.page.url()}`);
      await s.context.close();
    });

    await step("wrong password shows a translated error", async () => {
      const s = await open(browser, "en");
      await s.page.goto(`${BASE}/login`);
      await s.page.getByTestId("login-email").locator("input").fill("admin@example.com");
      await s.page.getByTestId("login-password").locator("input").fill("wrong-password");
      await s.page.getByTestId("login-submit").click();
      await s.page.getByTestId("api-error").waitFor({ timeout: 10_000 });
      await s.context.close();
    });

    for (const role of Object.keys(EXPECTED_NAV)) {
      await step(`${role} signs in and sees the ${role}'s navigation`, async () => {
        const s = await open(browser, "en");
        await login(s, `${role}@example.com`);
        const keys = await navKeys(s.page);
        assert(JSON.stringify(keys) === JSON.stringify(EXPECTED_NAV[role]), `nav was ${keys.join(",")}`);
        const canSnapshot = role === "admin" || role === "operator";
        await s.page.getByTestId("snapshot-card").waitFor();
        const hasButton = (await s.page.getByTestId("create-snapshot").count()) > 0;
        assert(hasButton === canSnapshot, `snapshot button shown=${hasButton}`);
        await s.page.getByTestId("logout").click();
        await s.page.getByTestId("login-submit").waitFor();
        await s.context.close();
      });
    }

    await step("language switch shows Japanese then English labels", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.getByTestId("nav-customers").getByText("顧客").waitFor();
      await s.page.reload();
      await s.page.getByTestId("nav-dashboard").getByText("ダッシュボード").waitFor();
      // The tab's title names the page in the page's language.
      await s.page.waitForFunction(() => document.title === "ダッシュボード — LTV Loop");
      await s.page.getByTestId("language").selectOption("en");
      await s.page.getByTestId("nav-dashboard").getByText("Dashboard").waitFor();
      await s.page.waitForFunction(() => document.title === "Dashboard — LTV Loop");
      await s.page.getByTestId("nav-customers").click();
      await s.page.waitForFunction(() => document.title === "Customers — LTV Loop");
      await s.context.close();
    });

    await step("after a rebuild, a page whose chunk is gone loads afresh instead of staying blank", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      // The tab still runs the old build: its campaigns chunk answers 404 once, as after a deploy.
      let refused = 0;
      await s.page.route(/\/assets\/campaigns-[^/]*\.js$/, async (route) => {
        if (refused++ === 0) await route.fulfill({ status: 404, contentType: "text/html", body: "<!doctype html>" });
        else await route.continue();
      });
      await s.page.getByTestId("nav-campaigns").click();
      await s.page.getByTestId("campaign-board").waitFor({ timeout: 15_000 });
      assert(refused >= 2, `the chunk was not fetched again (${refused} request(s))`);
      assert(new URL(s.page.url()).pathname === "/campaigns", `landed on ${s.page.url()}`);
      await s.context.close();
    });

    await step("a campaign's tab title is its name, without the status and decision tags of its heading", async () => {
      for (const lang of ["ja", "en"] as const) {
        const s = await open(browser, lang);
        await login(s, "analyst@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.goto(`${BASE}/campaigns`);
        const card = s.page.getByTestId("column-ACTED").getByTestId("campaign-card").first();
        await card.waitFor({ timeout: 15_000 });
        await card.click();
        const name = s.page.getByTestId("campaign-name");
        await name.waitFor({ timeout: 15_000 });
        const expected = `${((await name.textContent()) ?? "").trim()} — LTV Loop`;
        await s.page.waitForFunction((want) => document.title === want, expected);
        const tags = await s.page.locator("h1 .n-tag").allTextContents();
        assert(tags.length > 0, "the heading shows the campaign's status");
        const title = await s.page.title();
        for (const word of tags) assert(!title.includes(word.trim()), `the title "${title}" holds the tag "${word}"`);
        await s.context.close();
      }
    });

    await step("a page the role cannot open names its denial in the tab title", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("en");
      await s.page.goto(`${BASE}/settings`);
      await s.page.getByTestId("not-allowed").waitFor();
      await s.page.waitForFunction(() => document.title === "This page is not available to your role — LTV Loop");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.waitForFunction(() => document.title === "このページはあなたのロールでは開けません — LTV Loop");
      await s.context.close();
    });
  },
};
