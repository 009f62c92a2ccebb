// The Acquisition page (獲得効率) in both languages: the figures shown match the API, the
// retention-vs-acquisition table lists the measured campaigns, and the CSV export carries the same numbers.
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Suite } from "../harness.ts";

interface Group {
  channel: string | null;
  customers: number;
  meanCac: number;
  ltvToCac: number | null;
  ltvToCacInterval: { lower: number; upper: number } | null;
  paybackMonth: number | null;
}

export const acquisition: Suite = {
  name: "acquisition",
  async run(browser: Browser): Promise<void> {
    for (const lang of ["en", "ja"] as const) {
      const s = await open(browser, lang);
      // Embedded PostgreSQL runs in the server's thread: while it computes the page's figures for
      // a previous session (seconds on a busy machine) even the login page waits.
      s.page.setDefaultTimeout(60_000);
      const tag = lang === "ja" ? "ja-JP" : "en-US";
      const fixed2 = (v: number) => new Intl.NumberFormat(tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
      let groups: Group[] = [];
      await step(`${lang}: analyst opens the Acquisition page from the navigation`, async () => {
        await login(s, "analyst@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        const link = s.page.getByTestId("nav-acquisition");
        assert((await link.textContent())?.trim() === (lang === "ja" ? "獲得効率" : "Acquisition"), `nav label is ${await link.textContent()}`);
        await link.click();
        await s.page.getByTestId("acq-channels").waitFor({ timeout: 60_000 });
        await s.page.getByTestId("acq-comparison").locator("tbody tr").first().waitFor({ timeout: 60_000 });
        await screenshot(s, `acquisition-${lang}`);
        assertNoConsoleErrors(s);
      });
      await step(`${lang}: LTV/CAC, its interval and CAC per channel match the API`, async () => {
        const response = await s.page.request.post(`${BASE}/graphql`, {
          data: { query: "{ acquisitionEconomics(groupBy: CHANNEL) { groups { channel customers meanCac ltvToCac ltvToCacInterval { lower upper } paybackMonth } } }" },
        });
        const body = (await response.json()) as { data: { acquisitionEconomics: { groups: Group[] } } };
        groups = body.data.acquisitionEconomics.groups;
        assert(groups.length >= 6, `expected the six demo channels, got ${groups.length}`);
        for (const g of groups.filter((x) => x.ltvToCac !== null)) {
          const row = s.page.getByTestId(`acq-channel-${g.channel ?? "unknown"}`);
          const shown = (await row.getByTestId("acq-ltv-cac").textContent())?.trim() ?? "";
          const expected = `${fixed2(g.ltvToCac!)} (${fixed2(g.ltvToCacInterval!.lower)}${lang === "ja" ? "〜" : "–"}${fixed2(g.ltvToCacInterval!.upper)})`;
          assert(shown === expected, `${g.channel}: shows "${shown}", API says "${expected}"`);
          const cac = (await row.getByTestId("acq-mean-cac").textContent())?.trim() ?? "";
          const expectedCac = new Intl.NumberFormat(tag, { style: "currency", currency: "JPY" }).format(g.meanCac);
          assert(cac === expectedCac, `${g.channel}: CAC shows "${cac}", API says "${expectedCac}"`);
        }
        const store = groups.find((g) => g.channel === "store")!;
        const payback = (await s.page.getByTestId("acq-channel-store").getByTestId("acq-payback").textContent())?.trim();
        const expectedPayback = store.paybackMonth === null ? null : lang === "ja" ? `${store.paybackMonth} か月目` : `month ${store.paybackMonth}`;
        if (expectedPayback) assert(payback === expectedPayback, `store payback shows "${payback}", expected "${expectedPayback}"`);
      });
      await step(`${lang}: the demo tells the story — social earns least per yen, the store costs most and pays back`, async () => {
        const paid = groups.filter((g) => g.ltvToCac !== null);
        const social = paid.find((g) => g.channel === "social")!;
        assert(Math.min(...paid.map((g) => g.ltvToCac!)) === social.ltvToCac, "social should have the lowest LTV/CAC");
        const store = paid.find((g) => g.channel === "store")!;
        assert(Math.max(...paid.map((g) => g.meanCac)) === store.meanCac, "the store should have the highest CAC");
        assert(store.ltvToCac! > 1 && store.paybackMonth !== null, "the store should pay back");
      });
      await step(`${lang}: retention vs acquisition lists measured campaigns and channels with assumptions`, async () => {
        const table = s.page.getByTestId("acq-comparison");
        const campaigns = await table.locator('[data-testid^="acq-comparison-campaign-"]').count();
        const channels = await table.locator('[data-testid^="acq-comparison-channel-"]').count();
        assert(campaigns >= 1, "no measured campaign rows");
        assert(channels >= 6, `expected ≥ 6 channel rows, got ${channels}`);
        const storeRow = (await table.getByTestId("acq-comparison-channel-store").getByTestId("acq-per-yen").textContent())?.trim();
        const store = groups.find((g) => g.channel === "store")!;
        assert(storeRow === fixed2(store.ltvToCac!), `store per-yen shows "${storeRow}", API LTV/CAC ${fixed2(store.ltvToCac!)}`);
        const text = (await table.textContent()) ?? "";
        assert(lang === "ja" ? text.includes("収穫一定") : text.includes("constant returns"), "the budget assumption is not worded");
      });
      await step(`${lang}: the budget input groups digits once left, without getting in the way of typing`, async () => {
        const input = s.page.getByTestId("acq-budget").locator("input");
        await input.click();
        await input.fill("");
        await input.pressSequentially("1234567");
        assert((await input.inputValue()) === "1234567", `while typing the budget reads "${await input.inputValue()}"`);
        await input.press("Tab");
        await s.page.waitForLoadState("networkidle");
        assert((await input.inputValue()) === "1,234,567", `after leaving it the budget reads "${await input.inputValue()}", not 1,234,567`);
        const sign = (await s.page.getByTestId("acq-budget").locator(".n-input__prefix").textContent())?.trim();
        assert(sign === (lang === "ja" ? "￥" : "¥"), `the budget's currency sign is "${sign}"`);
        await input.fill("1000000");
        await input.press("Tab");
        await s.page.waitForLoadState("networkidle");
        assertNoConsoleErrors(s);
      });
      await step(`${lang}: CSV export carries the API's figures`, async () => {
        const [download] = await Promise.all([s.page.waitForEvent("download"), s.page.getByTestId("acq-export").click()]);
        const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
        const lines = csv.trim().split("\r\n");
        assert(lines[0]?.startsWith("channel,customers,customers_without_cost,total_cac,mean_cac"), `header: ${lines[0]}`);
        const store = groups.find((g) => g.channel === "store")!;
        const storeLine = lines.find((l) => l.startsWith("store,"))?.split(",") ?? [];
        assert(Number(storeLine[1]) === store.customers, `CSV store customers ${storeLine[1]} vs ${store.customers}`);
        assert(Number(storeLine[8]) === store.ltvToCac, `CSV store LTV/CAC ${storeLine[8]} vs ${store.ltvToCac}`);
      });
      await step(`${lang}: payback curves switch to monthly cohorts`, async () => {
        await s.page.getByTestId("acq-unit-month").click();
        await s.page.waitForLoadState("networkidle");
        await s.page.getByTestId("acq-payback-curves").locator("canvas").first().waitFor();
        assertNoConsoleErrors(s);
      });
      await s.context.close();
    }
  },
};
