// Messages load per screen (src/i18n/namespaces.ts): a deep page opened by its URL fetches the
// shell's and its own message files of its language before it shows, a page entered later its
// own, and a language switch the new language's files of the screens visited. On each screen: no
// raw message key in the text or labels, and no lookup of a message that had not arrived (the
// app warns "[i18n] …", which the harness counts as a console error).
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { foreignStrings, messageKeys } from "../catalogue.ts";
import { assert, BASE, login, open, SHOTS, step, type Suite } from "../harness.ts";

/** Records the message files (messages-<lang>-<namespace>-<hash>.js) the page downloads, from now on. */
function recordMessages(page: Page): string[] {
  const files: string[] = [];
  page.on("response", (response) => {
    const match = /\/assets\/messages-(\w+)-([\w-]+)-[\w-]{8}\.js$/.exec(new URL(response.url()).pathname);
    if (match) files.push(`${match[1]}/${match[2]}`);
  });
  return files;
}

/** Raw message keys on screen: in the text, the labels, the tab's title. */
async function rawKeys(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const labels = [...document.querySelectorAll("[title], [aria-label], [placeholder], [data-page-title]")].flatMap((el) =>
      ["title", "aria-label", "placeholder", "data-page-title"].map((a) => el.getAttribute(a) ?? ""),
    );
    return [document.title, document.body.innerText, ...labels].join("\n");
  });
  return messageKeys().filter((key) => new RegExp(`(?<![\\w.@/-])${key.replace(/\./g, "\\.")}(?![\\w-]|\\.\\w)`).test(text));
}

/** Fails when a raw message key is on screen (`where` names the screen in the message). */
async function assertNoRawKeys(page: Page, where = "on screen"): Promise<void> {
  const raw = await rawKeys(page);
  assert(raw.length === 0, `raw message keys ${where}: ${raw.join(", ")}`);
}

async function shown(page: Page, lang: "ja" | "en"): Promise<void> {
  await page.getByTestId("nav-dashboard").getByText(lang === "ja" ? "ダッシュボード" : "Dashboard").waitFor();
}

