// Browser smoke test: Debian's Chromium driven by playwright-core against a running server.
// Run: E2E_BASE_URL=http://127.0.0.1:4000 pnpm --filter @ltvloop/admin test:e2e
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const BASE = process.env["E2E_BASE_URL"] ?? "http://127.0.0.1:4000";
const PASSWORD = "ltvloop-demo";
const SHOTS = join(import.meta.dirname, "screenshots");
mkdirSync(SHOTS, { recursive: true });

const results: { name: string; ok: boolean; error?: string }[] = [];

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`✓ ${name}`);
  } catch (e) {
    results.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
    console.log(`✗ ${name}\n    ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

interface Session {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
}

async function open(browser: Browser, locale: "ja" | "en"): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: locale === "ja" ? "ja-JP" : "en-US" });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(err.message));
  return { context, page, consoleErrors };
}

async function login(s: Session, email: string): Promise<void> {
  await s.page.goto(`${BASE}/login`);
  await s.page.getByTestId("login-email").locator("input").fill(email);
  await s.page.getByTestId("login-password").locator("input").fill(PASSWORD);
  await s.page.getByTestId("login-submit").click();
  await s.page.getByTestId("nav").waitFor({ timeout: 15_000 });
}

async function navKeys(page: Page): Promise<string[]> {
  const ids = await page.locator("[data-testid^='nav-']").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
  return ids.map((id) => id.replace("nav-", ""));
}

const EXPECTED_NAV: Record<string, string[]> = {
  admin: ["dashboard", "customers", "segments", "campaigns", "review", "clv", "settings"],
  operator: ["dashboard", "customers", "segments", "campaigns", "clv"],
  analyst: ["dashboard", "customers", "segments", "campaigns", "clv"],
  reviewer: ["dashboard", "customers", "segments", "campaigns", "review", "clv"],
};

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
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

    await step("operator creates a segment from RF matrix cells", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.getByTestId("nav-segments").click();
      await s.page.getByTestId("rf-cell-r5-f4").click();
      await s.page.getByTestId("rf-cell-r5-f5").click();
      await s.page.getByTestId("open-create-segment").click();
      const name = `E2E R5 F4-5 ${Date.now()}`;
      await s.page.getByTestId("segment-name").locator("input").fill(name);
      await s.page.getByTestId("submit-segment").click();
      await s.page.getByTestId("segment-list").getByText(name).waitFor({ timeout: 15_000 });
      assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
      await s.context.close();
    });

    await step("language switch shows Japanese then English labels", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.getByTestId("nav-customers").getByText("顧客").waitFor();
      await s.page.reload();
      await s.page.getByTestId("nav-dashboard").getByText("ダッシュボード").waitFor();
      await s.page.getByTestId("language").selectOption("en");
      await s.page.getByTestId("nav-dashboard").getByText("Dashboard").waitFor();
      await s.context.close();
    });

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
      const pages: { name: string; path: string; ready: string }[] = [
        { name: "dashboard", path: "/", ready: "kpi-cards" },
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
          await s.page.waitForLoadState("networkidle");
          await s.page.waitForTimeout(600);
          await s.page.screenshot({ path: join(SHOTS, `${p.name}-${lang}.png`), fullPage: true });
          assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
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
  } finally {
    await browser.close();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
  for (const f of failed) console.log(`  FAILED: ${f.name}: ${f.error?.split("\n")[0]}`);
  console.log(`screenshots: ${SHOTS}`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
