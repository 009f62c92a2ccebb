// Shared pieces of the browser suites: one Chromium, named steps, sessions per locale.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

export const BASE = process.env["E2E_BASE_URL"] ?? "http://127.0.0.1:4000";
export const PASSWORD = "ltvloop-demo";
export const SHOTS = join(import.meta.dirname, "screenshots");
mkdirSync(SHOTS, { recursive: true });

export interface StepResult {
  name: string;
  ok: boolean;
  error?: string;
}

export const results: StepResult[] = [];

/** Runs one named check; a failure is recorded and the suite goes on. */
export async function step(name: string, fn: () => Promise<void>): Promise<boolean> {
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`✓ ${name}`);
    return true;
  } catch (e) {
    results.push({ name, ok: false, error: e instanceof Error ? e.message : String(e) });
    console.log(`✗ ${name}\n    ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    return false;
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export interface Session {
  context: BrowserContext;
  page: Page;
  consoleErrors: string[];
}

/**
 * A session in `locale`, signed out unless `storageState` carries another context's cookies;
 * `timezoneId` sets the browser's time zone (default: the machine's).
 */
export async function open(
  browser: Browser,
  locale: "ja" | "en",
  options: { timezoneId?: string; storageState?: Awaited<ReturnType<BrowserContext["storageState"]>> } = {},
): Promise<Session> {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 1000 },
    locale: locale === "ja" ? "ja-JP" : "en-US",
    acceptDownloads: true,
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.storageState ? { storageState: options.storageState } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    // A message looked up before its file arrived shows as its raw key: the app warns (src/i18n/index.ts).
    if (msg.type() === "error" || (msg.type() === "warning" && msg.text().startsWith("[i18n]"))) consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(err.message));
  return { context, page, consoleErrors };
}

export async function login(s: Session, email: string): Promise<void> {
  await s.page.goto(`${BASE}/login`);
  await s.page.getByTestId("login-email").locator("input").fill(email);
  await s.page.getByTestId("login-password").locator("input").fill(PASSWORD);
  await s.page.getByTestId("login-submit").click();
  // The sign-out button is on screen at every width (the navigation is a drawer on phones).
  await s.page.getByTestId("logout").waitFor({ timeout: 15_000 });
}

/** Waits for the page to settle, saves `<name>-<lang>.png` and fails on console errors. */
export async function screenshot(s: Session, name: string): Promise<void> {
  await s.page.waitForLoadState("networkidle");
  await s.page.waitForTimeout(600);
  await s.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export function assertNoConsoleErrors(s: Session): void {
  assert(s.consoleErrors.length === 0, `console errors: ${s.consoleErrors.join(" | ")}`);
}

/** A suite: a named group of steps sharing the browser. */
export interface Suite {
  name: string;
  run(browser: Browser): Promise<void>;
}
