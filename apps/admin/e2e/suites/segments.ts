// The segments page: RF-cell and rule segments with live previews, members, archive,
// deciles, migration between snapshots, and what an analyst may not do.
import type { Browser, Locator, Page } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Session, type Suite } from "../harness.ts";

const digits = (text: string) => Number(text.replace(/[^\d]/g, ""));

/** Picks an option of a Naive UI select by its visible label. */
async function choose(page: Page, select: Locator, label: string | RegExp): Promise<void> {
  await select.click();
  const menu = page.locator(".n-base-select-menu").last();
  await menu.waitFor();
  await menu.locator(".n-base-select-option").filter({ hasText: label }).first().click();
}

/** The preview's customer count once it has settled (not loading, a number on screen). */
async function settledCount(page: Page): Promise<number> {
  const preview = page.getByTestId("rule-preview");
  await preview.locator("[data-testid='stats-customers']").waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector("[data-testid='rule-preview']")?.getAttribute("data-loading") === "false", undefined, { timeout: 15_000 });
  return digits(await preview.getByTestId("stats-customers").innerText());
}

async function waitForCountChange(page: Page, before: number): Promise<number> {
  await page.waitForFunction(
    (n) => {
      const el = document.querySelector("[data-testid='rule-preview']");
      const text = el?.querySelector("[data-testid='stats-customers']")?.textContent ?? "";
      return el?.getAttribute("data-loading") === "false" && Number(text.replace(/[^\d]/g, "")) !== n;
    },
    before,
    { timeout: 15_000 },
  );
  return settledCount(page);
}

/** Fills the builder with P(alive) < 50% AND predicted CLV ≥ `clv`, checking the preview moves. */
async function buildRule(s: Session, fieldLabel: string, clv: number): Promise<{ first: number; second: number }> {
  const { page } = s;
  await page.goto(`${BASE}/segments?tab=builder`);
  await page.getByTestId("rule-builder").waitFor();
  const conditions = page.getByTestId("rule-condition");
  await conditions.first().getByTestId("rule-value").locator("input").fill("50");
  const first = await settledCount(page);
  await page.getByTestId("rule-group").first().getByTestId("rule-add-condition").last().click();
  const second = conditions.nth(1);
  await choose(page, second.getByTestId("rule-field"), new RegExp(`^${fieldLabel.replace(/[()]/g, "\\$&")}$`));
  await second.getByTestId("rule-value").locator("input").fill(String(clv));
  const secondCount = await waitForCountChange(page, first);
  return { first, second: secondCount };
}

