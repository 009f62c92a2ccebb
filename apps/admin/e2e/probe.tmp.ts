import { chromium } from "playwright-core";
const BASE = "http://127.0.0.1:4141";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const [w, h, lang] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] ?? "ja"];
const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: lang === "ja" ? "ja-JP" : "en-US" });
const page = await ctx.newPage();
await page.goto(`${BASE}/login`);
await page.getByTestId("login-email").locator("input").fill("admin@example.com");
await page.getByTestId("login-password").locator("input").fill("ltvloop-demo");
await page.getByTestId("login-submit").click();
await page.waitForTimeout(2000);
for (const p of (process.argv[5] ?? "/,/customers,/customers/1,/segments,/campaigns,/campaigns/1,/campaigns/5,/campaigns/compare,/campaigns/new,/clv,/explorer,/settings").split(",")) {
  await page.goto(`${BASE}${p}`);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1500);
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  const name = p.replace(/\//g, "_") || "_";
  await page.screenshot({ path: `/tmp/adm/${name}-${w}-${lang}.png`, fullPage: true });
  console.log(p, "scrollWidth", sw);
}
await browser.close();
