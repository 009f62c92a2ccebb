import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
// The one list of reason and problem codes the API can raise outside file imports (those are
// checked in features/imports/problem-text.test.ts); a code added there without wording fails here.
import { ERROR_REASON_CODES, FIELD_PROBLEM_CODES } from "../../../../api/src/reasons.ts";
import { messages, type MessageTree } from "../../i18n/messages.ts";
import { JAPANESE } from "../../i18n/one-language.ts";
import { FIELD_PROBLEM_VARIANTS, problemFor, problemKey, problemText, reasonText, toApiError } from "./api-error.ts";

const i18nFor = (locale: "ja" | "en") => createI18n({ legacy: false, locale, messages, missingWarn: false, fallbackWarn: false }).global;
const ja = i18nFor("ja");
const en = i18nFor("en");

/** Every parameter any code uses, so a message that names one renders without a gap. */
const PARAMS = {
  id: 7, min: 1, max: 100, length: 120, count: 3, other: "from", value: "x", allowed: "a, b", status: "failed", email: "a@example.com",
  seconds: 30, role: "viewer", command: "ltvloop import loyalty", treatment: 40, control: 4, members: 12, channel: "email", campaignId: 3,
  balance: 40, points: 60, calibrationEnd: "2024-01-01", firstDay: "2024-02-01", lastDay: "2024-12-31", customers: 500, maxMegabytes: 50,
  keys: "all, field", node: "all", op: "in", field: "decile", low: 9, high: 2, r: 2, f: 3, cell: "R1F2", latest: "2026-01-01T00:00:00.000Z",
  launchedAt: "2026-01-01T00:00:00.000Z", snapshotId: 5, segmentId: 4, programme: "points", offer: "bonus_points",
};

/** The variants of a code's wording: the values its variant parameter takes, plus `other`. */
const variantsOf = (code: string): (string | undefined)[] => {
  if (!FIELD_PROBLEM_VARIANTS[code]) return [undefined];
  const tree = (messages.en["errors"] as MessageTree)["problems"] as MessageTree;
  return Object.keys(tree[code] as MessageTree);
};

describe("API reason and problem codes in both languages", () => {
  it("every reason code the API can raise has Japanese and English wording", () => {
    expect(ERROR_REASON_CODES.length).toBeGreaterThan(40);
    const missing = ERROR_REASON_CODES.flatMap((reason) =>
      (["ja", "en"] as const).filter((l) => reasonText(l === "ja" ? ja : en, { reason, params: PARAMS }) === null).map((l) => `${l} ${reason}`),
    );
    expect(missing).toEqual([]);
  });

  it("every field problem code has Japanese and English wording (with each variant, and an `other`)", () => {
    expect(FIELD_PROBLEM_CODES.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const code of FIELD_PROBLEM_CODES) {
      const variants = variantsOf(code);
      if (FIELD_PROBLEM_VARIANTS[code] && !variants.includes("other")) missing.push(`${code}.other`);
      for (const variant of variants) {
        const params = variant ? { [FIELD_PROBLEM_VARIANTS[code] as string]: variant } : {};
        for (const [name, i18n] of [["ja", ja], ["en", en]] as const) {
          const key = problemKey(i18n, code, params);
          if (!key || (variant && !key.endsWith(`.${variant}`))) missing.push(`${name} ${code}${variant ? `.${variant}` : ""}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("the catalogue words no code the API does not raise (stale wording is found)", () => {
    const errors = messages.en["errors"] as MessageTree;
    const extraReasons = Object.keys(errors["reasons"] as MessageTree).filter((k) => !(ERROR_REASON_CODES as readonly string[]).includes(k));
    const extraProblems = Object.keys(errors["problems"] as MessageTree).filter((k) => !(FIELD_PROBLEM_CODES as readonly string[]).includes(k));
    // The login form's own fallback when the server gives no wait time.
    expect(extraReasons).toEqual(["TOO_MANY_SIGN_INS_UNKNOWN"]);
    expect(extraProblems).toEqual([]);
  });

  it("Japanese wording is Japanese, English wording has no Japanese, and no placeholder is left unfilled", () => {
    const texts: [string, string, string][] = [];
    for (const reason of ERROR_REASON_CODES) texts.push([reason, reasonText(ja, { reason, params: PARAMS }) ?? "", reasonText(en, { reason, params: PARAMS }) ?? ""]);
    for (const code of FIELD_PROBLEM_CODES) {
      for (const variant of variantsOf(code)) {
        const params = variant ? { ...PARAMS, [FIELD_PROBLEM_VARIANTS[code] as string]: variant } : PARAMS;
        texts.push([`${code}${variant ? `.${variant}` : ""}`, problemText(ja, { reason: code, params }) ?? "", problemText(en, { reason: code, params }) ?? ""]);
      }
    }
    for (const [code, jaText, enText] of texts) {
      expect(JAPANESE.test(jaText), `${code} (ja): ${jaText}`).toBe(true);
      expect(JAPANESE.test(enText), `${code} (en): ${enText}`).toBe(false);
      expect(jaText, code).not.toBe(enText);
      for (const text of [jaText, enText]) expect(text, code).not.toMatch(/[{}]|undefined/);
    }
  });

  it("a form field shows the page's wording for a known code, and the API's English only for an unknown one", () => {
    const info = toApiError({
      graphQLErrors: [
        {
          message: "The customer filter is invalid; fix the fields listed.",
          extensions: {
            code: "BAD_USER_INPUT",
            reason: "INVALID_FIELDS",
            problems: [
              { path: "filter.decileMin", message: "is above decileMax", reason: "MIN_ABOVE_MAX", params: { other: "decileMax", min: 8, max: 3 } },
              { path: "input.name", message: "something new", reason: "SOMETHING_NEW" },
            ],
          },
        },
      ],
    });
    expect(problemFor(info, "decileMin", ja)).toBe("最小値（8）が最大値（3）を上回っています。");
    expect(problemFor(info, "decileMin", en)).toBe("The minimum (8) is above the maximum (3).");
    expect(problemFor(info, "name", ja)).toBe("something new");
    expect(reasonText(ja, info)).toBe("以下の項目を修正して、もう一度お試しください。");
    expect(problemText(ja, { reason: "RULE_VALUE_TYPE", params: { kind: "integer" } })).toBe("整数を入力してください。");
    expect(problemText(en, { reason: "RULE_VALUE_TYPE", params: { kind: "newKind" } })).toBe("The value does not fit this field.");
    expect(problemText(en, { reason: "PROGRAMME_MISSING", params: { programme: "stamps" } })).toBe("Needs an active stamp card.");
  });
});
