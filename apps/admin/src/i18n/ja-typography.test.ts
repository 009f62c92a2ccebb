// Japanese ranges and numbers with units follow one convention, the one most of the messages
// already used when it was set down (counted: 60 wave dashes against 4 en dashes, all four in
// names such as Benjamini–Hochberg; 162 numbers spaced from their unit against 87 not):
//   ranges   「{min}〜{max}」 — the wave dash, no spaces around it;
//   units    「30 日」「{n} 件」 — a half-width space between a number (or a placeholder) and its unit.
// A percentage sign stays on its number (「30%」).
// The same half-width space separates a number, or a placeholder that stands for one (an amount,
// a date, a rate), from the Japanese word on either side: 「計画 {planned}、実績 {observed}」,
// 「{date} に作成」, 「1 つ以上」 (counted again when this was added: 403 placeholders spaced against
// 57 not, 217 numbers against 53). Dates written whole (「2026年11月」) and the middle dot 「・」
// are not words. Latin words (KPI, CLV, RF) are spaced from Japanese the same way.
// A colon that introduces what follows (a label, 「例: …」) is the half-width one followed by a
// half-width space, or ending the message: 「{metric}: 有意な差はありません」, 「次のサイクル:」. Counted
// when this was added: 94 half-width against 50 full-width 「：」, so the full-width ones became
// half-width. Colons inside times and codes (「00:00」「HH:MM」) are not punctuation.
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

/** Hiragana, katakana (not the middle dot ・) and kanji. */
const JP = "[\\u3040-\\u309F\\u30A0-\\u30FA\\u30FC-\\u30FF\\u4E00-\\u9FFF]";
/** Placeholders whose values are numbers, amounts, rates or dates (those of words — {name}, {metric}, {kpi} — are not). */
const NUMERIC = [
  "amount", "asOf", "balance", "budget", "c", "cm", "co", "cost", "count", "d", "date", "days", "defaultMargin", "diff", "difference", "down", "expected",
  "first", "firstDay", "from", "gp", "hi", "high", "last", "lastDay", "level", "limit", "lo", "low", "margin", "max", "mde", "min", "monthlyDiscountRate",
  "n", "observed", "pct", "percent", "planned", "points", "rate", "rel", "relative", "rows", "seconds", "seed", "share", "size", "snapshotMargin", "t",
  "threshold", "tm", "to", "top10", "top20", "total", "unchanged", "up", "updated", "inserted", "v", "value",
].join("|");

/**
 * The colons of one message that break the convention: a full-width 「：」, or a half-width one
 * used as punctuation (not between two letters or digits, as in 「00:00」) with a space before it
 * or anything but a space, a line break or the end of the message after it.
 */
export function colonProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.includes("：")) problems.push("full-width 「：」");
  for (let i = text.indexOf(":"); i !== -1; i = text.indexOf(":", i + 1)) {
    const before = text[i - 1] ?? "";
    const after = text[i + 1] ?? "";
    if (/[0-9A-Za-z]/.test(before) && /[0-9A-Za-z]/.test(after)) continue;
    if (/\s/.test(before)) problems.push(`space before 「:」 at ${i}`);
    if (after !== "" && !/[ \n]/.test(after)) problems.push(`no space after 「:」 at ${i}`);
    if (after === " " && text[i + 2] === " ") problems.push(`two spaces after 「:」 at ${i}`);
  }
  return problems;
}

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

  it("separate a number, or a placeholder of one, from the Japanese word before or after it (「{date} に」, 「1 つ以上」, 「上位 10%」)", () => {
    expect(offending(new RegExp(`\\{(?:${NUMERIC})\\}${JP}|${JP}\\{(?:${NUMERIC})\\}`))).toEqual([]);
    expect(offending(new RegExp(`[0-9](?![年月])${JP}|(?!年)${JP}[0-9]`))).toEqual([]);
  });

  it("separate a Latin word from the Japanese next to it, as most messages did (「予測 CLV」「RF セル」「p 値」: 383 against 55)", () => {
    expect(offending(new RegExp(`${JP}[A-Za-z]|[A-Za-z]${JP}`))).toEqual([]);
  });

  it("separate a number or placeholder from its unit by one half-width space (「30 日」, not 「30日」)", () => {
    expect(offending(new RegExp(`(?:[0-9]|\\})(?:${UNITS})`))).toEqual([]);
    expect(offending(new RegExp(`(?:[0-9]|\\})(?:\\u3000| {2,})(?:${UNITS})`))).toEqual([]);
  });
});

describe("Japanese messages: colons", () => {
  it("flag a full-width colon and a half-width one without its space, and leave times and codes alone", () => {
    expect(colonProblems("判断：{decision}")).toEqual(["full-width 「：」"]);
    expect(colonProblems("判断:{decision}")).toEqual(["no space after 「:」 at 2"]);
    expect(colonProblems("判断 : {decision}")).toEqual(["space before 「:」 at 3"]);
    expect(colonProblems("判断:  {decision}")).toEqual(["two spaces after 「:」 at 2"]);
    expect(colonProblems("判断: {decision}")).toEqual([]);
    expect(colonProblems("次のサイクル:")).toEqual([]);
    expect(colonProblems("実行: Ctrl+Enter\n候補: Ctrl+Space")).toEqual([]);
    expect(colonProblems("時刻は HH:MM 形式（00:00〜23:59、例: 03:00）")).toEqual([]);
  });

  it("introduce what follows with a half-width colon and a space (「例: 」「{metric}: 」), never 「：」", () => {
    const found = messages.flatMap(([key, text]) => colonProblems(text).map((p) => `${key}: ${p}: ${text}`));
    expect(found).toEqual([]);
  });
});

