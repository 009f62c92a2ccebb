import { describe, expect, it } from "vitest";
import { messages, type MessageTree } from "./messages.ts";
import { ENGLISH_PHRASE, ENGLISH_PHRASE_ALLOWED, JAPANESE, SAME_IN_BOTH, prose } from "./one-language.ts";

function leaves(tree: MessageTree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}
const ja = new Map(leaves(messages.ja));
const en = new Map(leaves(messages.en));

describe("each page speaks one language", () => {
  it("no English message contains Japanese", () => {
    const mixed = [...en].filter(([, v]) => JAPANESE.test(v)).map(([k]) => k);
    expect(mixed).toEqual([]);
  });

  it("no Japanese message is an untranslated copy of the English one", () => {
    const copies = [...ja].filter(([k, v]) => v === en.get(k) && /[A-Za-z]{2,}/.test(v) && !SAME_IN_BOTH.has(prose(v))).map(([k, v]) => `${k}: ${v}`);
    expect(copies).toEqual([]);
  });

  it("no Japanese message carries an English sentence outside code spans", () => {
    const english = [...ja]
      .filter(([, v]) => {
        const text = ENGLISH_PHRASE_ALLOWED.reduce((s, re) => s.replace(new RegExp(re.source, "g"), " "), prose(v));
        return ENGLISH_PHRASE.test(text);
      })
      .map(([k, v]) => `${k}: ${v.slice(0, 60)}`);
    expect(english).toEqual([]);
  });

  it("the API's reason codes the UI shows have wording in both languages", async () => {
    // The full lists, variants and placeholders: features/shared/api-error-codes.test.ts.
    const { ERROR_REASON_CODES, FIELD_PROBLEM_CODES } = await import("../../../api/src/reasons.ts");
    for (const reason of ERROR_REASON_CODES) {
      expect(JAPANESE.test(ja.get(`errors.reasons.${reason}`) ?? ""), reason).toBe(true);
      expect(en.get(`errors.reasons.${reason}`), reason).toMatch(/[a-z]/);
    }
    for (const problem of FIELD_PROBLEM_CODES) {
      const words = ja.get(`errors.problems.${problem}`) ?? ja.get(`errors.problems.${problem}.other`) ?? "";
      expect(JAPANESE.test(words), problem).toBe(true);
    }
  });

  it("every glossary term has a name, a short and a long definition in both languages", async () => {
    const { GLOSSARY_TERMS } = await import("../features/glossary/terms.ts");
    for (const term of GLOSSARY_TERMS) {
      for (const part of ["name", "short", "long"]) {
        expect(en.get(`glossary.terms.${term}.${part}`), `${term}.${part} (en)`).toBeTruthy();
        expect(ja.get(`glossary.terms.${term}.${part}`), `${term}.${part} (ja)`).toBeTruthy();
      }
      expect(JAPANESE.test(ja.get(`glossary.terms.${term}.short`) ?? "")).toBe(true);
    }
  });
});
