// Prefecture cells as shops export them: the official name, without its suffix, romanised with
// or without suffix, accents or full-width letters; typos are refused with the nearest name.
import { describe, expect, it } from "vitest";
import { PREFECTURES, readPrefecture } from "./prefectures.ts";

describe("readPrefecture", () => {
  it("knows the 47 prefectures once each, in the official order", () => {
    expect(PREFECTURES).toHaveLength(47);
    expect(new Set(PREFECTURES.map((p) => p.name)).size).toBe(47);
    expect(new Set(PREFECTURES.map((p) => p.romaji)).size).toBe(47);
    expect([PREFECTURES[0]?.name, PREFECTURES[12]?.name, PREFECTURES[46]?.name]).toEqual(["北海道", "東京都", "沖縄県"]);
    expect(PREFECTURES.every((p) => /^.+[都道府県]$/.test(p.name))).toBe(true);
  });

  it.each([
    ["東京都", "東京都"], ["東京", "東京都"], ["Tokyo", "東京都"], ["TOKYO-TO", "東京都"], ["Tōkyō", "東京都"], ["Tokyo Prefecture", "東京都"], ["ｔｏｋｙｏ", "東京都"],
    ["京都", "京都府"], ["Kyoto", "京都府"], ["kyoto-fu", "京都府"], ["大阪", "大阪府"], ["Osaka-fu", "大阪府"],
    ["北海道", "北海道"], ["Hokkaido", "北海道"], ["神奈川", "神奈川県"], ["kanagawa-ken", "神奈川県"], ["Hyōgo", "兵庫県"], [" 沖縄県 ", "沖縄県"],
  ])("reads %s as %s", (cell, name) => {
    expect(readPrefecture(cell)).toEqual({ ok: true, value: name });
  });

  it("refuses what is no prefecture, naming the nearest one when there is a single nearest", () => {
    expect(readPrefecture("Tokio")).toEqual({ ok: false, suggestion: "東京都" });
    expect(readPrefecture("Hokaido")).toEqual({ ok: false, suggestion: "北海道" });
    expect(readPrefecture("Kanagwa")).toEqual({ ok: false, suggestion: "神奈川県" });
    expect(readPrefecture("California")).toEqual({ ok: false, suggestion: undefined });
    expect(readPrefecture("北海")).toEqual({ ok: false, suggestion: undefined });
    expect(readPrefecture("東京市")).toEqual({ ok: false, suggestion: undefined });
  });
});
