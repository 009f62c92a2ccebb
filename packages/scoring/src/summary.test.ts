import { describe, expect, it } from "vitest";
import { ScoringError } from "./errors.ts";
import { calendarDay, formatDay, summarizeCalibrationHoldout, summarizeTransactions } from "./summary.ts";
import { loadCdnowSummaryCsv, loadCdnowTransactions } from "./testing/cdnow.ts";

describe("summarizeTransactions on CDNOW", () => {
  const transactions = loadCdnowTransactions();
  const summary = summarizeTransactions(transactions, { observationEnd: "1997-09-30", timeUnit: "week" });

  it("reproduces every row of cdnow_customers_summary.csv to 2 decimals", () => {
    const csv = loadCdnowSummaryCsv();
    expect(csv).toHaveLength(2357);
    expect(summary).toHaveLength(2357);
    const byId = new Map(summary.map((s) => [s.customerId, s]));
    const mismatches = csv.filter((row) => {
      const s = byId.get(row.id);
      return (
        s === undefined ||
        s.frequency !== row.frequency ||
        Number(s.recency.toFixed(2)) !== row.recency ||
        Number(s.T.toFixed(2)) !== row.T
      );
    });
    expect(mismatches).toEqual([]);
  });

  it("has the data README's totals: 2,457 repeat purchases, 946 repeat buyers", () => {
    expect(summary.reduce((s, c) => s + c.frequency, 0)).toBe(2457);
    expect(summary.filter((c) => c.frequency > 0)).toHaveLength(946);
    // $244,091.94 is the whole file; the 4,960 calibration rows sum to $173,115.55.
    expect(transactions.reduce((s, t) => s + t.amount, 0)).toBeCloseTo(244_091.94, 2);
    expect(summary.reduce((s, c) => s + c.totalSpend, 0)).toBeCloseTo(173_115.55, 2);
  });

  it("reports customer 1 with spend of the repeat day only as monetary value", () => {
    const c = summary.find((s) => s.customerId === "1");
    expect(c).toMatchObject({ frequency: 2, firstPurchaseAt: "1997-01-01", lastPurchaseAt: "1997-08-02", purchaseDays: 3 });
    // Repeat days 1997-01-18 (29.73) and 1997-08-02 (14.96); the December purchase is after the end.
    expect(c?.monetaryValue).toBeCloseTo((29.73 + 14.96) / 2, 10);
    expect(c?.totalSpend).toBeCloseTo(29.33 + 29.73 + 14.96, 10);
  });
});

describe("summarizeTransactions rules", () => {
  it("collapses purchases on the same Tokyo calendar day and sums their spend", () => {
    const rows = summarizeTransactions(
      [
        { customerId: "a", at: "2024-01-01T01:00:00+09:00", amount: 100 },
        { customerId: "a", at: "2024-01-01T23:30:00+09:00", amount: 50 },
        // 2024-01-01T15:30Z is 2024-01-02 00:30 in Tokyo: a new day there.
        { customerId: "a", at: "2024-01-01T15:30:00Z", amount: 70 },
      ],
      { observationEnd: "2024-01-08", timeUnit: "day" },
    );
    expect(rows).toEqual([
      expect.objectContaining({ frequency: 1, recency: 1, T: 7, monetaryValue: 70, totalSpend: 220, purchaseDays: 2 }),
    ]);
  });

  it("uses the given time zone for local days", () => {
    const tx = [
      { customerId: "a", at: "2024-01-01T12:00:00Z", amount: 1 },
      { customerId: "a", at: "2024-01-02T02:00:00Z", amount: 1 },
    ];
    // New York: 07:00 Jan 1 and 21:00 Jan 1 → one day. Tokyo: 21:00 Jan 1 and 11:00 Jan 2 → two days.
    expect(summarizeTransactions(tx, { observationEnd: "2024-01-10", timeZone: "America/New_York" })[0]?.frequency).toBe(0);
    expect(summarizeTransactions(tx, { observationEnd: "2024-01-10", timeZone: "Asia/Tokyo" })[0]?.frequency).toBe(1);
  });

  it("takes plain dates and Dates at UTC midnight as the calendar day they name, in any zone", () => {
    expect(formatDay(calendarDay("1997-01-01", "America/Los_Angeles"))).toBe("1997-01-01");
    expect(formatDay(calendarDay(new Date(Date.UTC(1997, 0, 1)), "America/Los_Angeles"))).toBe("1997-01-01");
    expect(formatDay(calendarDay(new Date("1997-01-01T20:00:00Z"), "Asia/Tokyo"))).toBe("1997-01-02");
  });

  it("ignores transactions after observationEnd and measures T to the inclusive end day", () => {
    const rows = summarizeTransactions(
      [
        { customerId: "a", at: "2024-01-01", amount: 10 },
        { customerId: "a", at: "2024-01-15", amount: 20 },
        { customerId: "a", at: "2024-01-16", amount: 999 },
      ],
      { observationEnd: "2024-01-15", timeUnit: "week" },
    );
    expect(rows[0]).toMatchObject({ frequency: 1, recency: 2, T: 2, monetaryValue: 20, totalSpend: 30 });
  });

  it("counts a zero-amount purchase as a purchase day", () => {
    const rows = summarizeTransactions(
      [
        { customerId: "a", at: "2024-01-01", amount: 10 },
        { customerId: "a", at: "2024-01-05", amount: 0 },
      ],
      { observationEnd: "2024-01-10", timeUnit: "day" },
    );
    expect(rows[0]).toMatchObject({ frequency: 1, recency: 4, monetaryValue: 0 });
  });

  it("rejects negative amounts and invalid dates with a ScoringError code", () => {
    const negative = () => summarizeTransactions([{ customerId: "a", at: "2024-01-01", amount: -5 }], { observationEnd: "2024-01-10" });
    expect(negative).toThrow(ScoringError);
    expect(negative).toThrow(expect.objectContaining({ code: "NEGATIVE_AMOUNT" }));
    const badDate = () => summarizeTransactions([{ customerId: "a", at: "2024-02-30", amount: 5 }], { observationEnd: "2024-03-10" });
    expect(badDate).toThrow(expect.objectContaining({ code: "INVALID_DATE" }));
    const badZone = () => summarizeTransactions([{ customerId: "a", at: "2024-02-01T10:00:00Z", amount: 5 }], { observationEnd: "2024-03-10", timeZone: "Mars/Base" });
    expect(badZone).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});

describe("summarizeCalibrationHoldout", () => {
  it("counts CDNOW holdout purchase days (weeks 40–78) for the calibration cohort", () => {
    const rows = summarizeCalibrationHoldout(loadCdnowTransactions(), {
      calibrationEnd: "1997-09-30",
      holdoutEnd: "1998-06-30",
      timeUnit: "week",
    });
    expect(rows).toHaveLength(2357);
    const c1 = rows.find((r) => r.customerId === "1");
    expect(c1).toMatchObject({ frequency: 2, holdoutPurchases: 1 });
    expect(c1?.repeatPurchaseTimes.map((t) => Math.round(t * 7))).toEqual([17, 213, 345]);
    // 6,696 distinct customer-days in the file, minus 2,357 first days, are repeat purchases.
    const totalRepeat = rows.reduce((s, r) => s + r.frequency + r.holdoutPurchases, 0);
    expect(totalRepeat).toBe(6696 - 2357);
  });
});
