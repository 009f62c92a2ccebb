// Daily use without the CLI: sign-in errors, list state in the URL, keyboard-only RF segment,
// glossary tooltips, the dashboard's date range, role pages, and one language per page.
import type { Browser } from "playwright-core";
import { foreignStrings } from "../catalogue.ts";
import { assert, BASE, login, open, step, type Suite } from "../harness.ts";
import { allPages, show } from "../pages-list.ts";

export const daily: Suite = {
  name: "daily",
  async run(browser: Browser): Promise<void> {
    for (const lang of ["en", "ja"] as const) {
      await step(`${lang}: a wrong password says so, not that the session ended`, async () => {
        const s = await open(browser, lang);
        await s.page.goto(`${BASE}/login`);
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.getByLabel(lang === "ja" ? "メールアドレス" : "E-mail").fill("admin@example.com");
        await s.page.getByLabel(lang === "ja" ? "パスワード" : "Password").fill("wrong-password-123");
        await s.page.getByTestId("login-submit").click();
        const text = await s.page.getByTestId("login-error").innerText({ timeout: 10_000 });
        assert(lang === "ja" ? text.includes("メールアドレスまたはパスワードが違います") : text.includes("e-mail address or password is wrong"), `login error was "${text}"`);
        const alert = await s.page.getByTestId("api-error").innerText();
        assert(!/signed out|session has ended|セッションが切れ/.test(alert), `the alert still speaks of a session: "${alert}"`);
        await s.context.close();
      });
    }

    await step("customers: search, page and sort survive opening a customer, Back and reload; rows are real links", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.goto(`${BASE}/customers`);
      await s.page.getByTestId("customer-search").locator("input").fill("田");
      await s.page.getByTestId("customer-apply").click();
      await s.page.waitForURL(/q=%E7%94%B0/);
      await s.page.getByTestId("page-next").click();
      await s.page.waitForURL(/after=/);
      await s.page.getByTestId("page-number").getByText("2").waitFor();
      const firstName = await s.page.getByTestId("customer-link").nth(1).innerText();
      const href = await s.page.getByTestId("customer-link").nth(1).getAttribute("href");
      assert(href?.startsWith("/customers/"), `the name is not a link (href ${href})`);
      const listUrl = s.page.url();
      // Keyboard: the link takes focus and Enter opens the customer.
      await s.page.getByTestId("customer-link").nth(1).focus();
      await s.page.keyboard.press("Enter");
      await s.page.getByTestId("customer-detail").waitFor();
      await s.page.goBack();
      await s.page.getByTestId("customer-row").first().waitFor();
      assert(s.page.url() === listUrl, `Back went to ${s.page.url()}, not ${listUrl}`);
      assert((await s.page.getByTestId("customer-search").locator("input").inputValue()) === "田", "the search box lost its text");
      await s.page.getByTestId("page-number").getByText("2").waitFor();
      await s.page.getByTestId("customer-link").filter({ hasText: firstName }).first().waitFor();
      await s.page.reload();
      await s.page.getByTestId("customer-row").first().waitFor();
      await s.page.getByTestId("page-number").getByText("2").waitFor();
      assert((await s.page.getByTestId("customer-search").locator("input").inputValue()) === "田", "reload lost the search");
      await s.context.close();
    });

    await step("customers: a reversed decile range is explained in Japanese and not sent", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.goto(`${BASE}/customers`);
      await s.page.getByTestId("decile-min").locator("input").fill("8");
      await s.page.getByTestId("decile-max").locator("input").fill("3");
      await s.page.getByTestId("decile-max").locator("input").blur();
      const text = await s.page.getByTestId("range-problem").innerText();
      assert(text.includes("最小値（8）が最大値（3）を上回っています"), `range problem was "${text}"`);
      assert(await s.page.getByTestId("customer-apply").isDisabled(), "Apply stays enabled with a reversed range");
      assert((await s.page.getByTestId("api-error").count()) === 0, "the server was asked anyway");
      // Clear empties the inputs and the problem even though the URL had no filter to remove.
      await s.page.getByTestId("customer-clear").click();
      await s.page.getByTestId("range-problem").waitFor({ state: "detached" });
      assert((await s.page.getByTestId("decile-min").locator("input").inputValue()) === "", "Clear left the decile minimum");
      assert((await s.page.getByTestId("decile-max").locator("input").inputValue()) === "", "Clear left the decile maximum");
      assert(await s.page.getByTestId("customer-apply").isEnabled(), "Apply stays disabled after Clear");
      await s.context.close();
    });

    await step("customers: P(alive) is filtered in percent, as the table shows it; 150 % is refused with a message", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("en");
      await s.page.goto(`${BASE}/customers`);
      const max = s.page.getByTestId("palive-max").locator("input");
      await max.fill("150");
      await max.blur();
      const text = await s.page.getByTestId("range-problem").innerText();
      assert(text.includes("from 0 to 100") && text.includes("150"), `bounds problem was "${text}"`);
      assert((await max.inputValue()) === "150", `the input changed 150 into ${await max.inputValue()}`);
      assert(await s.page.getByTestId("customer-apply").isDisabled(), "Apply stays enabled with 150 %");
      await max.fill("50");
      await max.blur();
      await s.page.getByTestId("customer-apply").click();
      await s.page.waitForURL(/pmax=0\.5(&|$)/);
      await s.page.reload();
      await s.page.getByTestId("customer-row").first().waitFor();
      assert((await s.page.getByTestId("palive-max").locator("input").inputValue()) === "50", "the URL's 0.5 shows as 50");
      await s.context.close();
    });

    await step("operator creates an RF segment with the keyboard only", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.goto(`${BASE}/segments`);
      const first = s.page.getByTestId("rf-cell-button-r5-f4");
      await first.waitFor();
      await first.focus();
      await s.page.keyboard.press("Space");
      await s.page.keyboard.press("ArrowRight");
      assert((await s.page.evaluate(() => document.activeElement?.getAttribute("data-testid"))) === "rf-cell-button-r5-f5", "the right arrow does not move to the next RF cell");
      await s.page.keyboard.press("Enter");
      assert((await s.page.getByTestId("rf-cell-button-r5-f4").getAttribute("aria-pressed")) === "true", "Space did not select R5 F4");
      assert((await s.page.getByTestId("rf-cell-button-r5-f5").getAttribute("aria-pressed")) === "true", "Enter did not select R5 F5");
      const visited: string[] = [];
      for (let i = 0; i < 12; i++) {
        const at = await s.page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid") ?? document.activeElement?.tagName ?? "");
        visited.push(at);
        if (at === "open-create-segment") break;
        await s.page.keyboard.press("Tab");
      }
      assert(visited.at(-1) === "open-create-segment", `Tab does not reach Create segment (went ${visited.join(" → ")})`);
      await s.page.keyboard.press("Enter");
      await s.page.getByTestId("create-segment-dialog").waitFor();
      const name = `Keyboard R5 F4-5 ${Date.now()}`;
      for (let i = 0; i < 10; i++) {
        if (await s.page.getByTestId("segment-name").locator("input").evaluate((el) => el === document.activeElement)) break;
        await s.page.keyboard.press("Tab");
      }
      await s.page.keyboard.type(name);
      for (let i = 0; i < 10; i++) {
        if ((await s.page.evaluate(() => document.activeElement?.closest("[data-testid]")?.getAttribute("data-testid"))) === "submit-segment") break;
        await s.page.keyboard.press("Tab");
      }
      await s.page.keyboard.press("Enter");
      await s.page.getByTestId("segment-list").getByText(name).waitFor({ timeout: 15_000 });
      await s.context.close();
    });

    await step("ja: glossary tooltips open on keyboard focus and lead to the glossary", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.getByTestId("kpi-cards").waitFor();
      await s.page.getByTestId("term-help-churnRate").focus();
      const tip = s.page.getByTestId("term-tip-churnRate");
      await tip.waitFor();
      const text = await tip.innerText();
      assert(text.includes("離反率") && text.includes("今期間は購入しなかった"), `tooltip was "${text}"`);
      await s.page.keyboard.press("Escape");
      await tip.waitFor({ state: "hidden" });
      await s.page.getByTestId("term-help-churnRate").hover();
      await tip.getByRole("link").click();
      await s.page.waitForURL(/\/glossary#churnRate$/);
      await s.page.getByTestId("glossary-churnRate").getByText("1 − 継続率").waitFor();
      await s.context.close();
    });

    await step("ja: rate KPIs change in points against the month before; retention and churn by the same amount", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.getByTestId("kpi-cards").waitFor();
      const change = async (key: string) => (await s.page.getByTestId(`kpi-${key}`).getByTestId("kpi-change").innerText()).trim();
      const retention = await change("retentionRate");
      const churn = await change("churnRate");
      for (const line of [retention, churn, await change("repeatRate")]) assert(/^[▲▼■] \d+\.\d ポイント 前月差$/.test(line), `rate change reads "${line}"`);
      // Churn is 1 − retention: in points their changes are the same size, in opposite directions.
      assert(retention.slice(2) === churn.slice(2) && (retention[0] !== churn[0] || retention[0] === "■"), `retention "${retention}" and churn "${churn}" disagree`);
      const customers = await change("customers");
      assert(/^[▲▼■] \d+\.\d% 前月比$/.test(customers), `customer count change reads "${customers}"`);
      await s.context.close();
    });

    await step("dashboard: the date range changes the KPIs and stays in the URL through reload and Back", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("kpi-trends").waitFor();
      const before = await s.page.getByTestId("kpi-trends").innerText();
      assert(/12 full months/.test(before), `default trend note: ${before.split("\n")[1]}`);
      await s.page.getByTestId("cohort-row").first().waitFor();
      const cohorts12 = await s.page.getByTestId("cohort-row").count();
      await s.page.getByTestId("range-6").click();
      await s.page.waitForURL(/from=\d{4}-\d{2}&to=\d{4}-\d{2}/);
      await s.page.getByTestId("kpi-trends").getByText(/6 full months/).waitFor();
      // Fewer rows, and not none: the table is empty for a moment while the new range loads (counted then, it read 0).
      await s.page.waitForFunction(
        (n) => {
          const rows = document.querySelectorAll("[data-testid='cohort-row']").length;
          return rows > 0 && rows < n;
        },
        cohorts12,
        { timeout: 10_000 },
      );
      assert((await s.page.getByTestId("range-6").getAttribute("aria-pressed")) === "true", "the 6-month preset is not marked as chosen");
      const cohorts6 = await s.page.getByTestId("cohort-row").count();
      await s.page.reload();
      await s.page.getByTestId("kpi-trends").getByText(/6 full months/).waitFor();
      // The KPI trends and the cohort table load by separate queries: wait for the table before counting its rows.
      await s.page.getByTestId("cohort-row").first().waitFor();
      await s.page
        .waitForFunction((n) => document.querySelectorAll("[data-testid='cohort-row']").length === n, cohorts6, { timeout: 10_000 })
        .catch(() => undefined);
      const afterReload = await s.page.getByTestId("cohort-row").count();
      assert(afterReload === cohorts6, `reload changed the cohorts shown (${cohorts6} before, ${afterReload} after)`);
      await s.page.goBack();
      await s.page.getByTestId("kpi-trends").getByText(/12 full months/).waitFor();
      await s.page
        .waitForFunction((n) => document.querySelectorAll("[data-testid='cohort-row']").length > n, cohorts6, { timeout: 10_000 })
        .catch(() => undefined);
      assert((await s.page.getByTestId("cohort-row").count()) > cohorts6, "the 12-month range does not show more cohorts than 6 months");
      await s.context.close();
    });

    await step("ja: the CLV page offers the other model's snapshot to those who can compute one, and tells a reviewer who can", async () => {
      const r = await open(browser, "ja");
      await login(r, "reviewer@example.com");
      await r.page.goto(`${BASE}/clv`);
      await r.page.getByTestId("clv-model").waitFor();
      assert((await r.page.getByTestId("clv-snapshot").count()) === 0, "a reviewer is shown the compute card");
      const driving = await r.page.getByTestId("clv-driving-model").innerText();
      if (driving === "BG/NBD") {
        const note = await r.page.getByTestId("clv-fit-error-pareto").innerText();
        assert(note.includes("管理者とオペレーターが作成できます") && !note.includes("下で"), `the reviewer's not-fitted note: "${note}"`);
      } else {
        await r.page.getByTestId("clv-compare-verdict").waitFor();
      }
      assert((await r.page.getByTestId("clv-holdout-model").innerText()).includes(driving), "the holdout card does not name the model it checks");
      await r.context.close();
      const a = await open(browser, "ja");
      await login(a, "admin@example.com");
      await a.page.goto(`${BASE}/clv`);
      await a.page.getByTestId("clv-snapshot").waitFor();
      const other = driving === "BG/NBD" ? "snapshot-model-pareto" : "snapshot-model-bg";
      assert(await a.page.getByTestId(other).locator("input").isChecked(), `the card does not offer the other model (${other})`);
      await a.context.close();
    });

    await step("roles: an operator opening /settings is told it is not allowed; a reviewer sees one current nav item and the review count", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.goto(`${BASE}/settings`);
      await s.page.getByTestId("not-allowed").getByText("not available to your role").waitFor();
      await s.context.close();
      const r = await open(browser, "ja");
      await login(r, "reviewer@example.com");
      await r.page.getByTestId("nav-review").click();
      await r.page.waitForURL(/status=CHECKED/);
      const current = await r.page.locator("[data-testid^='nav-'][aria-current='page']").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
      assert(JSON.stringify(current) === JSON.stringify(["nav-review"]), `current nav items: ${current.join(",")}`);
      // The badge shows the queue's size (other suites may have emptied the queue: then there is no badge).
      const waiting = await r.page.evaluate(async () => {
        const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ campaigns(first: 1, filter: { statuses: [CHECKED] }) { totalCount } }" }) });
        return ((await res.json()) as { data: { campaigns: { totalCount: number } } }).data.campaigns.totalCount;
      });
      if (waiting > 0) {
        const badge = await r.page.getByTestId("notice-review").innerText();
        assert(badge.includes(String(waiting)), `the review badge says "${badge}", the queue holds ${waiting}`);
      } else {
        assert((await r.page.getByTestId("notice-review").count()) === 0, "a badge is shown for an empty review queue");
      }
      await r.context.close();
    });

    await step("account: a wrong current password is refused in the page's language", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.goto(`${BASE}/account`);
      await s.page.getByLabel("現在のパスワード").fill("not-my-password");
      await s.page.getByLabel("新しいパスワード", { exact: true }).fill("a-brand-new-password");
      await s.page.getByLabel("新しいパスワード（確認）").fill("a-brand-new-password");
      await s.page.getByTestId("pw-submit").click();
      await s.page.getByText("現在のパスワードが違います。").waitFor();
      await s.context.close();
    });

    for (const lang of ["ja", "en"] as const) {
      await step(`${lang}: no page shows a display string of the other language`, async () => {
        const s = await open(browser, lang);
        await login(s, "admin@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        const foreign = foreignStrings(lang);
        // Text people typed (campaign names, offers, hypotheses, review rationales, custom segments, loyalty programmes) is data, not catalogue strings: set it aside.
        const data = await s.page.evaluate(async () => {
          const res = await fetch("/graphql", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              query:
                "{ campaigns(first: 100) { nodes { name offer hypothesis decisionRationale } } segments(first: 100) { nodes { name kind } } " +
                "loyaltySettings { pointsProgramme { name } stampProgramme { name } stampRules { rewardLabel } } }",
            }),
          });
          const body = (await res.json()) as {
            data: {
              campaigns: { nodes: { name: string; offer: string; hypothesis: string; decisionRationale: string | null }[] };
              segments: { nodes: { name: string; kind: string }[] };
              loyaltySettings: { pointsProgramme: { name: string } | null; stampProgramme: { name: string } | null; stampRules: { rewardLabel: string }[] };
            };
          };
          const loyalty = body.data.loyaltySettings;
          return [
            ...body.data.campaigns.nodes.flatMap((c) => [c.name, c.offer, c.hypothesis, c.decisionRationale ?? ""]),
            ...body.data.segments.nodes.filter((x) => x.kind !== "RFM").map((x) => x.name),
            // Loyalty programme names and reward labels are the shop's own words.
            ...[loyalty.pointsProgramme?.name, loyalty.stampProgramme?.name, ...loyalty.stampRules.map((r) => r.rewardLabel)].filter((x): x is string => !!x),
          ];
        });
        const found: string[] = [];
        for (const spec of await allPages(s.page)) {
          await show(s.page, spec);
          let text = await s.page.locator("body").innerText();
          for (const d of data.sort((a, b) => b.length - a.length)) if (d) text = text.split(d).join(" ");
          for (const f of foreign) if (text.includes(f)) found.push(`${spec.name}: ${f}`);
        }
        assert(found.length === 0, `foreign strings: ${found.slice(0, 8).join(" | ")}`);
        await s.context.close();
      });
    }
  },
};
