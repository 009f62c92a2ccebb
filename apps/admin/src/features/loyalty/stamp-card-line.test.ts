import { describe, expect, it } from "vitest";
import { createI18n } from "vue-i18n";
import { messages } from "../../i18n/messages.ts";
import { stampCardLine } from "./stamp-card-line.ts";

const i18nFor = (locale: "ja" | "en") => createI18n({ legacy: false, locale, messages, missingWarn: false, fallbackWarn: false }).global;
const ja = i18nFor("ja");
const en = i18nFor("en");
const date = (iso: string | null | undefined) => (iso ?? "").slice(0, 10);

describe("a customer's stamp card line", () => {
  it("an open card: stamps still needed and until when", () => {
    const card = { status: "open", stamps: 3, cardSize: 5, expiresAt: "2027-06-01T03:00:00Z" };
    expect(stampCardLine(ja, card, date)).toBe("進行中 · あと 2 個 · 2027-06-01 まで");
    expect(stampCardLine(en, card, date)).toBe("Open · 2 to go · until 2027-06-01");
    // A card that expires at midnight (of the formatter's zone, UTC here) is valid until the day before.
    const atMidnight = { ...card, expiresAt: "2027-06-01T00:00:00Z" };
    expect(stampCardLine(ja, atMidnight, date)).toBe("進行中 · あと 2 個 · 2027-05-31 まで");
  });

  it("a lapsed card says when it lapsed, not how many stamps it still needs", () => {
    const card = { status: "expired", stamps: 3, cardSize: 5, expiresAt: "2026-12-01T00:00:00Z" };
    expect(stampCardLine(ja, card, date)).toBe("失効 · 2026-12-01");
    expect(stampCardLine(en, card, date)).toBe("Lapsed · 2026-12-01");
    expect(stampCardLine(ja, card, date)).not.toContain("あと");
  });

  it("a completed card says when it was completed", () => {
    const card = { status: "completed", stamps: 5, cardSize: 5, completedAt: "2026-09-01T00:00:00Z", expiresAt: "2027-01-01T00:00:00Z" };
    expect(stampCardLine(ja, card, date)).toBe("達成 · 2026-09-01");
    expect(stampCardLine(en, card, date)).toBe("Completed · 2026-09-01");
  });
});
