// Daily data work in the browser: CSV import through the UI (a good file is checked, then
// imported and listed in the history; a file with bad rows shows line-numbered problems and
// writes nothing), saved views of the customer list and campaign board, the RF segment map
// edited by an admin, and the customer list's filtered export.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { foreignStrings } from "../catalogue.ts";
import { assert, assertNoConsoleErrors, BASE, login, open, SHOTS, step, type Suite } from "../harness.ts";

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
/** Three English words in a row: an English sentence (the API's problem messages are English). */
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/;

/**
 * Problem lines of a rejected file shown in one language: in Japanese, Japanese with no English
 * sentence and no English display string of the catalogue; in English, no Japanese.
 */
function assertProblemsInLanguage(lang: "ja" | "en", lines: string[], where: string): void {
  assert(lines.length > 0, `${where}: no problem lines`);
  const foreign = foreignStrings(lang);
  for (const line of lines) {
    if (lang === "ja") {
      assert(JAPANESE.test(line), `${where}: "${line}" is not Japanese`);
      assert(!ENGLISH_SENTENCE.test(line.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, " ")), `${where}: "${line}" carries an English sentence`);
    } else {
      assert(!JAPANESE.test(line), `${where}: "${line}" has Japanese on the English page`);
    }
    const leak = foreign.find((s) => line.includes(s));
    assert(!leak, `${where}: "${line}" shows the other language's "${leak}"`);
  }
}

async function gql<T>(page: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return page.evaluate(
    async ({ base, query, variables }) => {
      const res = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data: unknown; errors?: { message: string }[] };
      if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
      return body.data;
    },
    { base: BASE, query, variables },
  ) as Promise<T>;
}

const countMatching = async (page: Page, search: string) =>
  (await gql<{ customers: { totalCount: number } }>(page, "query($s: String!) { customers(first: 1, filter: { search: $s }) { totalCount } }", { s: search })).customers.totalCount;

async function chooseFile(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId("import-file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
}

async function shoot(page: Page, name: string): Promise<void> {
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
    assert(width <= size.width, `${name} is ${width}px wide at ${size.width}px`);
  }
  await page.setViewportSize({ width: 1400, height: 1000 });
}

