import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
// The one list of codes the API can emit; a code added there without wording here fails below.
import { IMPORT_PROBLEM_CODES } from "../../../../api/src/modules/import/problems.ts";
import { messages } from "../../i18n/messages.ts";
import { JAPANESE } from "../../i18n/one-language.ts";
import { PROBLEM_VARIANTS, problemKey, problemSentence, problemText } from "./problem-text.ts";

const i18nFor = (locale: "ja" | "en") => createI18n({ legacy: false, locale, messages, missingWarn: false, fallbackWarn: false }).global;
const ja = i18nFor("ja");
const en = i18nFor("en");

/** Every parameter any code uses, so a message that names one renders without a gap. */
const PARAMS = {
  value: "X-1", column: "amount", line: 3, field: 2, position: 4, limit: 10, min: 0, max: 9, count: 201, length: 300, start: "abc",
  expected: "external_id, name", required: "external_id", found: 5, month: 13, days: 28, zone: "+15:00", percent: 35, ratio: 0.35,
  allowed: "redeem, adjust", key: "external_id", firstLine: 2, importTime: "2026-01-31T00:00:00.000Z", launchedAt: "2026-01-01T00:00:00.000Z",
  toleranceMinutes: 5, campaignId: 7, balance: 40, points: 60, encoding: "utf8", declare: "utf16le",
};

/** The values of each worded-per-value parameter (PROBLEM_VARIANTS) the API sends (and the browser's decodeFileText, shared/file-encoding.ts). */
const VARIANT_VALUES: Record<string, string[]> = {
  BAD_ENCODING: ["utf8", "shift_jis", "utf16le", "utf16be", "other"],
  WIDE_ENCODING: ["utf16le", "utf16be", "other"],
  FIELD_COUNT: ["tab", "other"],
  TOO_MANY_COLUMNS: ["tab", "other"],
};

