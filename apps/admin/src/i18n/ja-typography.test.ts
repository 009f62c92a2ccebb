// Japanese ranges and numbers with units follow one convention, the one most of the messages
// already used when it was set down (counted: 60 wave dashes against 4 en dashes, all four in
// names such as Benjamini–Hochberg; 162 numbers spaced from their unit against 87 not):
//   ranges   「{min}〜{max}」 — the wave dash, no spaces around it;
//   units    「30 日」「{n} 件」 — a half-width space between a number (or a placeholder) and its unit.
// A percentage sign stays on its number (「30%」).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = join(import.meta.dirname, "locales", "ja");
const UNITS = "日間|日|か月|ヶ月|件|回|人|名|個|文字|行|列|年|週|時間|分|秒|倍|ポイント|円|点|セル|ページ|スタンプ|枚|歳";

function strings(tree: unknown, path: string): [string, string][] {
  if (typeof tree === "string") return [[path, tree]];
  if (tree && typeof tree === "object") return Object.entries(tree).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
const messages = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => strings(JSON.parse(readFileSync(join(DIR, f), "utf8")), f));

const offending = (pattern: RegExp) => messages.filter(([, text]) => pattern.test(text)).map(([key, text]) => `${key}: ${text}`);

describe("Japanese messages: ranges and units", () => {
  it("reads every ja locale file", () => {
    expect(messages.length).toBeGreaterThan(500);
  });

  it("write a range of numbers, dates or placeholders with 〜, not a dash or another tilde", () => {
    expect(offending(/[0-9%}]\s*[–—~～]\s*[0-9{+\-−¥]/)).toEqual([]);
  });

  it("put no space around the range's 〜", () => {
    expect(offending(/[ \u3000]〜|〜[ \u3000]/)).toEqual([]);
  });

  it("separate a number or placeholder from its unit by one half-width space (「30 日」, not 「30日」)", () => {
    expect(offending(new RegExp(`(?:[0-9]|\\})(?:${UNITS})`))).toEqual([]);
    expect(offending(new RegExp(`(?:[0-9]|\\})(?:\\u3000| {2,})(?:${UNITS})`))).toEqual([]);
  });
});
