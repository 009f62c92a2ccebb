// The campaign page: results of an acted campaign in both languages, the review form, the
// operator's Plan → Launch → Measure flow, cancelling with a reason, and a read-only analyst.
// Needs the demo database as first seeded (a CHECKED campaign waiting for review, the coupon
// campaign's ITERATE draft); later runs fail with a message saying so.
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Session, type Suite } from "../harness.ts";

const COUPON = /まとめ買いクーポン/;

/** Opens the first card of a board column (optionally one whose text matches) and waits for its page. */
async function openFromBoard(page: Page, status: string, name?: RegExp): Promise<string> {
  await page.goto(`${BASE}/campaigns`);
  const column = page.getByTestId(`column-${status}`);
  await column.waitFor({ timeout: 15_000 });
  const cards = column.getByTestId("campaign-card");
  const card = name ? cards.filter({ hasText: name }).first() : cards.first();
  // The columns render before the board's query answers; give the cards time to arrive.
  await card.waitFor({ timeout: 15_000 }).catch(() => undefined);
  assert((await card.count()) > 0, `no ${status} campaign${name ? ` matching ${name}` : ""} on the board: run this suite on a freshly seeded demo database`);
  await card.click();
  await page.getByTestId("campaign-detail").waitFor({ timeout: 15_000 });
  const id = await page.getByTestId("campaign-detail").getAttribute("data-campaign-id");
  assert(id, "the page names its campaign");
  return id;
}

