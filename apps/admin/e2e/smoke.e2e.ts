// Browser suites: Debian's Chromium driven by playwright-core against a running server.
// Run all:   E2E_BASE_URL=http://127.0.0.1:4000 pnpm --filter @ltvloop/admin test:e2e
// Run some:  … test:e2e campaigns pages   (suite names)
import { chromium } from "playwright-core";
import { results, SHOTS, type Suite } from "./harness.ts";
import { acquisition } from "./suites/acquisition.ts";
import { campaignDetail } from "./suites/campaign-detail.ts";
import { campaignPlan } from "./suites/campaign-plan.ts";
import { daily } from "./suites/daily.ts";
import { explorerSettings } from "./suites/explorer-settings.ts";
import { firstVisit } from "./suites/first-visit.ts";
import { loyalty } from "./suites/loyalty.ts";
import { loyaltyCampaign } from "./suites/loyalty-campaign.ts";
import { messages } from "./suites/messages.ts";
import { importsViews } from "./suites/imports-views.ts";
import { pages } from "./suites/pages.ts";
import { a11y, phone } from "./suites/phone-a11y.ts";
import { segments } from "./suites/segments.ts";
import { session } from "./suites/session.ts";

const SUITES: Suite[] = [session, pages, segments, campaignPlan, campaignDetail, explorerSettings, daily, phone, a11y, acquisition, loyalty, loyaltyCampaign, importsViews, firstVisit, messages];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length) throw new Error(`unknown suite(s) ${unknown.join(", ")}; suites: ${SUITES.map((s) => s.name).join(", ")}`);
  const browser = await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    for (const suite of SUITES) {
      if (wanted.length && !wanted.includes(suite.name)) continue;
      console.log(`— ${suite.name}`);
      await suite.run(browser);
    }
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
