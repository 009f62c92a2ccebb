// The Loyalty page (ロイヤリティ) in both languages: the liability and breakage shown match the
// API, the per-segment table, the stamp chart and the descriptive label are there; only admins
// see the rules form; the customer page shows the ledger and the stamp cards.
import type { Browser } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, screenshot, step, type Suite } from "../harness.ts";

export const loyalty: Suite = {
  name: "loyalty",
  async run(browser: Browser): Promise<void> {
    for (const lang of ["en", "ja"] as const) {
      const s = await open(browser, lang);
      s.page.setDefaultTimeout(60_000);
      const tag = lang === "ja" ? "ja-JP" : "en-US";
      await step(`${lang}: analyst opens the Loyalty page from the navigation`, async () => {
        await login(s, "analyst@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        const link = s.page.getByTestId("nav-loyalty");
        assert((await link.textContent())?.trim() === (lang === "ja" ? "ロイヤリティ" : "Loyalty"), `nav label is ${await link.textContent()}`);
        await link.click();
        await s.page.getByTestId("loyalty-segment-table").waitFor({ timeout: 60_000 });
        await s.page.getByTestId("loyalty-stamp-chart").locator("canvas").first().waitFor({ timeout: 60_000 });
        await s.page.getByTestId("loyalty-liability-chart").locator("canvas").first().waitFor({ timeout: 60_000 });
        await screenshot(s, `loyalty-${lang}`);
        assertNoConsoleErrors(s);
      });
      await step(`${lang}: at 1440 px no loyalty table is wider than its card and headers break between words only`, async () => {
        await s.page.setViewportSize({ width: 1440, height: 1000 });
        await s.page.getByTestId("loyalty-point-rules").waitFor();
        const problems = await s.page.evaluate((english) =>
          [...document.querySelectorAll<HTMLElement>("[data-testid=loyalty] table")].flatMap((table) => {
            const out: string[] = [];
            const room = table.parentElement?.clientWidth ?? 0;
            if (table.getBoundingClientRect().width > room + 1) out.push(`${table.dataset["testid"] ?? "table"} is ${Math.round(table.getBoundingClientRect().width)} px in ${room} px`);
            // English headers wrap between words: never more lines than words (Japanese may wrap between characters).
            for (const th of english ? table.querySelectorAll("th") : []) {
              const range = document.createRange();
              range.selectNodeContents(th);
              const lines = range.getClientRects().length;
              const words = (th.textContent ?? "").trim().split(/\s+/).length;
              if (lines > words) out.push(`header "${th.textContent}" takes ${lines} lines for ${words} words`);
            }
            return out;
          }),
          lang === "en",
        );
        await s.page.setViewportSize({ width: 1400, height: 1000 });
        assert(problems.length === 0, problems.join("; "));
      });
      await step(`${lang}: liability, breakage and the segment rows match the API`, async () => {
        const response = await s.page.request.post(`${BASE}/graphql`, {
          data: { query: "{ loyaltyAnalysis { totals { liability breakageRate } segments { key customers } } }" },
        });
        const body = (await response.json()) as { data: { loyaltyAnalysis: { totals: { liability: number; breakageRate: number }; segments: { key: string }[] } } };
        const { totals, segments } = body.data.loyaltyAnalysis;
        assert(totals.liability > 0, `the demo's liability is ${totals.liability}`);
        const money = new Intl.NumberFormat(tag, { style: "currency", currency: "JPY" }).format(totals.liability);
        const shown = (await s.page.getByTestId("loyalty-liability").textContent())?.trim();
        assert(shown === money, `liability shows "${shown}", API says "${money}"`);
        const pct = new Intl.NumberFormat(tag, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(totals.breakageRate);
        const breakage = (await s.page.getByTestId("loyalty-breakage").textContent())?.trim();
        assert(breakage === pct, `breakage shows "${breakage}", API says "${pct}"`);
        assert(segments.length >= 5, `expected the demo's RFM segments, got ${segments.length}`);
        for (const seg of segments) await s.page.getByTestId(`loyalty-row-${seg.key}`).waitFor();
        const label = (await s.page.getByTestId("loyalty-descriptive").textContent()) ?? "";
        assert(label.includes(lang === "ja" ? "因果ではありません" : "not causal"), `descriptive label: ${label}`);
        // The snapshot the segments come from is named by its date, as elsewhere in the UI, not by its database id.
        const basis = (await s.page.getByTestId("loyalty-segment-basis").innerText()).trim();
        assert(basis.includes(lang === "ja" ? "最新スナップショット（" : "latest snapshot (as of") && /2\d{3}/.test(basis), `segment basis reads "${basis}"`);
        // Activity from none to redeeming (the API's order by name put 「付与のみ」 first and 「ポイントなし」 between).
        const activities = await s.page.getByTestId("loyalty-activity-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-activity")));
        assert(JSON.stringify(activities) === JSON.stringify(["no_points", "earned_only", "redeemed"].filter((a) => activities.includes(a))), `activity rows in the order ${activities.join(", ")}`);
        // The stamp rule's sentences: 「… 1 日につき 1 個。5 個で「…」。カードは…」 (it read 「1日につき1 個。… 。 カードは」).
        const rule = (await s.page.getByTestId("loyalty-stamp-rule").innerText()).trim();
        if (lang === "ja") assert(/ 以上の購入で 1 (日|注文)につき 1 個。\d+ 個で「.+」。(カードは最初のスタンプから \d+ 日で失効します。)?$/.test(rule), `stamp rule reads "${rule}"`);
        else assert(/^One stamp per (day|order) of .+ or more; \d+ stamps earn .+\.( A card lapses \d+ days after its first stamp\.)?$/.test(rule), `stamp rule reads "${rule}"`);
        assert((await s.page.getByTestId("loyalty-rule-form").count()) === 0, "an analyst must not see the rules form");
        await s.page.getByTestId("loyalty-by-cell").click();
        await s.page.getByTestId("loyalty-row-r5f5").waitFor();
      });
      await step(`${lang}: the customer page shows the points ledger and stamp cards`, async () => {
        const response = await s.page.request.post(`${BASE}/graphql`, {
          data: { query: "{ customerLoyalty(customerId: 1) { balance entries { id } cards { cardNo } } }" },
        });
        const body = (await response.json()) as { data: { customerLoyalty: { balance: number; entries: unknown[]; cards: unknown[] } } };
        await s.page.goto(`${BASE}/customers/1`);
        await s.page.getByTestId("customer-loyalty").waitFor();
        const line = (await s.page.getByTestId("customer-points-balance").textContent()) ?? "";
        const n = new Intl.NumberFormat(tag).format(body.data.customerLoyalty.balance);
        assert(line.includes(n), `balance line "${line}" does not show ${n}`);
        if (body.data.customerLoyalty.entries.length) await s.page.getByTestId("customer-ledger").waitFor();
        if (body.data.customerLoyalty.cards.length) await s.page.getByTestId("customer-stamp-cards").waitFor();
        // A lapsed card can earn no more stamps: its line gives the date it lapsed, not stamps "to go".
        const toGo = lang === "ja" ? "あと" : "to go";
        for (const line of await s.page.locator('[data-testid="stamp-card"][data-status="expired"] [data-testid="stamp-card-line"]').allInnerTexts()) {
          assert(!line.includes(toGo) && /\d/.test(line), `lapsed card reads "${line}"`);
        }
        for (const line of await s.page.locator('[data-testid="stamp-card"][data-status="open"] [data-testid="stamp-card-line"]').allInnerTexts()) {
          assert(line.includes(toGo), `open card reads "${line}"`);
        }
        assertNoConsoleErrors(s);
      });
      await s.context.close();
    }
    const london = await open(browser, "en", { timezoneId: "Europe/London" });
    london.page.setDefaultTimeout(60_000);
    await step("admin in London picks an effective date: the rule starts at 00:00 of that day in the business zone (Asia/Tokyo)", async () => {
      await login(london, "admin@example.com");
      await london.page.goto(`${BASE}/loyalty`);
      await london.page.getByTestId("loyalty-rule-form").waitFor();
      // Ten days ahead of the business zone's today; nothing is saved (the request is stopped
      // once read), so the suite can run again on the same data.
      const tokyoToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date());
      const day = new Date(Date.parse(`${tokyoToday}T00:00:00Z`) + 10 * 86_400_000).toISOString().slice(0, 10);
      const picker = london.page.getByTestId("loyalty-effective").locator("input");
      await picker.fill(day);
      await picker.press("Enter");
      await london.page.getByTestId("loyalty-rule-form").locator("p.muted").first().click();
      assert((await picker.inputValue()) === day, `picker shows ${await picker.inputValue()}, not ${day}`);
      const sent: { effectiveFrom?: string } = {};
      await london.page.route("**/graphql", async (route) => {
        const body = route.request().postDataJSON() as { operationName?: string; variables?: { input?: { effectiveFrom?: string } } };
        if (body.operationName !== "AddLoyaltyPointRule") return route.continue();
        sent.effectiveFrom = body.variables?.input?.effectiveFrom ?? "";
        return route.abort();
      });
      await london.page.getByTestId("loyalty-rule-save").click();
      for (let i = 0; i < 100 && sent.effectiveFrom === undefined; i++) await london.page.waitForTimeout(100);
      const expected = new Date(Date.parse(`${day}T00:00:00+09:00`)).toISOString();
      assert(sent.effectiveFrom !== undefined && Date.parse(sent.effectiveFrom) === Date.parse(expected), `effectiveFrom sent ${sent.effectiveFrom}, expected ${expected} (${day} 00:00 Asia/Tokyo)`);
    });
    await london.context.close();
    const admin = await open(browser, "en");
    admin.page.setDefaultTimeout(60_000);
    await step("admin adds a points rule version effective later; it is listed and history is untouched", async () => {
      await login(admin, "admin@example.com");
      await admin.page.goto(`${BASE}/loyalty`);
      await admin.page.getByTestId("loyalty-rule-form").waitFor();
      const before = await admin.page.getByTestId("loyalty-point-rules").locator("tbody tr").count();
      await admin.page.getByTestId("loyalty-rule-save").click();
      await admin.page.getByTestId("loyalty-rule-saved").waitFor();
      await admin.page.waitForFunction((n) => document.querySelectorAll("[data-testid=loyalty-point-rules] tbody tr").length === n + 1, before);
      assertNoConsoleErrors(admin);
    });
    await admin.context.close();
  },
};