async function waitForStatus(page: Page, status: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="campaign-status"][data-status="${status}"]`).waitFor({ timeout });
}

/** A chart has drawn when its card holds a canvas of non-zero size. */
async function assertChart(page: Page, testid: string): Promise<void> {
  const canvas = page.getByTestId(testid).locator("canvas").first();
  await canvas.waitFor({ timeout: 15_000 });
  const box = await canvas.boundingBox();
  assert(box && box.width > 100 && box.height > 100, `${testid} has no visible chart`);
}

async function actionButtons(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="action-"]').evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
}

async function signIn(browser: Browser, email: string, lang: "en" | "ja" = "en"): Promise<Session> {
  const s = await open(browser, lang);
  await login(s, email);
  await s.page.getByTestId("language").selectOption(lang);
  return s;
}

export const campaignDetail: Suite = {
  name: "campaign-detail",
  async run(browser: Browser): Promise<void> {
    // (a) An acted campaign's results, chain and timeline, in both languages.
    for (const lang of ["en", "ja"] as const) {
      const s = await signIn(browser, "admin@example.com", lang);
      await step(`${lang}: admin reads an ACTED campaign: forest plot, DiD, cumulative lift, strata, money, chain, timeline`, async () => {
        s.consoleErrors.length = 0;
        await openFromBoard(s.page, "ACTED", COUPON);
        const page = s.page;
        await waitForStatus(page, "ACTED");
        await assertChart(page, "forest-plot");
        await assertChart(page, "did-chart");
        await assertChart(page, "cumulative-chart");
        assert((await page.getByTestId("lift-reading").count()) === 7, "one reading per forest row (3 plain, winsorised, 3 CUPED)");
        const primary = page.locator('[data-testid="lift-reading"][data-metric="REVENUE_PER_CUSTOMER"]');
        assert((await primary.getAttribute("data-direction")) === "up", "the coupon demo's planted revenue lift reads as a significant increase");
        assert((await page.getByTestId("stratum-row").count()) > 0, "strata table has rows");
        assert((await page.getByTestId("group-row").count()) === 2, "treatment and control rows");
        await page.getByTestId("campaign-money").getByTestId("money-roi").waitFor();
        // Method notes are worded from the API's codes: none falls back to the API's English text.
        const untranslated = await page.locator('[data-testid="campaign-money"] [lang="en"], [data-testid="result-delivery"] [lang="en"]').allInnerTexts();
        assert(untranslated.length === 0, `method notes left in the API's English: ${JSON.stringify(untranslated)}`);
        // The delivery card names its command as code, not between raw backticks.
        const deliveries = page.getByTestId("campaign-deliveries");
        assert(!(await deliveries.innerText()).includes("`"), "the delivery card shows raw backticks");
        assert((await deliveries.locator("code").first().innerText()).startsWith("pnpm ltvloop import deliveries"), "the delivery card's command is not set as code");
        await page.getByTestId("srm-ok").or(page.getByTestId("srm-banner")).first().waitFor();
        assert((await page.getByTestId("chain-cycle").count()) >= 2, "the ITERATE chain shows both cycles");
        assert((await page.locator('[data-testid="chain-cycle"][data-current="true"]').count()) === 1, "exactly one cycle is highlighted");
        assert((await page.getByTestId("campaign-event").count()) >= 5, "create, plan, launch, measure and review are on the timeline");
        const reviewer = (await page.getByTestId("decision-reviewer").innerText()).trim();
        assert(!reviewer.startsWith("·") && reviewer.length > 3, `reviewer line reads "${reviewer}"`);
        await page.getByTestId("review-next-cycle-link").waitFor();
        assert((await actionButtons(page)).length === 0, "an ACTED campaign offers no actions");
        // Switching the DiD metric redraws the chart with that metric's estimate.
        const before = await page.getByTestId("did-estimate").innerText();
        await page.getByTestId("did-metric-CONVERSION").click();
        await page.waitForFunction((b) => document.querySelector("[data-testid='did-estimate']")?.textContent !== b, before);
        await screenshot(s, `campaign-detail-${lang}`);
        assertNoConsoleErrors(s);
      });
      await s.context.close();
    }

    // (c) An analyst reads everything but may act on nothing (and may not export the audience).
    await step("analyst sees no action buttons on DRAFT, CHECKED or ACTED campaigns, and no audience export", async () => {
      const s = await signIn(browser, "analyst@example.com");
      for (const status of ["DRAFT", "CHECKED", "ACTED"]) {
        await openFromBoard(s.page, status);
        await s.page.getByTestId("next-step").waitFor();
        const buttons = await actionButtons(s.page);
        assert(buttons.length === 0, `analyst sees ${buttons.join(", ")} on a ${status} campaign`);
        assert((await s.page.getByTestId("review-form").count()) === 0, `analyst sees the review form on a ${status} campaign`);
        if (status !== "DRAFT") {
          assert((await s.page.getByTestId("audience-csv").count()) === 0, "analyst is offered the audience CSV");
          await s.page.getByTestId("audience-csv-restricted").waitFor();
        }
      }
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    // (d) A reviewer records ITERATE on the CHECKED campaign; the next cycle's draft is linked.
    let nextCycleId: string | null = null;
    await step("reviewer: the decision and a rationale are required; ITERATE links to the next cycle's draft", async () => {
      const s = await signIn(browser, "reviewer@example.com");
      const page = s.page;
      const id = await openFromBoard(page, "CHECKED");
      const buttons = await actionButtons(page);
      assert(buttons.join() === "action-review", `reviewer's actions: ${buttons.join(", ")}`);
      await page.getByTestId("action-review").click();
      const form = page.getByTestId("review-form");
      await form.waitFor();
      await page.getByTestId("review-submit").click();
      await form.locator(".n-form-item-feedback__line").first().waitFor();
      assert((await form.locator(".n-form-item-feedback__line").count()) === 2, "both fields say they are required");
      assert((await page.getByTestId("campaign-decision").count()) === 0, "nothing was recorded");
      await page.getByTestId("review-decision-ITERATE").click();
      await page.getByTestId("review-rationale").locator("textarea").fill("Conversion rose but the interval is wide; repeat with a larger holdout.");
      await page.getByTestId("review-submit").click();
      await waitForStatus(page, "ACTED");
      await page.getByTestId("campaign-decision").waitFor();
      assert((await page.getByTestId("decision-value").getAttribute("data-decision")) === "ITERATE", "decision shown");
      assert((await page.getByTestId("decision-reviewer").innerText()).includes("reviewer@example.com"), "reviewer shown");
      assert((await page.getByTestId("review-form").count()) === 0, "the form is gone once acted");
      // The demo had one campaign waiting: the navigation's badge goes with the decision, and the
      // queue says nothing is waiting (not that there are no campaigns), with the way to the board.
      await page.getByTestId("notice-review").waitFor({ state: "detached" });
      await page.getByTestId("nav-review").click();
      await page.getByTestId("empty-to-board").waitFor();
      assert((await page.getByTestId("empty-state").getAttribute("data-empty")) === "queueEmpty", "the empty queue says so");
      await page.goBack();
      await page.getByTestId("campaign-detail").waitFor();
      await page.getByTestId("review-next-cycle-link").click();
      await page.waitForURL(/\/campaigns\/\d+$/);
      await waitForStatus(page, "DRAFT");
      nextCycleId = await page.getByTestId("campaign-detail").getAttribute("data-campaign-id");
      assert(nextCycleId && nextCycleId !== id, "the link opens the new draft");
      assert((await page.locator('[data-testid="chain-cycle"][data-current="true"]').innerText()).length > 0, "the new draft is highlighted in the chain");
      assert((await page.getByTestId("chain-cycle").count()) === 2, "the chain holds both cycles");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    // (b) The operator takes the coupon campaign's ITERATE draft through Plan → Launch → Measure.
    await step("operator: Plan → PLANNED, Launch (confirm) → RUNNING, audience CSV, Measure → provisional result", async () => {
      const s = await signIn(browser, "operator@example.com");
      const page = s.page;
      const id = await openFromBoard(page, "DRAFT", COUPON);
      const draftButtons = await actionButtons(page);
      assert(draftButtons.join() === "action-plan,action-edit,action-cancel", `DRAFT actions: ${draftButtons.join(", ")}`);
      assert((await page.getByTestId("action-edit").count()) === 1, "Edit is offered on a draft");
      await page.getByTestId("action-plan").click();
      await waitForStatus(page, "PLANNED");
      await page.getByTestId("plan-eligible").waitFor();

      await page.getByTestId("action-launch").click();
      const dialog = page.getByTestId("launch-dialog");
      await dialog.waitFor();
      const treatment = await page.getByTestId("launch-treatment").innerText();
      const control = await page.getByTestId("launch-control").innerText();
      assert(/\d/.test(treatment) && /\d/.test(control), `the confirmation shows roster sizes (${treatment} / ${control})`);
      await page.getByTestId("launch-confirm").click();
      await waitForStatus(page, "RUNNING");
      await dialog.waitFor({ state: "detached" });
      await page.getByTestId("roster-summary").waitFor();

      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audience-csv").click()]);
      const csv = readFileSync((await download.path()) as string, "utf8");
      assert(csv.replace(/^\uFEFF/, "").startsWith("external_id,name,email,line_opt_in,segment"), "audience CSV has its header");
      const rows = csv.trim().split(/\r\n/).length - 1;
      assert(rows === Number(treatment.replace(/\D/g, "")) || rows > 0, `audience CSV lists the treatment group (${rows} rows)`);

      await page.getByTestId("action-measure").click();
      await page.getByTestId("measure-dialog").waitFor();
      await page.getByTestId("measure-confirm").click();
      await page.getByTestId("provisional-banner").waitFor({ timeout: 30_000 });
      await waitForStatus(page, "RUNNING");
      await page.getByTestId("forest-plot").waitFor();
      // The reason is worded by its code with the page's own date format, not the API's English with ISO instants.
      const reasons = await page.getByTestId("provisional-reason").allInnerTexts();
      // The window is open; and the demo's orders are complete only up to its as-of (the seed is in the import history).
      assert(
        reasons.some((r) => r.startsWith("The outcome window runs until")) &&
          reasons.every((r) => /^(The outcome window runs until|Orders are complete only up to .* \(the latest order an import covered\))/.test(r) && !/\d{4}-\d{2}-\d{2}T/.test(r)),
        `provisional reasons read ${JSON.stringify(reasons)}`,
      );
      assert((await page.locator('[data-testid="provisional-reason"][lang="en"]').count()) === 0, "a provisional reason fell back to the API's text");
      assert((await page.locator('[data-testid="campaign-event"][data-kind="measure"]').count()) === 1, "the measurement is on the timeline");
      assert(id === (await page.getByTestId("campaign-detail").getAttribute("data-campaign-id")), "still the same campaign");
      await screenshot(s, "campaign-detail-running-en");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    // Cancelling needs a reason, which the timeline then shows.
    await step("operator cancels a draft: the reason is required and lands in the timeline", async () => {
      assert(nextCycleId, "the reviewer step created a draft to cancel");
      const s = await signIn(browser, "operator@example.com", "ja");
      const page = s.page;
      await page.goto(`${BASE}/campaigns/${nextCycleId}`);
      await waitForStatus(page, "DRAFT");
      await page.getByTestId("action-cancel").click();
      await page.getByTestId("cancel-dialog").waitFor();
      assert(await page.getByTestId("cancel-confirm").isDisabled(), "cannot cancel without a reason");
      await page.getByTestId("cancel-reason").locator("textarea").fill("テスト用の下書きのため中止");
      await page.getByTestId("cancel-confirm").click();
      await waitForStatus(page, "CANCELLED");
      await page.locator('[data-testid="campaign-event"][data-kind="cancel"]').getByText("テスト用の下書きのため中止").waitFor();
      assert((await actionButtons(page)).length === 0, "a cancelled campaign offers no actions");
      assertNoConsoleErrors(s);
      await s.context.close();
    });
  },
};