export const importsViews: Suite = {
  name: "imports",
  async run(browser: Browser): Promise<void> {
    const stamp = Date.now().toString(36);
    for (const lang of ["ja", "en"] as const) {
      const tag = `e2e${lang}${stamp}`;
      await step(`${lang}: operator checks a good customers file (nothing written), imports it, and sees it in the history`, async () => {
        const s = await open(browser, lang);
        s.page.setDefaultTimeout(30_000);
        await login(s, "operator@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.getByTestId("nav-imports").click();
        await s.page.getByTestId("import-history").waitFor();
        await s.page.getByTestId("import-kind-customers").click();
        const file = `customers-${tag}.csv`;
        await chooseFile(s.page, file, `external_id,name,prefecture\n${tag}-1,取込 太郎,東京都\n${tag}-2,取込 花子,大阪府\n${tag}-3,Import Test,\n`);
        assert(await s.page.getByTestId("import-commit").isDisabled(), "Import is enabled before the file was checked");
        await s.page.getByTestId("import-preview").click();
        const preview = s.page.locator("[data-testid='import-result'][data-mode='preview']");
        await preview.waitFor();
        const text = await preview.innerText();
        assert(lang === "ja" ? text.includes("3 行を確認しました") && text.includes("追加 3 件") : text.includes("3 rows checked") && text.includes("add 3"), `preview said "${text}"`);
        assert((await countMatching(s.page, tag)) === 0, "the check wrote customers");
        await shoot(s.page, `imports-preview-${lang}`);
        await s.page.getByTestId("import-commit").click();
        const done = s.page.locator("[data-testid='import-result'][data-mode='commit']");
        await done.waitFor();
        assert((await countMatching(s.page, tag)) === 3, "the import did not write the 3 customers");
        await s.page.getByTestId("import-run").first().getByText(file).waitFor();

        // Orders of those customers, then the history lists both files, newest first.
        await s.page.getByTestId("import-kind-orders").click();
        const orders = `orders-${tag}.csv`;
        await chooseFile(s.page, orders, `external_id,customer_external_id,ordered_at,amount\n${tag}-o1,${tag}-1,2026-01-05,3200\n${tag}-o2,${tag}-2,2026-02-10 14:05,12800\n`);
        await s.page.getByTestId("import-preview").click();
        await preview.waitFor();
        await s.page.getByTestId("import-commit").click();
        await done.waitFor();
        await s.page.getByTestId("import-run").first().getByText(orders).waitFor();
        assert((await s.page.getByTestId("import-run").nth(1).innerText()).includes(file), "the customers import is not second in the history");
        assertNoConsoleErrors(s);
        await s.context.close();
      });

      await step(`${lang}: a file with bad rows lists its problems by line and writes nothing`, async () => {
        const s = await open(browser, lang);
        s.page.setDefaultTimeout(30_000);
        await login(s, "admin@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.goto(`${BASE}/imports`);
        await s.page.getByTestId("import-history").waitFor();
        // The history has this language's imports of the step before: count once they are listed.
        await s.page.getByTestId("import-run").first().waitFor();
        const before = await s.page.getByTestId("import-run").count();
        const bad = `bad${tag}`;
        await chooseFile(s.page, `bad-${tag}.csv`, `external_id,name,email,birth_year\n${bad}-1,ok,,\n${bad}-2,bad mail,not-an-email,\n${bad}-3,ok,,\n${bad}-4,old,,1700\n`);
        for (const mode of ["preview"] as const) {
          await s.page.getByTestId(`import-${mode}`).click();
          const error = s.page.getByTestId("import-error");
          await error.waitFor();
          const title = await error.innerText();
          assert(lang === "ja" ? title.includes("2 件の問題") && title.includes("何も取り込んでいません") : title.includes("2 problems") && title.includes("Nothing was imported"), `error said "${title}"`);
          const rows = await s.page.getByTestId("import-problem").allInnerTexts();
          assert(rows.length === 2 && /^3\s+email/.test(rows[0] ?? "") && /^5\s+birth_year/.test(rows[1] ?? ""), `problems were ${JSON.stringify(rows)}`);
          const messages = await s.page.getByTestId("import-problem").locator("td.message").allInnerTexts();
          assertProblemsInLanguage(lang, messages, "customers file");
          assert(
            lang === "ja" ? messages[0]?.includes("メールアドレスとして読めません") === true && messages[1]?.includes("範囲外") === true : /Not an email address/.test(messages[0] ?? "") && /out of range/.test(messages[1] ?? ""),
            `problem texts were ${JSON.stringify(messages)}`,
          );
          assert((await s.page.locator("[data-testid='import-error'] [lang='en']").count()) === 0, "the problems are still marked as English text");
        }
        // An orders file with a bad date, a negative amount, an unknown customer and a duplicate id.
        await s.page.getByTestId("import-kind-orders").click();
        await chooseFile(
          s.page,
          `bad-orders-${tag}.csv`,
          `external_id,customer_external_id,ordered_at,amount\n${bad}-o1,${bad}-nobody,31/01/2026,100\n${bad}-o2,${bad}-nobody,2026-01-31,-5\n${bad}-o2,${bad}-nobody,2026-02-01,5\n`,
        );
        await s.page.getByTestId("import-preview").click();
        await s.page.getByTestId("import-error").waitFor();
        await s.page.locator("[data-testid='import-problem'] td.message[data-code='BAD_DATE']").waitFor();
        const orderMessages = await s.page.getByTestId("import-problem").locator("td.message").allInnerTexts();
        assertProblemsInLanguage(lang, orderMessages, "orders file");
        const codes = await s.page.getByTestId("import-problem").locator("td.message").evaluateAll((cells) => cells.map((c) => c.getAttribute("data-code")));
        assert(codes.includes("BAD_DATE") && codes.includes("NEGATIVE_ORDER_AMOUNT"), `order problem codes were ${JSON.stringify(codes)}`);
        assert(
          lang === "ja" ? orderMessages.some((m) => m.startsWith("日付として読めません: 31/01/2026")) : orderMessages.some((m) => m.startsWith("Not a date: 31/01/2026")),
          `order problems were ${JSON.stringify(orderMessages)}`,
        );
        await shoot(s.page, `imports-order-errors-${lang}`);
        // A header the import does not know says what to change: the column it probably means…
        await chooseFile(s.page, `renamed-orders-${tag}.csv`, `external_id,customer_id,ordered_at,amount\n${bad}-o3,${bad}-nobody,2026-01-31,100\n`);
        await s.page.getByTestId("import-preview").click();
        const renamed = s.page.locator("[data-testid='import-problem'] td.message[data-code='UNKNOWN_COLUMN']");
        await renamed.waitFor();
        const renamedText = await renamed.innerText();
        assert(renamedText.includes(lang === "ja" ? "列名を customer_external_id に直してください" : "rename the column to customer_external_id"), `unknown column said "${renamedText}"`);
        // …or, for a file separated by semicolons, the separator.
        await s.page.getByTestId("import-kind-customers").click();
        await chooseFile(s.page, `semicolons-${tag}.csv`, `external_id;name\n${bad}-5;x\n`);
        await s.page.getByTestId("import-preview").click();
        await s.page.locator("[data-testid='import-problem'] td.message[data-code='UNKNOWN_COLUMN']").getByText(lang === "ja" ? "区切り文字がセミコロン（;）のようです" : "separated by semicolons (;)").waitFor();
        assert(await s.page.getByTestId("import-commit").isDisabled(), "Import is enabled for a file with problems");
        assert((await countMatching(s.page, bad)) === 0, "a rejected file wrote customers");
        assert((await s.page.getByTestId("import-run").count()) === before, "a rejected file appeared in the history");
        await shoot(s.page, `imports-errors-${lang}`);
        // The rejection is an HTTP 422, which Chromium logs as a failed resource: expected here.
        const expected = (e: string) => /status of 422/.test(e);
        for (let i = s.consoleErrors.length - 1; i >= 0; i--) if (expected(s.consoleErrors[i] ?? "")) s.consoleErrors.splice(i, 1);
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    for (const lang of ["ja", "en"] as const) {
      await step(`${lang}: an operator reads how complete the orders are; an admin sets a day the orders are complete through, with a note, and lets the imports decide again`, async () => {
        const operator = await open(browser, lang);
        operator.page.setDefaultTimeout(30_000);
        await login(operator, "operator@example.com");
        await operator.page.getByTestId("language").selectOption(lang);
        await operator.page.goto(`${BASE}/imports`);
        // The demo's seed is in the import history, so the orders are complete up to its as-of.
        await operator.page.locator("[data-testid='completeness-until'][data-source='imports']").waitFor();
        assert(/\d/.test(await operator.page.getByTestId("completeness-until").innerText()), "the demo's orders-complete time is not shown");
        assert((await operator.page.getByTestId("completeness-set").count()) === 0, "an operator is offered the admin's form");
        assertNoConsoleErrors(operator);
        await operator.context.close();

        const s = await open(browser, lang);
        s.page.setDefaultTimeout(30_000);
        await login(s, "admin@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        await s.page.goto(`${BASE}/imports`);
        await s.page.locator("[data-testid='completeness-until'][data-source='imports']").waitFor();
        try {
          const day = s.page.getByTestId("completeness-day").locator("input");
          assert((await day.getAttribute("aria-label"))?.includes("Asia/Tokyo") === true, "the day picker's input has no accessible name");
          // Typed as the page writes dates: 2026/01/31 in Japanese, 2026-01-31 in English.
          await day.fill(lang === "ja" ? "2026/01/31" : "2026-01-31");
          await day.press("Enter");
          const note = `POS feed ${stamp}`;
          await s.page.getByTestId("completeness-note-input").locator("input").fill(note);
          await s.page.getByTestId("completeness-set").click();
          await s.page.locator("[data-testid='completeness-until'][data-source='admin']").waitFor();
          // Complete through 31 January in Tokyo: up to 1 February, 00:00 there.
          const until = await s.page.getByTestId("completeness-until").innerText();
          assert(lang === "ja" ? until.includes("2026/02/01") : until.includes("Feb 1, 2026"), `the watermark reads "${until}"`);
          assert((await s.page.getByTestId("completeness-source").innerText()).includes("admin@example.com"), "the watermark does not say who set it");
          assert((await s.page.getByTestId("completeness-note").innerText()) === note, "the note is not shown");
          await shoot(s.page, `imports-completeness-${lang}`);
        } finally {
          // Other suites measure campaigns against the imports' coverage: put it back.
          if ((await s.page.getByTestId("completeness-clear").count()) > 0) await s.page.getByTestId("completeness-clear").click();
        }
        await s.page.locator("[data-testid='completeness-until'][data-source='imports']").waitFor();
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    for (const lang of ["ja", "en"] as const) {
      await step(`${lang}: a delivery results file with bad rows on a campaign page lists its problems in ${lang === "ja" ? "Japanese" : "English"}`, async () => {
        const s = await open(browser, lang);
        s.page.setDefaultTimeout(30_000);
        await login(s, "operator@example.com");
        await s.page.getByTestId("language").selectOption(lang);
        const list = await gql<{ campaigns: { nodes: { id: string; launchedAt: string | null }[] } }>(s.page, "{ campaigns(first: 50) { nodes { id launchedAt } } }");
        const launched = list.campaigns.nodes.find((c) => c.launchedAt !== null);
        assert(launched, "no launched campaign in the demo data");
        await s.page.goto(`${BASE}/campaigns/${launched.id}`);
        await s.page.getByTestId("deliveries-upload").waitFor();
        await s.page.waitForLoadState("networkidle");
        // The words of a refused file's lines (import-problems) come with the first such line, not with the page.
        const problemWords = new RegExp(`/assets/messages-${lang}-import-problems-[\\w-]{8}\\.js$`);
        let wordsFetched = 0;
        s.page.on("response", (r) => {
          if (problemWords.test(new URL(r.url()).pathname)) wordsFetched++;
        });
        assert(!(await s.page.evaluate((re) => performance.getEntriesByType("resource").some((e) => new RegExp(re).test(new URL(e.name).pathname)), problemWords.source)), "import-problems was fetched with the campaign page");
        const csv = "customer_external_id,event,occurred_at\nnobody-x,viewed,2026-01-31 10:00\nnobody-y,sent,yesterday\n,sent,2026-01-31\n";
        await s.page.getByTestId("deliveries-file").setInputFiles({ name: `deliveries-${stamp}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
        await s.page.getByTestId("deliveries-check").click();
        const alert = s.page.getByTestId("deliveries-upload").getByTestId("api-error");
        await alert.waitFor();
        await alert.locator("li").first().getByText(lang === "ja" ? /行目/ : /^Line /).waitFor();
        assert(wordsFetched === 1, `import-problems fetched ${wordsFetched} times for the refused file`);
        const lines = await alert.locator("li").allInnerTexts();
        assertProblemsInLanguage(lang, lines, "delivery file");
        assert(
          lang === "ja" ? lines.some((l) => l.startsWith("2 行目 event 列:")) && lines.some((l) => l.startsWith("3 行目 occurred_at 列: 日付として読めません")) : lines.some((l) => l.startsWith("Line 2, column event:")) && lines.some((l) => l.startsWith("Line 3, column occurred_at: Not a date")),
          `delivery problems were ${JSON.stringify(lines)}`,
        );
        assert((await alert.locator("[lang='en']").count()) === 0, "the problems are still marked as English text");
        await alert.scrollIntoViewIfNeeded();
        await shoot(s.page, `deliveries-errors-${lang}`);

        // The same kind of file as Excel on Japanese Windows saves it (Shift_JIS), with a Japanese
        // event name. Read as UTF-8 it is refused in the card, naming the encoding to choose, and
        // nothing is sent; with Shift_JIS chosen the API quotes the Japanese as it was written.
        const card = s.page.getByTestId("deliveries-upload");
        const sjisFile = Buffer.concat([
          Buffer.from("customer_external_id,event,occurred_at,channel\r\nnobody-x,"),
          Buffer.from([0x91, 0x97, 0x90, 0x4d]), // 送信
          Buffer.from(",2026-01-31 10:00,"),
          Buffer.from([0x83, 0x81, 0x81, 0x5b, 0x83, 0x8b]), // メール
          Buffer.from("\r\nnobody-y,sent,yesterday,line\r\n"),
        ]);
        await s.page.getByTestId("deliveries-file").setInputFiles({ name: `deliveries-sjis-${stamp}.csv`, mimeType: "text/csv", buffer: sjisFile });
        const unreadable = card.getByTestId("deliveries-unreadable");
        await unreadable.getByText(lang === "ja" ? /文字コードに Shift_JIS を選んでください/ : /choose Shift_JIS as the encoding/).waitFor();
        const refusedText = await unreadable.innerText();
        assert(lang === "ja" ? refusedText.includes("2 行目") : refusedText.includes("Line 2"), `the encoding refusal does not name line 2: "${refusedText}"`);
        assertProblemsInLanguage(lang, [refusedText.replace(/\s+/g, " ")], "encoding refusal");
        assert(await card.getByTestId("deliveries-check").isDisabled(), "a file that cannot be read in the chosen encoding can be checked");
        await unreadable.scrollIntoViewIfNeeded();
        await shoot(s.page, `deliveries-encoding-refused-${lang}`);
        await card.getByTestId("deliveries-encoding").click();
        await s.page.locator(".n-base-select-option").filter({ hasText: "Shift_JIS" }).click();
        await unreadable.waitFor({ state: "detached" });
        assert((await card.getByTestId("deliveries-read-as-utf16").count()) === 0, "a Shift_JIS file is said to be read as UTF-16");

        /** Checks the chosen file and returns its problem lines, once the API has answered. */
        const checkedLines = async (): Promise<string[]> => {
          await card.getByTestId("deliveries-check").click();
          const answer = card.getByTestId("api-error");
          await answer.locator("li").filter({ hasText: "送信" }).first().waitFor();
          return answer.locator("li").allInnerTexts();
        };
        const sjisLines = await checkedLines();
        // The Japanese in the lines is the file's own value, in both languages.
        assertProblemsInLanguage(lang, sjisLines.map((l) => l.replaceAll("送信", "X")), "Shift_JIS delivery file");
        assert(
          lang === "ja"
            ? sjisLines.some((l) => l.startsWith("2 行目 event 列: event に 送信 は使えません")) && sjisLines.some((l) => l.startsWith("3 行目 occurred_at 列: 日付として読めません"))
            : sjisLines.some((l) => l.startsWith("Line 2, column event: 送信 is not a valid event")) && sjisLines.some((l) => l.startsWith("Line 3, column occurred_at: Not a date")),
          `Shift_JIS delivery problems were ${JSON.stringify(sjisLines)}`,
        );
        assert(sjisLines.length === 2, `Shift_JIS delivery problems were ${JSON.stringify(sjisLines)}`);
        await card.getByTestId("api-error").scrollIntoViewIfNeeded();
        await shoot(s.page, `deliveries-shift-jis-${lang}`);

        // Excel's "Unicode Text" of the same sheet (UTF-16LE with a byte order mark, tab-separated):
        // read as UTF-16 although Shift_JIS is still chosen, the page says so, and the same problems come back.
        const unicodeText = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("customer_external_id\tevent\toccurred_at\tchannel\r\nnobody-x\t送信\t2026-01-31 10:00\tメール\r\nnobody-y\tsent\tyesterday\tline\r\n", "utf16le")]);
        await s.page.getByTestId("deliveries-file").setInputFiles({ name: `deliveries-unicode-${stamp}.txt`, mimeType: "text/plain", buffer: unicodeText });
        await card.getByTestId("deliveries-read-as-utf16").waitFor();
        assert((await card.getByTestId("deliveries-unreadable").count()) === 0, "Excel's Unicode Text is refused");
        const unicodeLines = await checkedLines();
        assert(JSON.stringify(unicodeLines) === JSON.stringify(sjisLines), `Unicode Text problems ${JSON.stringify(unicodeLines)} differ from the Shift_JIS file's ${JSON.stringify(sjisLines)}`);
        assertNoConsoleErrors(s);
        await s.context.close();
      });
    }

    await step("analyst without import rights does not see the page in the navigation and is told so at its address", async () => {
      const s = await open(browser, "en");
      await login(s, "analyst@example.com");
      assert((await s.page.getByTestId("nav-imports").count()) === 0, "the analyst sees Import in the navigation");
      await s.page.goto(`${BASE}/imports`);
      await s.page.getByTestId("not-allowed").waitFor();
      // Import is for admins and operators, and the page says so rather than "administrators".
      const said = await s.page.getByTestId("not-allowed").innerText();
      assert(said.includes("Admin and Operator") && said.includes("Analyst"), `the not-allowed page said "${said}"`);
      await s.context.close();
    });

    await step("ja: saved views of the customer list open their filters by URL and can be deleted", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.goto(`${BASE}/customers?q=%E7%94%B0&seg=at_risk`);
      await s.page.getByTestId("customer-row").first().waitFor();
      const name = `田さんの離反予備軍 ${stamp}`;
      await s.page.getByTestId("saved-view-name").locator("input").fill(name);
      await s.page.getByTestId("saved-view-save").click();
      await s.page.getByText(`ビュー「${name}」を保存しました。`).waitFor();
      await s.page.goto(`${BASE}/customers`);
      await s.page.getByTestId("customer-row").first().waitFor();
      await s.page.getByTestId("saved-view-select").click();
      await s.page.locator(".n-base-select-option").filter({ hasText: name }).click();
      await s.page.waitForURL(/q=%E7%94%B0/);
      assert(s.page.url().includes("seg=at_risk"), `the view opened ${s.page.url()}`);
      assert((await s.page.getByTestId("customer-search").locator("input").inputValue()) === "田", "the view's search is not in the box");
      await screenshotBoth(s.page, "saved-views-ja");
      await s.page.getByTestId("saved-view-delete").click();
      await s.page.getByText(`ビュー「${name}」を削除しました。`).waitFor();
      const views = await gql<{ savedViews: { name: string }[] }>(s.page, "{ savedViews(list: CUSTOMERS) { name } }");
      assert(!views.savedViews.some((v) => v.name === name), "the deleted view is still listed");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("en: a saved view of the campaign board restores its search", async () => {
      const s = await open(browser, "en");
      await login(s, "operator@example.com");
      await s.page.getByTestId("language").selectOption("en");
      await s.page.goto(`${BASE}/campaigns?q=demo`);
      await s.page.getByTestId("campaign-search").waitFor();
      const name = `Demo campaigns ${stamp}`;
      await s.page.getByTestId("saved-view-name").locator("input").fill(name);
      await s.page.getByTestId("saved-view-save").click();
      await s.page.getByText(`Saved the view “${name}”.`).waitFor();
      await s.page.goto(`${BASE}/campaigns`);
      await s.page.getByTestId("saved-view-select").click();
      await s.page.locator(".n-base-select-option").filter({ hasText: name }).click();
      await s.page.waitForURL(/q=demo/);
      await s.page.waitForFunction(() => (document.querySelector("[data-testid='campaign-search'] input") as HTMLInputElement | null)?.value === "demo");
      await s.page.getByTestId("saved-view-delete").click();
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("en: an admin maps RF cell R5 F1 to Promising, it is saved for the next snapshot, then resets the map", async () => {
      const s = await open(browser, "en");
      await login(s, "admin@example.com");
      await s.page.getByTestId("language").selectOption("en");
      await s.page.goto(`${BASE}/settings`);
      const cell = s.page.getByTestId("rf-map-select-r5-f1");
      await cell.waitFor();
      assert((await cell.getAttribute("aria-label")) === "Segment of cell R5 F1", "the cell's select has no label");
      await cell.selectOption("promising");
      await s.page.getByTestId("rf-map-editor").getByText("1 cells changed").waitFor();
      await s.page.getByTestId("rf-map-save").click();
      await s.page.getByText("The map was saved. The next snapshot uses it.").waitFor();
      const saved = await gql<{ settings: { rfmSegmentMap: string[][] | null } }>(s.page, "{ settings { rfmSegmentMap } }");
      assert(saved.settings.rfmSegmentMap?.[4]?.[0] === "promising", `saved map: ${JSON.stringify(saved.settings.rfmSegmentMap)}`);
      await s.page.getByTestId("rf-map-source").getByText("Customised").waitFor();
      await screenshotBoth(s.page, "rf-map-editor-en", "rf-map-editor");
      await s.page.getByTestId("rf-map-reset").click();
      await s.page.getByText("The default map is back. The next snapshot uses it.").waitFor();
      const reset = await gql<{ settings: { rfmSegmentMap: unknown } }>(s.page, "{ settings { rfmSegmentMap } }");
      assert(reset.settings.rfmSegmentMap === null, "the map was not reset");
      assert((await s.page.getByTestId("rf-map-select-r5-f1").inputValue()) === "new", "the editor does not show the default again");
      assertNoConsoleErrors(s);
      await s.context.close();
    });

    await step("ja: the customer list exports exactly its filtered customers", async () => {
      const s = await open(browser, "ja");
      await login(s, "analyst@example.com");
      await s.page.getByTestId("language").selectOption("ja");
      await s.page.goto(`${BASE}/customers?seg=at_risk&dmin=3&dmax=8`);
      await s.page.getByTestId("customer-row").first().waitFor();
      const link = s.page.getByTestId("customer-export");
      assert((await link.innerText()).includes("この条件の顧客を CSV で出力"), `link says "${await link.innerText()}"`);
      const href = (await link.getAttribute("href")) ?? "";
      assert(href.includes("seg=at_risk") && href.includes("dmin=3") && href.includes("dmax=8"), `export link ${href}`);
      const expected = (
        await gql<{ customers: { totalCount: number } }>(s.page, `{ customers(first: 1, filter: { rfmSegments: ["at_risk"], decileMin: 3, decileMax: 8 }) { totalCount } }`)
      ).customers.totalCount;
      const [download] = await Promise.all([s.page.waitForEvent("download"), link.click()]);
      const path = await download.path();
      const lines = (await readFile(path, "utf8")).replace(/^\uFEFF/, "").trim().split("\r\n");
      const header = (lines[0] ?? "").split(",");
      const seg = header.indexOf("rfm_segment");
      const decile = header.indexOf("decile");
      assert(lines.length - 1 === expected, `the file has ${lines.length - 1} customers, the list ${expected}`);
      assert(
        lines.slice(1).every((l) => {
          const cells = l.split(",");
          return cells[seg] === "at_risk" && Number(cells[decile]) >= 3 && Number(cells[decile]) <= 8;
        }),
        "a row outside the filter",
      );
      await s.context.close();
    });
  },
};

/** 1280×800 and 390×844 screenshots of the page (or of one part of it). */
async function screenshotBoth(page: Page, name: string, testId?: string): Promise<void> {
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    const target = testId ? page.getByTestId(testId) : page;
    await target.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), ...(testId ? {} : { fullPage: true }) });
  }
  await page.setViewportSize({ width: 1400, height: 1000 });
}