export const messages: Suite = {
  name: "messages",
  async run(browser: Browser): Promise<void> {
    // An acted campaign's id, and a session in Japanese.
    const signIn = await open(browser, "ja");
    await login(signIn, "admin@example.com");
    await signIn.page.getByTestId("language").selectOption("ja");
    await signIn.page.goto(`${BASE}/campaigns`);
    const card = signIn.page.getByTestId("column-ACTED").getByTestId("campaign-card").first();
    await card.waitFor({ timeout: 15_000 });
    await card.click();
    await signIn.page.getByTestId("campaign-detail").waitFor({ timeout: 15_000 });
    const id = await signIn.page.getByTestId("campaign-detail").getAttribute("data-campaign-id");
    const state = await signIn.context.storageState();
    await signIn.context.close();

    // The session's console errors and "[i18n]" warnings (a message looked up before it arrived) are the problems.
    const { context, page, consoleErrors: problems } = await open(browser, "ja", { storageState: state });
    page.setDefaultTimeout(15_000);
    const fetched = recordMessages(page);
    const CAMPAIGN = ["campaign-delivery", "campaign-detail", "campaign-loyalty", "campaign-trust", "api-errors"];

    await step("ja: a campaign page opened by its URL fetches its message files first, and shows no raw key", async () => {
      assert(id, "no ACTED campaign on the board: run on the seeded demo database");
      await page.goto(`${BASE}/campaigns/${id}`);
      await page.getByTestId("campaign-detail").waitFor();
      await page.getByTestId("campaign-event").first().waitFor();
      await page.waitForLoadState("networkidle");
      for (const n of ["core", ...CAMPAIGN]) assert(fetched.includes(`ja/${n}`), `ja/${n} not fetched: ${fetched.join(", ")}`);
      assert(!fetched.some((f) => f.startsWith("en/")), `English messages fetched on a Japanese visit: ${fetched.join(", ")}`);
      // import-problems words a refused file's lines: it comes when an error alert shows one (imports-views checks that).
      for (const n of ["loyalty", "segments", "settings", "imports", "explorer", "daily", "import-problems"]) assert(!fetched.includes(`ja/${n}`), `ja/${n} fetched though the page does not use it`);
      await page.screenshot({ path: join(SHOTS, "messages-campaign-ja.png"), fullPage: true });
      await assertNoRawKeys(page);
      assert(problems.length === 0, `console: ${problems.join(" | ")}`);
    });

    await step("ja → en on the campaign page: the English files of the page arrive before it switches", async () => {
      const before = fetched.length;
      await page.getByTestId("language").selectOption("en");
      await shown(page, "en");
      await page.waitForLoadState("networkidle");
      const now = fetched.slice(before);
      for (const n of ["core", ...CAMPAIGN]) assert(now.includes(`en/${n}`), `en/${n} not fetched on switching: ${now.join(", ")}`);
      await page.screenshot({ path: join(SHOTS, "messages-campaign-en.png"), fullPage: true });
      await assertNoRawKeys(page);
      // Text people typed (the campaigns' names, hypotheses, offers, rationales; the loyalty programmes' names) is data: set it aside.
      const data = await page.evaluate(async () => {
        const query = "{ campaigns(first: 100) { nodes { name offer hypothesis decisionRationale } } loyaltySettings { pointsProgramme { name } stampProgramme { name } } }";
        const res = await fetch("/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
        const body = (await res.json()) as {
          data: { campaigns: { nodes: Record<string, string | null>[] }; loyaltySettings: { pointsProgramme: { name: string } | null; stampProgramme: { name: string } | null } };
        };
        const loyalty = body.data.loyaltySettings;
        return [...body.data.campaigns.nodes.flatMap((c) => Object.values(c)), loyalty.pointsProgramme?.name, loyalty.stampProgramme?.name].filter((x): x is string => !!x);
      });
      const text = data.sort((a, b) => b.length - a.length).reduce((t, d) => t.split(d).join(" "), await page.getByTestId("campaign-detail").innerText());
      const japanese = foreignStrings("en").filter((f) => text.includes(f));
      assert(japanese.length === 0, `Japanese messages left after switching: ${japanese.slice(0, 5).join(" | ")}`);
      assert(problems.length === 0, `console: ${problems.join(" | ")}`);
    });

    await step("en: a page entered from the navigation fetches its own files (loyalty), then shows", async () => {
      const before = fetched.length;
      await page.getByTestId("nav-loyalty").click();
      await page.getByTestId("loyalty").waitFor({ timeout: 60_000 });
      const now = fetched.slice(before);
      assert(now.includes("en/loyalty"), `en/loyalty not fetched: ${now.join(", ")}`);
      assert(!now.some((f) => f.startsWith("ja/")), `Japanese messages fetched on an English page: ${now.join(", ")}`);
      await assertNoRawKeys(page);
      assert(problems.length === 0, `console: ${problems.join(" | ")}`);
    });

    await step("en → ja on the loyalty page, then Back to the campaign: every screen in Japanese, no raw key", async () => {
      const before = fetched.length;
      await page.getByTestId("language").selectOption("ja");
      await shown(page, "ja");
      await page.waitForLoadState("networkidle");
      assert(fetched.slice(before).includes("ja/loyalty"), `ja/loyalty not fetched on switching: ${fetched.slice(before).join(", ")}`);
      await assertNoRawKeys(page, "on the loyalty page");
      await page.goBack();
      await page.getByTestId("campaign-event").first().waitFor();
      await page.waitForLoadState("networkidle");
      await assertNoRawKeys(page, "on the campaign page");
      assert(problems.length === 0, `console: ${problems.join(" | ")}`);
    });
    await context.close();

    await step("a language whose files cannot be downloaded: one reload (a newer build may have replaced them), then the select goes back and the page, still Japanese, says why", async () => {
      const { context: offline, page: tab } = await open(browser, "ja", { storageState: state });
      tab.setDefaultTimeout(15_000);
      await tab.route(/\/assets\/messages-en-/, (route) => route.abort("internetdisconnected"));
      await tab.goto(`${BASE}/campaigns/${id}`);
      await tab.getByTestId("campaign-detail").waitFor();
      await tab.getByTestId("language").selectOption("en");
      // A chunk that fails to download reloads the page once (stale-build.ts): after a deploy the
      // new build has other file names. The next failure is reported.
      const first = await Promise.race([
        tab.waitForEvent("framenavigated").then(() => "reloaded"),
        tab.getByTestId("language-failed").waitFor().then(() => "notice"),
      ]);
      if (first === "reloaded") {
        await tab.getByTestId("campaign-detail").waitFor();
        await shown(tab, "ja");
        await tab.getByTestId("language").selectOption("en");
      }
      await tab.getByTestId("language-failed").waitFor();
      const alert = await tab.getByTestId("language-failed").innerText();
      assert(alert.includes("言語を切り替えられませんでした"), `the notice is not in the language shown: ${alert}`);
      assert((await tab.getByTestId("language").inputValue()) === "ja", "the select shows English though the page is still Japanese");
      await shown(tab, "ja");
      await tab.screenshot({ path: join(SHOTS, "messages-language-failed.png") });
      await offline.close();
    });
  },
};
