// The plan wizard (/campaigns/new), the board's selection and the comparison (/campaigns/compare).
import type { Browser, Page } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Session, type Suite } from "../harness.ts";

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).first().innerText()).trim();

/** Waits until the live power analysis has settled (no recomputation pending). */
async function powerSettled(page: Page): Promise<void> {
  await page.getByTestId("power-treatment").waitFor({ timeout: 20_000 });
  await page.getByTestId("power-loading").waitFor({ state: "detached", timeout: 20_000 });
}

/** A GraphQL call with the page's session cookie (for test data the UI has no form for). */
async function gql(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const response = await page.request.post(`${BASE}/graphql`, { data: { query, variables } });
  const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
  assert(!body.errors?.length, `GraphQL: ${body.errors?.map((e) => e.message).join("; ")}`);
  return body.data;
}

async function fillNumber(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId).locator("input");
  await input.fill(value);
  await input.press("Tab");
}

/** Steps 1–3 of the wizard: a segment by its visible name, objective, channel and offer. */
async function planUpToPower(s: Session, segmentName: string, name: string): Promise<void> {
  const { page } = s;
  await page.getByTestId("plan-wizard").waitFor({ timeout: 15_000 });
  await page.getByTestId("plan-segment-row").filter({ hasText: segmentName }).first().click();
  await page.getByTestId("plan-next").click();
  await page.getByTestId("plan-name").locator("input").fill(name);
  await page.getByTestId("plan-objective-RETAIN").click();
  await page.getByTestId("plan-channel-LINE").click();
  await page.getByTestId("plan-offer").locator("input").fill("10% OFF");
  await page.getByTestId("plan-hypothesis").locator("textarea").fill("A coupon keeps our best customers buying.");
  await fillNumber(page, "plan-expected-lift", "10");
  await page.getByTestId("plan-next").click();
  await page.getByTestId("plan-step-power-body").waitFor();
  await powerSettled(page);
}

