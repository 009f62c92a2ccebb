import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
import { messages } from "../../i18n/messages.ts";
import { codeParts } from "./code-parts.ts";

describe("code in messages", () => {
  it("text between backticks is code, without the backticks", () => {
    expect(codeParts("または `pnpm ltvloop snapshot` を実行します。")).toEqual([
      { text: "または ", code: false },
      { text: "pnpm ltvloop snapshot", code: true },
      { text: " を実行します。", code: false },
    ]);
  });

  it("several pieces of code, at the start and the end", () => {
    expect(codeParts("`a` and `b`")).toEqual([
      { text: "a", code: true },
      { text: " and ", code: false },
      { text: "b", code: true },
    ]);
  });

  it("text without backticks, or with a lone one, stays as it is", () => {
    expect(codeParts("plain")).toEqual([{ text: "plain", code: false }]);
    expect(codeParts("it`s")).toEqual([{ text: "it`s", code: false }]);
    expect(codeParts("")).toEqual([]);
  });

  it("commands in messages are the ones the project's package.json runs (pnpm ltvloop …)", () => {
    for (const locale of ["ja", "en"] as const) {
      const { t } = createI18n({ legacy: false, locale, messages }).global;
      for (const key of ["campaignDelivery.lead", "jobs.schedulerOff", "empty.createSnapshot", "empty.importCustomers"]) {
        const code = codeParts(t(key, { id: 7 })).filter((p) => p.code && p.text.includes("ltvloop"));
        expect(code.length, `${locale} ${key}`).toBeGreaterThan(0);
        for (const c of code) expect(c.text.startsWith("pnpm ltvloop "), `${locale} ${key}: ${c.text}`).toBe(true);
      }
    }
  });
});
