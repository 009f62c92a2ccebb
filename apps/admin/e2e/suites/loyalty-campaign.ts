// A bonus-points campaign from plan to measure, in both languages: the operator plans one through
// the wizard (the loyalty offer's own check, the summary), saves, plans and launches it; then the
// measured demo bonus-points campaign shows points earned, bonus and redeemed per arm as the API
// reports them, with the liability in the cost. Needs the demo database (its bonus-points campaign).
import type { Browser, Page } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Suite } from "../harness.ts";

const DEMO_BONUS = "ポイント2倍キャンペーン (demo)";

interface Arm {
  group: string;
  n: number;
  bonusPoints: number;
  pointsRedeemed: number;
}

async function gql<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await page.request.post(`${BASE}/graphql`, { data: { query, variables } });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  assert(!body.errors?.length, `GraphQL: ${body.errors?.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

async function fillNumber(page: Page, testId: string, value: string): Promise<void> {
  const input = page.getByTestId(testId).locator("input");
  await input.fill(value);
  await input.press("Tab");
}

const WORDS = {
  en: { segment: "Loyal", badMultiplier: "Enter a multiplier above 1 and at most 10", offer: "Bonus points ×2", planned: "Planned" },
  ja: { segment: "ロイヤル顧客", badMultiplier: "1 より大きく 10 以下", offer: "ポイント 2 倍", planned: "計画済み" },
} as const;

export const loyaltyCampaign: Suite = {
  name: "loyalty-campaign",
  async run(browser: Browser): Promise<void> {
    const stamp = Date.now().toString(36);
    for (const lang of ["en", "ja"] as const) {
      const s = await open(browser, lang);
      s.page.setDefaultTimeout(30_000);
      const { page } = s;
      const words = WORDS[lang];
      const tag = lang === "ja" ? "ja-JP" : "en-US";
      const name = `E2E bonus points ${lang} ${stamp}`;
      await step(`${lang}: operator opens the wizard and picks a segment`, async () => {
        await login(s, "operator@example.com");
        await page.getByTestId("language").selectOption(lang);
        await page.goto(`${BASE}/campaigns/new`);
        await page.getByTestId("plan-wizard").waitFor();
        await page.getByTestId("plan-segment-row").filter({ hasText: words.segment }).first().click();
        await page.getByTestId("plan-next").click();
        await page.getByTestId("plan-step-objective-body").waitFor();
      });
      await step(`${lang}: a bonus-points offer with a multiplier of 1 is refused with the reason; ×2 passes`, async () => {
        await page.getByTestId("plan-name").locator("input").fill(name);
        await page.getByTestId("plan-objective-UPSELL").click();
        await page.getByTestId("plan-channel-POINTS").click();
        await page.getByTestId("plan-offer").locator("input").fill(lang === "ja" ? "期間中ポイント2倍" : "Double points this month");
        await page.getByTestId("plan-loyalty-BONUS_POINTS").click();
        await fillNumber(page, "plan-loyalty-multiplier", "1");
        await page.getByTestId("plan-next").click();
        await page.getByText(words.badMultiplier).first().waitFor();
        assert(await page.getByTestId("plan-step-objective-body").isVisible(), "left the step with a bad multiplier");
        await fillNumber(page, "plan-loyalty-multiplier", "2");
        const summary = (await page.getByTestId("summary-loyalty-offer").innerText()).trim();
        assert(summary === words.offer, `summary shows "${summary}", expected "${words.offer}"`);
        await page.getByTestId("plan-next").click();
        await page.getByTestId("plan-step-power-body").waitFor();
        await page.getByTestId("power-treatment").waitFor({ timeout: 30_000 });
        await page.getByTestId("plan-next").click();
        await page.getByTestId("plan-step-windows-body").waitFor();
        await fillNumber(page, "plan-fixed-cost", "10000");
        await screenshot(s, `loyalty-campaign-wizard-${lang}`);
      });
      let url = "";
      await step(`${lang}: Save and plan, then launch: the campaign page names the offer`, async () => {
        await page.getByTestId("plan-save-and-plan").click();
        await page.waitForURL(/\/campaigns\/\d+$/, { timeout: 30_000 });
        url = page.url();
        await page.getByTestId("campaign-detail").waitFor();
        await page.getByTestId("campaign-detail").getByText(words.planned).first().waitFor();
        const offer = (await page.getByTestId("campaign-loyalty-offer").innerText()).trim();
        assert(offer === words.offer, `campaign page shows "${offer}"`);
        await page.getByTestId("action-launch").click();
        await page.getByTestId("launch-dialog").waitFor();
        await page.getByTestId("launch-confirm").click();
        await page.locator('[data-testid="campaign-status"][data-status="RUNNING"]').waitFor({ timeout: 60_000 });
        const id = url.split("/").pop();
        const data = await gql<{ campaign: { loyaltyOffer: { kind: string; multiplier: number } | null } }>(page, "query($id: ID!) { campaign(id: $id) { loyaltyOffer { kind multiplier } } }", { id });
        assert(data.campaign.loyaltyOffer?.kind === "BONUS_POINTS" && data.campaign.loyaltyOffer.multiplier === 2, `stored offer ${JSON.stringify(data.campaign.loyaltyOffer)}`);
        assertNoConsoleErrors(s);
      });
      await step(`${lang}: the measured demo bonus-points campaign shows points per arm as the API reports them`, async () => {
        const list = await gql<{ campaigns: { nodes: { id: string; name: string }[] } }>(page, "{ campaigns(first: 100) { nodes { id name } } }");
        const demo = list.campaigns.nodes.find((c) => c.name.includes(DEMO_BONUS));
        assert(demo, "the demo bonus-points campaign is missing: run this suite on a freshly seeded demo database");
        const measured = await gql<{ campaign: { latestResult: { loyalty: { arms: Arm[]; liability: number } | null; money: { loyaltyCost: number } } | null } }>(
          page,
          "query($id: ID!) { campaign(id: $id) { latestResult { loyalty { liability arms { group n bonusPoints pointsRedeemed } } money { loyaltyCost } } } }",
          { id: demo.id },
        );
        const loyalty = measured.campaign.latestResult?.loyalty;
        assert(loyalty, "the demo bonus-points campaign has no loyalty result");
        await page.goto(`${BASE}/campaigns/${demo.id}`);
        await page.getByTestId("campaign-loyalty").waitFor({ timeout: 30_000 });
        const nf = new Intl.NumberFormat(tag);
        for (const arm of loyalty.arms) {
          const row = page.locator(`[data-testid="loyalty-arm-row"][data-group="${arm.group}"]`);
          const bonus = (await row.getByTestId("loyalty-arm-bonus").innerText()).trim();
          const redeemed = (await row.getByTestId("loyalty-arm-redeemed").innerText()).trim();
          assert(bonus === nf.format(arm.bonusPoints), `${arm.group} bonus shows ${bonus}, API ${arm.bonusPoints}`);
          assert(redeemed === nf.format(arm.pointsRedeemed), `${arm.group} redeemed shows ${redeemed}, API ${arm.pointsRedeemed}`);
        }
        const treatment = loyalty.arms.find((a) => a.group === "treatment");
        const control = loyalty.arms.find((a) => a.group === "control");
        assert(treatment && treatment.bonusPoints > 0 && control?.bonusPoints === 0, `bonus per arm: ${JSON.stringify(loyalty.arms)}`);
        assert(measured.campaign.latestResult?.money.loyaltyCost === loyalty.liability, "the liability is the cost's loyalty part");
        await page.getByTestId("money-loyalty-cost").waitFor();
        // The label and its sum read as two words (it showed 「ボーナスポイントの負債:346,349 ポイント × 1 ポイント ￥1 …」).
        const line = (await page.getByTestId("loyalty-liability").innerText()).trim();
        const label = lang === "ja" ? "ボーナスポイントの負債: " : "Bonus points liability: ";
        assert(line.startsWith(label), `liability line: ${line}`);
        if (lang === "ja") assert(line.includes("1 ポイントあたり"), `liability line names the value of one point: ${line}`);
        const help = await page.getByTestId("loyalty-liability-help").innerText();
        assert(help.includes(lang === "ja" ? "実績利用率" : "observed redemption rate"), `liability help: ${help}`);
        await page.getByTestId("loyalty-rate-help").hover();
        await page.getByText(lang === "ja" ? "期間中の利用ポイント" : "Points redeemed in the window").first().waitFor();
        await page.getByTestId("campaign-loyalty").scrollIntoViewIfNeeded();
        await screenshot(s, `loyalty-campaign-measured-${lang}`);
        assertNoConsoleErrors(s);
      });
      await s.context.close();
    }
  },
};