export const campaignPlan: Suite = {
  name: "campaign-plan",
  async run(browser: Browser): Promise<void> {
    const stamp = Date.now().toString(36);

    // ---- English: the whole wizard, Save and plan, then compare two acted campaigns.
    const en = await open(browser, "en");
    await step("en: operator signs in", async () => {
      await login(en, "operator@example.com");
      await en.page.getByTestId("language").selectOption("en");
    });
    await step("en: board → New campaign opens the wizard", async () => {
      await en.page.goto(`${BASE}/campaigns`);
      await en.page.getByTestId("campaign-board").waitFor();
      await en.page.getByTestId("campaign-new").click();
      await en.page.getByTestId("plan-wizard").waitFor();
      assert(en.page.url().endsWith("/campaigns/new"), `unexpected URL ${en.page.url()}`);
      await en.page.getByTestId("power-idle").waitFor({ state: "detached" }).catch(() => undefined);
    });
    await step("en: Next on an empty step shows what is missing and stays", async () => {
      const { page } = en;
      await page.getByTestId("plan-next").click();
      await page.getByText("Choose a segment.").waitFor();
      await page.getByTestId("plan-segment-row").filter({ hasText: "Champions" }).first().click();
      await page.getByTestId("plan-next").click();
      await page.getByTestId("plan-next").click();
      await page.getByText("Enter a name.").waitFor();
      await page.getByText("Choose a channel.").waitFor();
      assert(await page.getByTestId("plan-step-objective-body").isVisible(), "left step 2 with problems");
      await page.getByTestId("plan-previous").click();
    });
    let before = { treatment: "", control: "", mde: "" };
    await step("en: steps 1–3 show the live power analysis", async () => {
      const { page } = en;
      await planUpToPower(en, "Champions", `E2E plan ${stamp}`);
      before = { treatment: await text(page, "power-treatment"), control: await text(page, "power-control"), mde: await text(page, "power-mde-CONVERSION") };
      assert(/\d/.test(before.treatment) && /\d/.test(before.control), `no sizes: ${JSON.stringify(before)}`);
      assert(/%/.test(before.mde), `no MDE: ${before.mde}`);
      assert(/\d/.test(await text(page, "power-eligible")), "no eligible count");
      await page.getByTestId("power-verdict").waitFor();
      assert((await page.getByTestId("summary-eligible").innerText()).match(/\d/), "summary has no eligible count");
    });
    await step("en: changing the holdout recomputes the power analysis", async () => {
      const { page } = en;
      await fillNumber(page, "plan-holdout-input", "30");
      await page.waitForFunction((old) => document.querySelector("[data-testid='power-control']")?.textContent?.trim() !== old, before.control, { timeout: 20_000 });
      await powerSettled(page);
      const after = { treatment: await text(page, "power-treatment"), control: await text(page, "power-control"), mde: await text(page, "power-mde-CONVERSION") };
      const n = (s: string) => Number(s.replace(/[^\d]/g, ""));
      assert(n(after.control) > n(before.control), `control did not grow: ${before.control} → ${after.control}`);
      assert(n(after.treatment) < n(before.treatment), `treatment did not shrink: ${before.treatment} → ${after.treatment}`);
      assert(after.mde !== before.mde, `MDE did not change: ${after.mde}`);
      await page.getByTestId("power-verdict").waitFor();
      await screenshot(en, "campaign-wizard-en");
    });
    let plannedUrl = "";
    await step("en: windows & costs, then Save and plan lands on the PLANNED campaign", async () => {
      const { page } = en;
      await page.getByTestId("plan-next").click();
      await page.getByTestId("plan-step-windows-body").waitFor();
      await fillNumber(page, "plan-window-days", "30");
      await fillNumber(page, "plan-cost-contact", "5");
      await fillNumber(page, "plan-fixed-cost", "20000");
      await page.waitForFunction(() => /\d/.test(document.querySelector("[data-testid='plan-expected-cost']")?.textContent ?? ""));
      const cost = await text(page, "plan-expected-cost");
      assert(/\d/.test(cost), `no expected cost: ${cost}`);
      assert(/\d/.test(await text(page, "plan-break-even")), "no break-even");
      await page.getByTestId("plan-save-and-plan").click();
      await page.waitForURL(/\/campaigns\/\d+$/, { timeout: 20_000 });
      plannedUrl = page.url();
      await page.getByTestId("campaign-detail").waitFor({ timeout: 15_000 });
      await page.getByTestId("campaign-detail").getByText("Planned").first().waitFor();
      assert((await page.getByTestId("campaign-detail").innerText()).includes(`E2E plan ${stamp}`), "detail shows another campaign");
    });
    await step("en: the planned campaign is on the board", async () => {
      assert(plannedUrl, "no planned campaign");
      await en.page.goto(`${BASE}/campaigns`);
      await en.page.getByTestId("column-PLANNED").getByText(`E2E plan ${stamp}`).waitFor();
    });
    // The same campaign through Do and Check: launch freezes the roster, measure gives a
    // provisional result while the outcome window runs. (Act needs a finished window: the
    // campaign-detail suite reviews the demo campaign waiting in the review queue.)
    await step("en: the wizard's campaign launches (roster frozen) and is measured provisionally", async () => {
      assert(plannedUrl, "no planned campaign");
      const { page } = en;
      await page.goto(plannedUrl);
      await page.getByTestId("action-launch").click();
      await page.getByTestId("launch-dialog").waitFor();
      const treated = Number((await text(page, "launch-treatment")).replace(/[^\d]/g, ""));
      assert(treated > 0, `launch dialog shows no treatment group: ${treated}`);
      await page.getByTestId("launch-confirm").click();
      await page.locator('[data-testid="campaign-status"][data-status="RUNNING"]').waitFor({ timeout: 30_000 });
      await page.getByTestId("roster-summary").waitFor();
      await page.getByTestId("action-measure").click();
      await page.getByTestId("measure-confirm").click();
      await page.getByTestId("provisional-banner").waitFor({ timeout: 30_000 });
      await page.getByTestId("srm-ok").or(page.getByTestId("srm-banner")).first().waitFor();
    });
    await step("en: select two acted campaigns → Compare shows the table and the forest chart", async () => {
      const { page } = en;
      // A draft of its own for the comparison's add step (before the page lists campaigns): the demo's drafts may have been launched by a suite run before this one.
      const segments = (await gql(page, "{ segments(first: 1) { nodes { id } } }")) as { segments: { nodes: { id: string }[] } };
      await gql(page, "mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }", {
        input: { name: `E2E compare draft ${Date.now()}`, segmentId: segments.segments.nodes[0]?.id, objective: "RETAIN", channel: "EMAIL" },
      });
      await page.goto(`${BASE}/campaigns`);
      const acted = page.getByTestId("column-ACTED");
      await acted.getByTestId("campaign-card").first().waitFor();
      assert(await page.getByTestId("campaign-compare").isDisabled(), "Compare enabled with nothing selected");
      await acted.getByTestId("campaign-select").nth(0).click();
      await acted.getByTestId("campaign-select").nth(1).click();
      await page.getByTestId("campaign-compare").click();
      await page.waitForURL(/\/campaigns\/compare\?ids=\d+(%2C|,)\d+$/);
      await page.getByTestId("compare-table").waitFor({ timeout: 15_000 });
      assert((await page.getByTestId("compare-column").count()) === 2, "expected two campaign columns");
      await page.getByTestId("compare-forest").locator("canvas").first().waitFor({ timeout: 15_000 });
      const primary = await page.getByTestId("compare-row-primary").innerText();
      assert(/%.*\[/.test(primary), `primary lift without CI: ${primary}`);
      await screenshot(en, "campaign-compare-en");
    });
    await step("en: remove and add campaigns in the comparison", async () => {
      const { page } = en;
      const firstId = await page.getByTestId("compare-column").first().getAttribute("data-campaign-id");
      await page.getByTestId(`compare-remove-${firstId}`).click();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid='compare-column']").length === 1);
      assert(!page.url().includes(`ids=${firstId}%2C`) && !page.url().includes(`ids=${firstId},`), `URL still lists ${firstId}: ${page.url()}`);
      await page.getByTestId("compare-add").click();
      await page.locator(".n-base-select-option").filter({ hasText: "· Draft" }).first().click();
      await page.waitForFunction(() => document.querySelectorAll("[data-testid='compare-column']").length === 2);
      await page.getByTestId("compare-no-result").waitFor();
      await page.getByTestId("compare-forest-missing").waitFor();
      // A lift that cannot be computed reads as one dash, not a dash for the value and one for its interval.
      assert(!(await page.getByTestId("compare-table").innerText()).includes("— —"), "a comparison cell reads “— —”");
    });
    await step("en: when planning fails after saving, the draft is kept and planned in place on retry", async () => {
      const { page } = en;
      // A segment whose members all opted out of e-mail: planning it on e-mail is refused.
      const list = (await gql(page, "{ customers(first: 100) { nodes { externalId emailOptIn } } }")) as { customers: { nodes: { externalId: string; emailOptIn: boolean }[] } };
      const optedOut = list.customers.nodes.filter((c) => !c.emailOptIn).slice(0, 5).map((c) => c.externalId);
      assert(optedOut.length, "no customer opted out of e-mail on the first page");
      const created = (await gql(page, "mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }", {
        input: { name: `E2E opted out of e-mail ${stamp}`, kind: "MANUAL", definition: { customerExternalIds: optedOut } },
      })) as { createSegment: { id: string } };
      const segmentId = created.createSegment.id;
      await page.goto(`${BASE}/campaigns/new?segmentId=${segmentId}`);
      await page.getByTestId("summary-segment").getByText(`E2E opted out of e-mail ${stamp}`).waitFor();
      await page.getByTestId("plan-next").click();
      await page.getByTestId("plan-name").locator("input").fill(`E2E retry ${stamp}`);
      await page.getByTestId("plan-objective-RETAIN").click();
      await page.getByTestId("plan-channel-EMAIL").click();
      await page.getByTestId("plan-step-windows").click();
      await page.getByTestId("plan-save-and-plan").click();
      await page.getByTestId("plan-saved-not-planned").waitFor({ timeout: 20_000 });
      await page.getByTestId("api-error").waitFor();
      await page.waitForURL(/edit=\d+/);
      const draftId = new URL(page.url()).searchParams.get("edit");
      assert(await page.getByTestId("plan-step-objective-body").isVisible(), "did not return to the channel's step");
      await page.getByTestId("plan-channel-COUPON").click();
      await page.getByTestId("plan-step-windows").click();
      await page.getByTestId("plan-save-and-plan").click();
      await page.waitForURL(new RegExp(`/campaigns/${draftId}$`), { timeout: 20_000 });
      await page.getByTestId("campaign-detail").getByText("Planned").first().waitFor();
      await gql(page, "mutation($id: ID!) { archiveSegment(id: $id) { id } }", { id: segmentId });
    });
    await step("en: a linked segment that cannot be planned on is refused with a note", async () => {
      await en.page.goto(`${BASE}/campaigns/new?segmentId=999999`);
      await en.page.getByTestId("plan-segment-unavailable").waitFor();
      await en.page.getByTestId("summary-segment").getByText("Not chosen yet").waitFor();
    });
    await step("en: no console errors", async () => assertNoConsoleErrors(en));
    await en.context.close();

    // ---- Japanese: the wizard's power step, Save draft, edit that draft, and the comparison.
    const ja = await open(browser, "ja");
    await step("ja: operator signs in", async () => {
      await login(ja, "operator@example.com");
      await ja.page.getByTestId("language").selectOption("ja");
    });
    await step("ja: ?segmentId preselects the segment; power step screenshot", async () => {
      const { page } = ja;
      await page.goto(`${BASE}/campaigns`);
      await page.getByTestId("campaign-board").waitFor();
      await page.getByTestId("campaign-new").click();
      await page.getByTestId("plan-segment-row").first().waitFor();
      const id = await page.getByTestId("plan-segment-row").filter({ hasText: "ロイヤル顧客" }).first().getAttribute("data-segment-id");
      await page.goto(`${BASE}/campaigns/new?segmentId=${id}`);
      await page.getByTestId("summary-segment").getByText("ロイヤル顧客").waitFor();
      await page.getByTestId("plan-next").click();
      await page.getByTestId("plan-name").locator("input").fill(`E2E 下書き ${stamp}`);
      await page.getByTestId("plan-objective-UPSELL").click();
      await page.getByTestId("plan-channel-EMAIL").click();
      await page.getByTestId("plan-kpi-REVENUE_PER_CUSTOMER").click();
      await page.getByTestId("plan-guardrail-CONVERSION").click();
      await fillNumber(page, "plan-expected-lift", "15");
      await page.getByTestId("plan-next").click();
      await powerSettled(page);
      await fillNumber(page, "plan-holdout-input", "20");
      await page.waitForTimeout(100);
      await powerSettled(page);
      await page.getByText("最小検出リフト").first().waitFor();
      await screenshot(ja, "campaign-wizard-ja");
    });
    let draftId = "";
    await step("ja: Save draft, then edit it with ?edit= and save the change", async () => {
      const { page } = ja;
      await page.getByTestId("plan-save-draft").click();
      await page.waitForURL(/\/campaigns\/\d+$/, { timeout: 20_000 });
      draftId = page.url().split("/").pop() ?? "";
      await page.getByTestId("campaign-detail").getByText("下書き").first().waitFor();
      await page.goto(`${BASE}/campaigns/new?edit=${draftId}`);
      const name = page.getByTestId("plan-name").locator("input");
      await page.getByTestId("plan-step-objective").click();
      await name.waitFor();
      assert((await name.inputValue()) === `E2E 下書き ${stamp}`, `draft not loaded: ${await name.inputValue()}`);
      await name.fill(`E2E 下書き ${stamp} 改`);
      await page.getByTestId("plan-save-draft").click();
      await page.waitForURL(new RegExp(`/campaigns/${draftId}$`), { timeout: 20_000 });
      await page.getByTestId("campaign-detail").getByText(`E2E 下書き ${stamp} 改`).first().waitFor();
    });
    await step("ja: comparison screenshot", async () => {
      const { page } = ja;
      await page.goto(`${BASE}/campaigns`);
      const acted = page.getByTestId("column-ACTED");
      await acted.getByTestId("campaign-card").first().waitFor();
      const ids = await acted.getByTestId("campaign-card").evaluateAll((els) => els.map((e) => e.getAttribute("data-campaign-id")));
      const checked = page.getByTestId("column-CHECKED").getByTestId("campaign-card");
      const extra = (await checked.count()) ? await checked.first().getAttribute("data-campaign-id") : null;
      await page.goto(`${BASE}/campaigns/compare?ids=${[...ids, extra].filter(Boolean).join(",")}`);
      await page.getByTestId("compare-table").waitFor({ timeout: 15_000 });
      await page.getByTestId("compare-forest").locator("canvas").first().waitFor({ timeout: 15_000 });
      await screenshot(ja, "campaign-compare-ja");
    });
    await step("ja: no console errors", async () => assertNoConsoleErrors(ja));
    await ja.context.close();

    // ---- Analyst: may compare, may not plan.
    const analyst = await open(browser, "en");
    await step("analyst sees no New campaign button and cannot open the wizard", async () => {
      await login(analyst, "analyst@example.com");
      await analyst.page.goto(`${BASE}/campaigns`);
      await analyst.page.getByTestId("campaign-board").waitFor();
      assert((await analyst.page.getByTestId("campaign-new").count()) === 0, "analyst sees New campaign");
      await analyst.page.goto(`${BASE}/campaigns/new`);
      await analyst.page.waitForURL((u) => !u.pathname.startsWith("/campaigns/new"));
      assert((await analyst.page.getByTestId("plan-wizard").count()) === 0, "analyst reached the wizard");
    });
    await step("analyst can compare campaigns", async () => {
      await analyst.page.goto(`${BASE}/campaigns`);
      const acted = analyst.page.getByTestId("column-ACTED");
      await acted.getByTestId("campaign-select").nth(0).click();
      await acted.getByTestId("campaign-select").nth(1).click();
      await analyst.page.getByTestId("campaign-compare").click();
      await analyst.page.getByTestId("compare-table").waitFor({ timeout: 15_000 });
      assertNoConsoleErrors(analyst);
    });
    await analyst.context.close();
  },
};
