import { describe, expect, it } from "vitest";
import {
  formatCohort,
  formatCompact,
  formatCompactMoney,
  formatDate,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  formatPlainDate,
  formatRange,
  formatYearMonth,
  joinSentences,
} from "./format.ts";

describe("format", () => {
  it("shortens large numbers in each language's own units (億 and 万 in Japanese)", () => {
    expect(formatCompact(200_000_000, "ja-JP")).toBe("2億");
    expect(formatCompact(35_000_000, "ja-JP")).toBe("3500万");
    expect(formatCompact(200_000_000, "en-US")).toBe("200M");
    expect(formatCompact(null, "en-US")).toBe("—");
  });

  it("shortens amounts on chart axes with their currency", () => {
    expect(formatCompactMoney(150_000_000, "ja-JP", "JPY")).toBe("￥1.5億");
    expect(formatCompactMoney(150_000_000, "en-US", "JPY")).toBe("¥150M");
    expect(formatCompactMoney(0, "ja-JP", "JPY")).toBe("￥0");
  });

  it("formats money in the settings' currency", () => {
    expect(formatMoney(1234, "ja-JP", "JPY")).toMatch(/1,234/);
    expect(formatMoney(1234.5, "en-US", "USD")).toBe("$1,234.50");
    expect(formatMoney(null, "en-US", "USD")).toBe("—");
  });

  it("formats dates in the business time zone, not the browser's", () => {
    // 2025-01-31T20:00Z is already 1 February in Tokyo.
    expect(formatDate("2025-01-31T20:00:00Z", "en-US", "Asia/Tokyo")).toBe("Feb 1, 2025");
    expect(formatDate("2025-01-31T20:00:00Z", "en-US", "UTC")).toBe("Jan 31, 2025");
  });

  it("names a month as a month, in the business time zone", () => {
    // The month that starts at midnight 1 November in Tokyo.
    expect(formatMonth("2026-10-31T15:00:00Z", "ja-JP", "Asia/Tokyo")).toBe("2026年11月");
    expect(formatMonth("2026-10-31T15:00:00Z", "en-US", "Asia/Tokyo")).toBe("Nov 2026");
    expect(formatMonth(null, "en-US", "UTC")).toBe("—");
  });

  it("names a YYYY-MM month as the other months are named (「2025年12月」, not 「2025-12」)", () => {
    expect(formatYearMonth("2025-12", "ja-JP")).toBe("2025年12月");
    expect(formatYearMonth("2025-12", "en-US")).toBe("Dec 2025");
    expect(formatYearMonth("2026-01", "ja-JP")).toBe("2026年1月");
    // The same words as formatMonth gives the instant that starts that month in the business time zone.
    expect(formatYearMonth("2026-11", "ja-JP")).toBe(formatMonth("2026-10-31T15:00:00Z", "ja-JP", "Asia/Tokyo"));
    expect(formatYearMonth("2026-11", "en-US")).toBe(formatMonth("2026-10-31T15:00:00Z", "en-US", "Asia/Tokyo"));
    expect(formatYearMonth(null, "ja-JP")).toBe("—");
    expect(formatYearMonth("2025-Q4", "ja-JP")).toBe("2025-Q4");
  });

  it("names a cohort's month or calendar quarter, the Japanese quarter by its months", () => {
    expect(formatCohort("2025-12", "ja-JP")).toBe("2025年12月");
    expect(formatCohort("2025-12", "en-US")).toBe("Dec 2025");
    expect(formatCohort("2025-Q4", "ja-JP")).toBe("2025年10〜12月");
    expect(formatCohort("2024-Q1", "ja-JP")).toBe("2024年1〜3月");
    expect(formatCohort("2025-Q4", "en-US")).toBe("Q4 2025");
    expect(formatCohort(null, "en-US")).toBe("—");
  });

  it("writes a YYYY-MM-DD business day as the page's other dates, without shifting it by a time zone", () => {
    expect(formatPlainDate("2026-12-04", "ja-JP")).toBe("2026/12/04");
    expect(formatPlainDate("2026-12-04", "en-US")).toBe("Dec 4, 2026");
    expect(formatPlainDate("2026-01-01", "en-US")).toBe("Jan 1, 2026");
  });

  it("formats shares as percentages", () => {
    expect(formatPercent(0.1234, "en-US")).toBe("12.3%");
  });

  it("writes a negative value that rounds to zero without its minus sign", () => {
    expect(formatNumber(-0.04, "ja-JP", 1)).toBe("0.0");
    expect(formatPercent(-0.0004, "ja-JP")).toBe("0.0%");
    expect(formatMoney(-0.4, "ja-JP", "JPY")).toBe(formatMoney(0, "ja-JP", "JPY"));
    expect(formatNumber(-0.06, "ja-JP", 1)).toBe("-0.1");
  });
});

describe("formatRange", () => {
  it("joins a Japanese range with 〜 and no spaces, as the messages do", () => {
    expect(formatRange("10%", "20%", "ja-JP")).toBe("10%〜20%");
    expect(formatRange("2026/01/01", "2026/02/03", "ja-JP")).toBe("2026/01/01〜2026/02/03");
  });

  it("joins an English range with an en dash, spaced when the ends have spaces or signs", () => {
    expect(formatRange("1.20", "3.40", "en-US")).toBe("1.20–3.40");
    expect(formatRange("Jan 1, 2026", "Feb 3, 2026", "en-US")).toBe("Jan 1, 2026 – Feb 3, 2026");
    expect(formatRange("-1.2", "+3.4", "en-US")).toBe("-1.2 – +3.4");
  });
});

describe("joinSentences", () => {
  it("puts Japanese sentences side by side (no space after 。) and English ones a space apart, leaving out empty parts", () => {
    expect(joinSentences(["95%信頼区間付き。", "粗利率は設定の既定値です。", false, "ROIの区間は…。"], "ja-JP")).toBe("95%信頼区間付き。粗利率は設定の既定値です。ROIの区間は…。");
    expect(joinSentences(["With 95% intervals.", null, "The margin is the default."], "en-US")).toBe("With 95% intervals. The margin is the default.");
  });
});
