import { join } from "node:path";
// The GraphQL explorer (analysts, offline, session cookie) and the admin-only Settings page:
// business settings (a new time zone followed through its background job), API keys shown once
// and revoked, users created and deactivated.
import type { Browser, Page } from "playwright-core";
import { assert, assertNoConsoleErrors, BASE, login, open, PASSWORD, screenshot, SHOTS, step, type Session, type Suite } from "../harness.ts";

/** A GraphQL call from the test process itself, to check what the UI did from the outside. */
async function gql(query: string, variables: Record<string, unknown> = {}, auth: { bearer?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.bearer) headers["authorization"] = `Bearer ${auth.bearer}`;
  const res = await fetch(`${BASE}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
}

/** Records every request that leaves the server's origin, and refuses it: the explorer must work offline. */
async function blockExternal(s: Session): Promise<string[]> {
  const external: string[] = [];
  await s.context.route(
    (url) => !url.href.startsWith(BASE) && !url.protocol.startsWith("data") && !url.protocol.startsWith("blob"),
    async (route) => {
      external.push(route.request().url());
      await route.abort();
    },
  );
  return external;
}

async function waitForExplorer(page: Page): Promise<void> {
  await page.goto(`${BASE}/explorer`);
  await page.locator("[data-testid='graphql-explorer'][data-state='ready']").waitFor({ timeout: 30_000 });
  await page.locator(".graphiql-query-editor .view-lines").first().waitFor({ timeout: 30_000 });
}

/** Text GraphiQL shows in its response pane (Monaco renders only what is on screen, so ask for short results). */
async function responseText(page: Page): Promise<string> {
  return (await page.locator(".graphiql-response .view-lines").first().innerText()).replace(/\u00a0/g, " ");
}

async function runAndRead(page: Page, expected: RegExp): Promise<string> {
  await page.locator(".graphiql-execute-button").click();
  let text = "";
  for (let i = 0; i < 160; i += 1) {
    text = await responseText(page).catch(() => "");
    if (expected.test(text)) return text;
    await page.waitForTimeout(250);
  }
  await page.screenshot({ path: join(SHOTS, "explorer-failure.png") }).catch(() => undefined);
  throw new Error(`response never matched ${expected}: ${text.slice(0, 300)}`);
}

async function messageShown(page: Page, text: string): Promise<void> {
  await page.locator(".n-message").filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}

export const explorerSettings: Suite = {
  name: "explorer-settings",
  async run(browser: Browser): Promise<void> {
    await step("analyst runs queries in the bundled explorer, offline, with the session cookie", async () => {
      const s = await open(browser, "en");
      const external = await blockExternal(s);
      await login(s, "analyst@example.com");
      await waitForExplorer(s.page);
      // The first starter tab asks who is signed in.
      const me = await runAndRead(s.page, /"email": "analyst@example\.com"/);
      assert(/"role": "ANALYST"/.test(me), `role missing from ${me.slice(0, 200)}`);
      assert(/"authenticatedVia": "session"/.test(me), "the explorer did not use the session");

      // A typed query: select the editor's text and replace it.
      await s.page.locator(".graphiql-query-editor .view-lines").first().click();
      await s.page.keyboard.press("Control+A");
      await s.page.keyboard.press("Delete");
      await s.page.keyboard.insertText("{ me { email role } }");
      await s.page.waitForTimeout(500);
      const typed = await runAndRead(s.page, /"role": "ANALYST"/);
      assert(!/authenticatedVia/.test(typed), "the typed query did not run");

      // An example from the Examples panel opens in a new tab and pages through customers.
      await s.page.getByRole("button", { name: "Examples" }).click();
      await s.page.getByTestId("explorer-example-atRisk").click();
      await s.page.locator(".graphiql-tab").nth(3).waitFor();
      await runAndRead(s.page, /"totalCount": \d+/);

      // Schema docs come from introspection.
      await s.page.getByRole("button", { name: /Show Documentation Explorer/i }).click();
      await s.page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }).first().waitFor({ timeout: 10_000 });
      assert(external.length === 0, `requests left the server: ${external.join(", ")}`);
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    for (const lang of ["en", "ja"] as const) {
      await step(`${lang}: explorer screenshot`, async () => {
        const s = await open(browser, lang);
        await login(s, "analyst@example.com");
        await waitForExplorer(s.page);
        await runAndRead(s.page, /"email": "analyst@example\.com"/);
        await screenshot(s, `explorer-${lang}`);
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    await step("admin changes the default margin, sees it after a reload, and sets it back", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.goto(`${BASE}/settings`);
      const margin = s.page.getByTestId("settings-margin").locator("input");
      await margin.waitFor();
      const original = await margin.inputValue();
      const changed = Number(original) === 35 ? "40" : "35";
      await margin.fill(changed);
      await s.page.getByTestId("business-dirty").waitFor();
      await s.page.getByTestId("save-business").click();
      await messageShown(s.page, "Settings saved");
      await s.page.reload();
      await margin.waitFor();
      assert((await margin.inputValue()) === changed, `after reload the margin is ${await margin.inputValue()}, expected ${changed}`);
      await margin.fill(original);
      await s.page.getByTestId("save-business").click();
      await messageShown(s.page, "Settings saved");
      await s.page.reload();
      await margin.waitFor();
      assert((await margin.inputValue()) === original, `margin not restored: ${await margin.inputValue()}`);
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("admin changes the time zone: the form follows the background recount until the new zone is in force, the job history lists it, and it is set back", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.goto(`${BASE}/settings`);
      /** The settings as the page's session reads them. */
      const settingsNow = () =>
        s.page.evaluate(async () => {
          const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ settings { timeZone timeZoneChange { to status errorCode } } }" }) });
          return ((await res.json()) as { data: { settings: { timeZone: string; timeZoneChange: { to: string; status: string; errorCode: string | null } | null } } }).data.settings;
        });
      const field = s.page.getByTestId("settings-time-zone");
      await field.waitFor();
      const original = (await settingsNow()).timeZone;
      const change = async (target: string) => {
        await field.click();
        await field.locator("input").fill(target.slice(0, -2));
        await s.page.locator(".n-base-select-option").filter({ hasText: `${target} (` }).first().click();
        await s.page.getByTestId("save-business").click();
        await messageShown(s.page, "The new time zone is applied in the background");
        // The recount runs in a job: the page polls it and says when the new zone is in force.
        await s.page.locator(".n-message").filter({ hasText: `The time zone is now ${target}` }).first().waitFor({ timeout: 120_000 });
        const after = await settingsNow();
        assert(after.timeZone === target && after.timeZoneChange?.status === "SUCCEEDED", `after the change: ${JSON.stringify(after)}`);
        assert((await s.page.getByTestId("time-zone-change-pending").count()) === 0, "the pending notice is still shown");
        assert(!(await field.locator("input").isDisabled()), "the time-zone field is still disabled");
      };
      await change(original === "America/New_York" ? "Asia/Tokyo" : "America/New_York");
      await s.page.getByTestId("job-history").locator("td").filter({ hasText: /^Time-zone change$/ }).first().waitFor();
      await change(original);
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    for (const lang of ["en", "ja"] as const) {
      await step(`${lang}: admin schedules the nightly snapshot, sees the next run and the job history, and turns it off again`, async () => {
        const words = lang === "en" ? { saved: "Schedule saved", next: "Next run:", off: "The nightly snapshot is off", snapshot: "Snapshot" } : { saved: "スケジュールを保存しました", next: "次回の実行:", off: "毎晩のスナップショットはオフです", snapshot: "スナップショット" };
        const s = await open(browser, lang);
        await login(s, "admin@example.com");
        await s.page.goto(`${BASE}/settings`);
        const panel = s.page.getByTestId("jobs-panel");
        await panel.waitFor();
        // The seed computed a snapshot: the history lists it.
        await s.page.getByTestId("job-history").locator("td").filter({ hasText: new RegExp(`^${words.snapshot} #\\d+$`) }).first().waitFor();
        const time = s.page.getByTestId("nightly-time").locator("input");
        await s.page.getByTestId("nightly-enabled").click();
        await time.fill("04:15");
        await time.press("Enter");
        await s.page.getByTestId("save-nightly").click();
        await messageShown(s.page, words.saved);
        await s.page.getByTestId("nightly-next").getByText(words.next).waitFor();
        await s.page.reload();
        await time.waitFor();
        assert((await time.inputValue()) === "04:15", `after reload the time is ${await time.inputValue()}, expected 04:15`);
        await screenshot(s, `settings-jobs-${lang}`);
        await s.page.getByTestId("nightly-enabled").click();
        await s.page.getByTestId("save-nightly").click();
        await messageShown(s.page, words.saved);
        await s.page.getByTestId("nightly-next").getByText(words.off).waitFor();
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    await step("admin sees a threshold mistake before saving", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.goto(`${BASE}/settings`);
      const second = s.page.getByTestId("threshold-recencyDays-1").locator("input");
      await second.waitFor();
      const before = await second.inputValue();
      // Money thresholds carry the currency's sign before the number, counts their unit after it.
      const money = s.page.getByTestId("threshold-monetary-0");
      assert((await money.innerText()).includes("¥") && !(await money.innerText()).includes("JPY"), "the M threshold does not show the currency's sign");
      assert((await s.page.getByTestId("threshold-recencyDays-0").innerText()).includes("days"), "the R threshold lost its unit");
      await second.fill("10");
      await second.blur();
      await s.page.getByTestId("thresholds-recencyDays").getByText("Must be greater than the previous cut point").waitFor();
      await s.page.getByTestId("reset-rfm").click();
      assert((await second.inputValue()) === before, "discarding did not restore the threshold");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("admin creates an API key, sees the secret once, uses it, and revokes it", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.goto(`${BASE}/settings`);
      const name = `e2e key ${Date.now()}`;
      await s.page.getByTestId("api-key-name").locator("input").fill(name);
      await s.page.getByTestId("create-api-key").click();
      const secret = await s.page.getByTestId("api-key-secret").locator("input").inputValue();
      assert(/^ltv_[\w-]{20,}$/.test(secret), `unexpected secret ${secret}`);
      const works = await gql("{ me { email } }", {}, { bearer: secret });
      assert((works.data?.["me"] as { email?: string } | undefined)?.email === "admin@example.com", `key did not work: ${JSON.stringify(works)}`);
      await s.page.getByTestId("dismiss-api-key").click();
      assert((await s.page.getByTestId("api-key-secret").count()) === 0, "the secret is still on the page");
      await s.page.reload();
      const row = s.page.locator(`[data-key-name="${name}"]`);
      await row.waitFor();
      assert(!(await s.page.content()).includes(secret), "the secret is shown again after a reload");
      await row.getByRole("button", { name: "Revoke" }).click();
      await s.page.getByTestId("confirm-revoke-api-key").click();
      await row.getByTestId("api-key-status").filter({ hasText: "Revoked" }).waitFor();
      const refused = await gql("{ me { email } }", {}, { bearer: secret });
      assert(refused.errors?.[0]?.extensions?.code === "UNAUTHENTICATED", `revoked key still works: ${JSON.stringify(refused)}`);
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("admin adds a user who can sign in, then deactivates them and they cannot", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.goto(`${BASE}/settings`);
      const email = `e2e-${Date.now()}@example.com`;
      await s.page.getByTestId("open-create-user").click();
      await s.page.getByTestId("new-user-name").locator("input").fill("E2E Analyst");
      await s.page.getByTestId("new-user-email").locator("input").fill(email);
      await s.page.getByTestId("new-user-role").click();
      await s.page.locator(".n-base-select-option").filter({ hasText: "Analyst" }).click();
      await s.page.getByTestId("generate-password").click();
      const password = await s.page.getByTestId("new-user-password").locator("input").inputValue();
      assert(password.length >= 10 && password !== PASSWORD, `generated password ${password}`);
      await s.page.getByTestId("submit-create-user").click();
      const row = s.page.locator(`[data-email="${email}"]`);
      await row.waitFor();
      const login1 = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { me { role } } }`, { e: email, p: password });
      assert(JSON.stringify(login1.data) === JSON.stringify({ login: { me: { role: "ANALYST" } } }), `new user cannot sign in: ${JSON.stringify(login1)}`);
      await row.getByRole("button", { name: "Deactivate" }).click();
      await s.page.getByTestId("confirm-deactivate-user").click();
      await row.getByTestId("user-status").filter({ hasText: "Deactivated" }).waitFor();
      await row.getByRole("button", { name: "Reactivate" }).waitFor();
      const login2 = await gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { me { role } } }`, { e: email, p: password });
      assert(login2.errors?.[0]?.extensions?.code === "UNAUTHENTICATED", `deactivated user signed in: ${JSON.stringify(login2)}`);
      // Admins cannot deactivate themselves: their own row offers no such button.
      const self = s.page.locator(`[data-email="admin@example.com"]`);
      assert((await self.getByRole("button", { name: "Deactivate" }).count()) === 0, "the admin's own row offers deactivation");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("a non-admin opening /settings is told plainly that the page is not for their role", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.goto(`${BASE}/settings`);
      await s.page.getByTestId("not-allowed").waitFor({ timeout: 10_000 });
      assert((await s.page.getByTestId("settings").count()) === 0, "the settings page rendered for an operator");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    for (const lang of ["en", "ja"] as const) {
      await step(`${lang}: settings screenshot`, async () => {
        const s = await open(browser, lang);
        await login(s, "admin@example.com");
        await s.page.goto(`${BASE}/settings`);
        await s.page.getByTestId("user-list").waitFor();
        await s.page.getByTestId("rf-segment-map").waitFor();
        await screenshot(s, `settings-after-changes-${lang}`);
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }
  },
};