export const segments: Suite = {
  name: "segments",
  async run(browser: Browser): Promise<void> {
    await step("operator creates a segment from RF matrix cells", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.getByTestId("nav-segments").click();
      await s.page.getByTestId("rf-cell-r5-f4").click();
      await s.page.getByTestId("rf-cell-r5-f5").click();
      await s.page.getByTestId("open-create-segment").click();
      // The dialog previews the selection's size before anything is saved.
      const preview = s.page.getByTestId("create-segment-preview").getByTestId("stats-customers");
      await preview.waitFor({ timeout: 15_000 });
      assert(digits(await preview.innerText()) > 0, "the preview shows no customers for R5 × F4–5");
      const name = `E2E R5 F4-5 ${Date.now()}`;
      await s.page.getByTestId("segment-name").locator("input").fill(name);
      await s.page.getByTestId("submit-segment").click();
      await s.page.getByTestId("segment-list").getByText(name).waitFor({ timeout: 15_000 });
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("operator builds a rule, the preview follows each change, saves it and opens its members", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      const { first, second } = await buildRule(s, "Predicted CLV", 3000);
      assert(second < first, `adding predicted CLV ≥ 3000 should shrink the preview (${first} → ${second})`);
      const value = s.page.getByTestId("rule-condition").nth(1).getByTestId("rule-value").locator("input");
      await value.fill("8000");
      const third = await waitForCountChange(s.page, second);
      assert(third < second, `raising the CLV threshold should shrink the preview (${second} → ${third})`);
      const summary = await s.page.getByTestId("rule-summary").innerText();
      assert(/P\(alive\) < 50%/.test(summary) && /Predicted CLV ≥/.test(summary), `summary was "${summary}"`);

      // An impossible range is flagged next to its condition and nothing is sent.
      await value.fill("");
      await s.page.getByTestId("rule-condition").nth(1).getByTestId("rule-condition-problem").waitFor();
      assert(await s.page.getByTestId("rule-save").isDisabled(), "save is enabled with an incomplete rule");
      await value.fill("8000");
      await settledCount(s.page);

      const name = `E2E at-risk valuable ${Date.now()}`;
      await s.page.getByTestId("rule-name").locator("input").fill(name);
      await s.page.getByTestId("rule-save").click();
      // Saving lands on the list with the new segment open.
      const drawer = s.page.getByTestId("segment-drawer");
      await drawer.getByText(name).first().waitFor({ timeout: 15_000 });
      await drawer.getByTestId("member-row").first().waitFor({ timeout: 15_000 });
      const members = digits(await drawer.getByTestId("members-count").innerText());
      assert(members === third, `members ${members} ≠ previewed ${third}`);
      await s.page.keyboard.press("Escape");
      await drawer.waitFor({ state: "hidden" });
      const row = s.page.getByTestId("segment-row").filter({ hasText: name });
      await row.waitFor();
      assert(digits(await row.getByTestId("segment-size").innerText()) === third, "the list shows a different size than the preview");

      // Members open from the list and link to the customer.
      await row.getByTestId("segment-open").click({ timeout: 20_000 });
      await drawer.getByTestId("member-row").first().waitFor({ timeout: 15_000 });
      await drawer.getByTestId("members-next").click({ timeout: 20_000 });
      await s.page.getByText("Page 2").first().waitFor();
      await drawer.getByTestId("member-row").first().click({ timeout: 20_000 });
      await s.page.getByTestId("customer-detail").waitFor({ timeout: 15_000 });
      assert(/\/customers\/\d+/.test(s.page.url()), `expected a customer page, got ${s.page.url()}`);

      // Edit opens the rule in the builder as saved.
      await s.page.goto(`${BASE}/segments`);
      await s.page.getByTestId("segment-row").filter({ hasText: name }).getByTestId("segment-edit").click({ timeout: 20_000 });
      await s.page.getByTestId("rule-cancel-edit").waitFor({ timeout: 20_000 });
      await s.page.waitForFunction(() => document.querySelectorAll("[data-testid='rule-condition']").length === 2);
      const edited = await s.page.getByTestId("rule-summary").innerText();
      assert(edited === summary, `edit shows "${edited}", saved "${summary}"`);
      await s.page.getByTestId("rule-cancel-edit").click();

      // Archive, find it under "show archived", restore.
      await s.page.getByTestId("tab-list").click();
      await s.page.getByTestId("segment-row").filter({ hasText: name }).getByTestId("segment-archive").click({ timeout: 20_000 });
      await s.page.locator(".n-popconfirm").getByRole("button", { name: "Archive" }).click({ timeout: 20_000 });
      await s.page.getByTestId("segment-row").filter({ hasText: name }).waitFor({ state: "detached", timeout: 15_000 });
      await s.page.getByTestId("show-archived").click();
      await s.page.getByTestId("segment-row").filter({ hasText: name }).getByTestId("segment-restore").click({ timeout: 20_000 });
      await s.page.getByTestId("segment-row").filter({ hasText: name }).getByTestId("segment-archive").waitFor({ timeout: 15_000 });
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("an impossible range is flagged next to its condition and nothing is sent", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.goto(`${BASE}/segments?tab=builder`);
      const condition = s.page.getByTestId("rule-condition").first();
      await choose(s.page, condition.getByTestId("rule-field"), /^Birth year$/);
      await condition.getByTestId("rule-value").locator("input").fill("1990");
      await condition.getByTestId("rule-value-high").locator("input").fill("1970");
      await condition.getByTestId("rule-condition-problem").getByText("The lower end is above the upper end.").waitFor();
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    for (const lang of ["en", "ja"] as const) {
      await step(`${lang}: segments, rule builder and migration render; screenshots`, async () => {
        const s = await open(browser, lang);
        await login(s, "operator@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.goto(`${BASE}/segments`);
        await s.page.getByTestId("rf-matrix").waitFor();
        await s.page.getByTestId("rfm-segment-table").getByTestId("segment-row").nth(7).waitFor({ timeout: 15_000 });
        await screenshot(s, `segments-${lang}`);

        await buildRule(s, lang === "ja" ? "予測 CLV" : "Predicted CLV", 5000);
        await s.page.getByTestId("rule-group").first().getByTestId("rule-add-group").last().click();
        const nested = s.page.getByTestId("rule-group").nth(1);
        const inner = nested.getByTestId("rule-condition").first();
        await choose(s.page, inner.getByTestId("rule-field"), lang === "ja" ? /^RFM セグメント$/ : /^RFM segment$/);
        await choose(s.page, inner.getByTestId("rule-value"), lang === "ja" ? "離反予備軍" : "At risk");
        await s.page.keyboard.press("Escape");
        await settledCount(s.page);
        await screenshot(s, `segment-rule-builder-${lang}`);

        await s.page.getByTestId("tab-migration").click();
        const sankey = s.page.getByTestId("migration-sankey");
        await sankey.locator("canvas").waitFor({ timeout: 15_000 });
        assert((await s.page.getByTestId("transition-row").count()) > 0, "no transitions listed");
        assert((await s.page.getByTestId("migration-from").innerText()).trim() !== "", "no from-snapshot chosen");
        await s.page.waitForTimeout(1000); // let the Sankey finish its entry animation
        await screenshot(s, `segment-migration-${lang}`);
        await s.page.getByTestId("migration-measure-revenue").click();
        await s.page.waitForTimeout(400);
        await s.page.getByTestId("tab-deciles").click();
        await s.page.getByTestId("decile-table").waitFor();
        assert((await s.page.getByTestId("decile-table").locator("tbody tr").count()) === 10, "decile table has not 10 rows");
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    await step("analyst sees segments but no create, edit or archive actions", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.goto(`${BASE}/segments`);
      await s.page.getByTestId("rfm-segment-table").getByTestId("segment-row").first().waitFor({ timeout: 15_000 });
      await s.page.getByTestId("rf-cell-r5-f5").click();
      for (const id of ["open-create-segment", "new-rule-segment", "segment-edit", "segment-archive", "segment-restore", "segment-plan"]) {
        assert((await s.page.getByTestId(id).count()) === 0, `analyst sees ${id}`);
      }
      await s.page.getByTestId("rfm-segment-table").getByTestId("segment-open").first().click();
      await s.page.getByTestId("segment-drawer").getByTestId("member-row").first().waitFor({ timeout: 15_000 });
      for (const id of ["drawer-edit", "drawer-archive", "drawer-plan"]) {
        assert((await s.page.getByTestId(id).count()) === 0, `analyst sees ${id}`);
      }
      await s.page.keyboard.press("Escape");
      // The builder still previews, read-only.
      await s.page.getByTestId("tab-builder").click();
      await s.page.getByTestId("rule-read-only").waitFor();
      await s.page.getByTestId("rule-condition").first().getByTestId("rule-value").locator("input").fill("30");
      await settledCount(s.page);
      assert((await s.page.getByTestId("rule-save").count()) === 0, "analyst can save a rule");
      assertNoConsoleErrors(s);
      await s.context.close();
    });
  },
};
