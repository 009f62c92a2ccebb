import { chromium } from "playwright-core";
const BASE = "http://127.0.0.1:4141";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: Number(process.argv[2]), height: 844 }, locale: "ja-JP" });
const page = await ctx.newPage();
await page.goto(`${BASE}/login`);
await page.getByTestId("login-email").locator("input").fill("admin@example.com");
await page.getByTestId("login-password").locator("input").fill("ltvloop-demo");
await page.getByTestId("login-submit").click();
await page.waitForTimeout(1500);
for (const p of process.argv[3]!.split(",")) {
  await page.goto(`${BASE}${p}`);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1500);
  const out = await page.evaluate((vw) => {
    const res: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && r.width > 0) {
        // report only the outermost offenders: parent not overflowing
        const pr = el.parentElement?.getBoundingClientRect();
        if (pr && pr.right <= vw + 1) res.push(`${el.tagName}.${(el.className && typeof el.className === "string" ? el.className : "").slice(0, 60)} [${el.getAttribute("data-testid") ?? ""}] right=${Math.round(r.right)} w=${Math.round(r.width)} parent=${el.parentElement?.tagName}.${String(el.parentElement?.className).slice(0, 40)}`);
      }
    }
    return res.slice(0, 25);
  }, Number(process.argv[2]));
  console.log(p, "\n  " + out.join("\n  "));
}
await browser.close();
