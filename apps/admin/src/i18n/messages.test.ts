import { describe, expect, it, vi } from "vitest";
import { createI18n } from "vue-i18n";
import { areaFiles, mergeTrees, messages } from "./messages.ts";

const { ja, en } = messages;

type Tree = typeof en;
function keys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

describe("messages", () => {
  it("both locales have the same area files", () => {
    expect(areaFiles.ja).toEqual(areaFiles.en);
    expect(areaFiles.en).toContain("core.json");
  });

  it("a key defined in two area files is refused, naming both", () => {
    expect(() => mergeTrees([{ file: "a.json", tree: { x: { y: "1" } } }, { file: "b.json", tree: { x: { y: "2" } } }])).toThrow(/x\.y is defined in a\.json and b\.json/);
    expect(mergeTrees([{ file: "a.json", tree: { x: { y: "1" } } }, { file: "b.json", tree: { x: { z: "2" } } }])).toEqual({ x: { y: "1", z: "2" } });
  });

  it("Japanese puts no space between a person's name ({who}, which may be システム) and its particle", () => {
    const texts = (tree: Tree): string[] => Object.values(tree).flatMap((v) => (typeof v === "string" ? [v] : texts(v)));
    expect(texts(ja).filter((text) => /\{who\}\s/.test(text))).toEqual([]);
  });

  it("the win-back baseline calls the objective what the objective picker calls it", () => {
    const i18n = createI18n({ legacy: false, locale: "ja", messages: { ja, en } }).global;
    expect(i18n.t("campaignTrust.plan.baselineSource.rf_cell_reactivation").startsWith(`${i18n.t("objective.WIN_BACK")}:`)).toBe(true);
  });

  it("Japanese and English have the same keys", () => {
    expect(keys(ja).sort()).toEqual(keys(en).sort());
  });

  it("every message compiles (a stray @, { or | breaks the page at runtime)", { timeout: 30_000 }, () => {
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args) => void errors.push(args));
    const warn = vi.spyOn(console, "warn").mockImplementation((...args) => void errors.push(args));
    for (const locale of ["ja", "en"] as const) {
      const i18n = createI18n({ legacy: false, locale, messages: { ja, en }, missingWarn: false, fallbackWarn: false });
      for (const key of keys(en)) {
        const text = i18n.global.t(key, { n: 1, month: "m", date: "d", cells: 1, customers: 1, name: "x", planned: 1, observed: 1, p: 1, treatment: 1, control: 1, actual: 1, predicted: 1, days: 1 });
        expect(typeof text).toBe("string");
      }
    }
    spy.mockRestore();
    warn.mockRestore();
    expect(errors).toEqual([]);
  });
});
