import { describe, expect, it } from "vitest";
import { matchesLabelOrValue, PREFECTURE_EN, prefectureName } from "./prefecture-name.ts";
import { PREFECTURES } from "./segment-keys.ts";

describe("prefecture names", () => {
  it("has an English name for each of the 47 prefectures, all different", () => {
    expect(PREFECTURES).toHaveLength(47);
    expect(PREFECTURE_EN.size).toBe(47);
    const names = PREFECTURES.map((p) => PREFECTURE_EN.get(p));
    expect(names.every((n) => typeof n === "string" && /^[A-Z][a-z]+$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(47);
  });

  it("shows the English name in English and the stored value in Japanese", () => {
    expect(prefectureName("東京都", "en-US")).toBe("Tokyo");
    expect(prefectureName("大阪府", "en")).toBe("Osaka");
    expect(prefectureName("北海道", "en-US")).toBe("Hokkaido");
    expect(prefectureName("沖縄県", "en-US")).toBe("Okinawa");
    expect(prefectureName("東京都", "ja-JP")).toBe("東京都");
  });

  it("leaves a value outside the list as it was imported", () => {
    expect(prefectureName("Tokio", "en-US")).toBe("Tokio");
    expect(prefectureName("東", "en-US")).toBe("東");
  });

  it("lets a select find a prefecture by its English name or its Japanese value", () => {
    const tokyo = { label: "Tokyo", value: "東京都" };
    expect(matchesLabelOrValue("tok", tokyo)).toBe(true);
    expect(matchesLabelOrValue("東京", tokyo)).toBe(true);
    expect(matchesLabelOrValue("osaka", tokyo)).toBe(false);
  });
});