describe("import problems in both languages", () => {
  it("every code the API can emit has Japanese and English wording (with each variant)", () => {
    expect(IMPORT_PROBLEM_CODES.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const code of IMPORT_PROBLEM_CODES) {
      const variants = PROBLEM_VARIANTS[code] ? (VARIANT_VALUES[code] ?? ["other"]) : [undefined];
      for (const variant of variants) {
        const params = variant ? { [PROBLEM_VARIANTS[code] as string]: variant } : {};
        for (const [name, i18n] of [["ja", ja], ["en", en]] as const) {
          const key = problemKey(i18n, code, params);
          if (!key || (variant && !key.endsWith(`.${variant}`))) missing.push(`${name} ${code}${variant ? `.${variant}` : ""}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("Japanese wording is Japanese, English wording has no Japanese, and no placeholder is left unfilled", () => {
    for (const code of IMPORT_PROBLEM_CODES) {
      const jaText = problemText(ja, { code, params: PARAMS });
      const enText = problemText(en, { code, params: PARAMS });
      expect(JAPANESE.test(jaText), `${code} (ja): ${jaText}`).toBe(true);
      expect(JAPANESE.test(enText), `${code} (en): ${enText}`).toBe(false);
      for (const text of [jaText, enText]) expect(text, code).not.toMatch(/[{}]|undefined/);
    }
  });

  it("says where and what, in the page's language", () => {
    const problem = { line: 3, column: "ordered_at", code: "BAD_DATE", params: { value: "31/01/2026" } };
    expect(problemSentence(ja, problem)).toBe("3 行目 ordered_at 列: 日付として読めません: 31/01/2026（例: 2026-01-31、2026/01/31 14:05）");
    expect(problemSentence(en, problem)).toBe("Line 3, column ordered_at: Not a date: 31/01/2026 (e.g. 2026-01-31 or 2026/01/31 14:05)");
    expect(problemSentence(ja, { line: 4, column: null, code: "FIELD_COUNT", params: { found: 5, expected: 4 } })).toMatch(/^4 行目: 項目が 5 個ありますが、ヘッダーは 4 列です。カンマを含む値/);
    expect(problemSentence(ja, { line: 4, column: null, code: "FIELD_COUNT", params: { found: 5, expected: 4, separator: "tab" } })).toMatch(/^4 行目: 項目が 5 個ありますが、ヘッダーは 4 列です（タブ区切りのファイル）。タブを含む値/);
    expect(problemText(en, { code: "FIELD_COUNT", params: { found: 5, expected: 4, separator: "tab" } })).toMatch(/tab-separated\)\. Quote values that contain a tab/);
    // Too many columns: the advice names the separator the file was read with.
    expect(problemText(ja, { code: "TOO_MANY_COLUMNS", params: { count: 201, limit: 200 } })).toBe("列が 201 個あります（上限 200 個）。区切り文字がカンマか確認し、使わない列を削除してください。");
    expect(problemText(ja, { code: "TOO_MANY_COLUMNS", params: { count: 201, limit: 200, separator: "tab" } })).toBe("列が 201 個あります（上限 200 個）。区切り文字のタブが余分に入っていないか確認し、使わない列を削除してください。");
    expect(problemText(en, { code: "TOO_MANY_COLUMNS", params: { count: 201, limit: 200 } })).toBe("The line has 201 columns (at most 200). Check that the separator is a comma and remove unused columns.");
    expect(problemText(en, { code: "TOO_MANY_COLUMNS", params: { count: 201, limit: 200, separator: "tab" } })).toBe(
      "The line has 201 columns (at most 200). Check for extra tabs between the columns (the file is tab-separated) and remove unused columns.",
    );
    expect(problemText(ja, { code: "BAD_ENCODING", params: { encoding: "utf8" } })).toMatch(/Shift_JIS を選んでください/);
    expect(problemText(en, { code: "BAD_ENCODING", params: { encoding: "shift_jis" } })).toMatch(/choose UTF-8/);
    // UTF-16 without a byte order mark: the encoding to choose on the page; UTF-32 cannot be chosen.
    expect(problemText(ja, { code: "WIDE_ENCODING", params: { found: "UTF-16LE", declare: "utf16le" } })).toBe(
      "ファイルが BOM なしの UTF-16LE で保存されています。文字コードに UTF-16LE を選ぶか、UTF-8 の CSV として保存し直してください。",
    );
    expect(problemText(en, { code: "WIDE_ENCODING", params: { found: "UTF-16BE", declare: "utf16be" } })).toBe(
      "The file is UTF-16BE text without a byte order mark. Choose UTF-16BE as the encoding, or save it again as UTF-8 CSV.",
    );
    expect(problemText(en, { code: "WIDE_ENCODING", params: { found: "UTF-32LE" } })).toBe("The file was saved as UTF-32LE. Save it again as UTF-8 CSV.");
    expect(problemText(ja, { code: "BAD_BOOLEAN", params: { value: "希望する" } })).toContain("はい／いいえ、○／×");
  });

  it("an unknown code falls back to a neutral line in the page's language, never the API's English", () => {
    expect(problemText(ja, { code: "SOMETHING_NEW", params: { value: "x" } })).toBe("この行の内容を確認してください（問題の種類: SOMETHING_NEW）。");
    expect(problemText(en, { code: null, params: {} })).toBe("Check this line (problem ?).");
    expect(problemText(ja, { code: "bad key{}", params: {} })).toMatch(/^この行の内容を確認してください/);
  });

  it("instants are shown through the page's formatter", () => {
    const text = problemText(ja, { code: "BEFORE_LAUNCH", params: { value: "2026-01-01T00:00:00.000Z", launchedAt: "2026-01-02T00:00:00.000Z" } }, (iso) => `<${iso.slice(0, 10)}>`);
    expect(text).toBe("<2026-01-01> は施策の開始（<2026-01-02>）より前です。日付か施策を確認してください。");
    const future = { code: "FUTURE_ACQUISITION", params: { value: "2099-01-01T00:00:00.000Z", importTime: "2026-01-02T00:00:00.000Z", toleranceMinutes: 60, timeZone: "Asia/Tokyo" } };
    expect(problemText(ja, future, (iso) => `<${iso.slice(0, 10)}>`)).toMatch(/^<2099-01-01> は取込時刻 <2026-01-02> より後です。未来の日付では顧客を獲得できません。/);
  });

  it("words a repeated header and data in an unnamed column once, by line and position", () => {
    expect(problemSentence(ja, { line: 120, column: null, code: "HEADER_REPEATED", params: { line: 120 } })).toBe(
      "120 行目: 120 行目にヘッダー行がもう一度あります（ファイルをつなげた場合など）。その行を削除してください。",
    );
    expect(problemSentence(en, { line: 3, column: null, code: "UNNAMED_COLUMN_DATA", params: { position: 11, value: "memo" } })).toMatch(
      /^Line 3: Column 11 has no name in the header but holds memo on this line\./,
    );
  });
});

describe("hints for a column the import does not know", () => {
  const customers = "external_id, name, email, prefecture, gender, birth_year, acquisition_channel, acquisition_cost, acquired_at, email_opt_in, line_opt_in, sms_opt_in, dm_opt_in, attr_<key>";
  const orders = "external_id, customer_external_id, ordered_at, amount, currency, gross_margin, status, channel, items";
  // As the API sends them (its unknownColumnParams finds the hint).
  const unknown = (column: string, expected: string, hint: Record<string, string> = {}) => ({ code: "UNKNOWN_COLUMN", params: { column, expected, ...hint } });

  it("a header read as one column names the separator the file uses", () => {
    expect(problemText(ja, unknown("foo;bar", customers, { separator: "semicolon" }))).toContain("区切り文字がセミコロン（;）のようです");
    expect(problemText(en, unknown("foo;bar", customers, { separator: "semicolon" }))).toContain("separated by semicolons (;)");
    expect(problemText(ja, unknown("external_id\tname", customers, { separator: "tab" }))).toContain("区切り文字がタブのようです");
    expect(problemText(ja, unknown("external_id|name", customers, { separator: "pipe" }))).toContain("縦棒（|）");
    expect(problemText(en, unknown("external_id|name", customers, { separator: "pipe" }))).toContain("vertical bars (|)");
  });

  it("words the accepted column the API suggests, as a sentence of its own after the list", () => {
    expect(problemText(ja, unknown("customer_id", orders, { suggestion: "customer_external_id" }))).toContain("customer_external_id の誤りであれば、列名を customer_external_id に直してください。");
    expect(problemText(en, unknown("order_id", orders, { suggestion: "external_id" }))).toContain("If you mean external_id, rename the column to external_id.");
    expect(problemText(en, unknown("order_id", orders, { suggestion: "external_id" }))).toMatch(/, items\. If you mean external_id/);
    expect(problemText(ja, unknown("order_id", orders, { suggestion: "external_id" }))).toMatch(/, items。external_id の誤りであれば/);
  });

  it("a misspelt prefecture: the nearest one the API found, when it found one", () => {
    const tokio = { code: "BAD_PREFECTURE", params: { value: "Tokio", suggestion: "東京都" } };
    expect(problemText(ja, tokio)).toBe("Tokio は 47 都道府県のどれとも読めません。東京都・東京・Tokyo のように書くか、日本国外の顧客は空欄にしてください。東京都 の誤りではありませんか。");
    expect(problemText(en, tokio)).toBe("Tokio is not one of Japan's 47 prefectures. Write its Japanese or romanised name (e.g. Tokyo or Tokyo-to), or leave it empty for customers outside Japan. Did you mean 東京都?");
    expect(problemText(en, { code: "BAD_PREFECTURE", params: { value: "California" } })).not.toContain("Did you mean");
  });

  it("adds nothing without a hint, or with one it has no words for", () => {
    expect(problemText(en, unknown("favourite_colour", customers))).toBe(en.t("importProblems.codes.UNKNOWN_COLUMN", { column: "favourite_colour", expected: customers }));
    expect(problemText(en, unknown("a^b", customers, { separator: "caret" }))).toBe(en.t("importProblems.codes.UNKNOWN_COLUMN", { column: "a^b", expected: customers }));
  });
});
