import { describe, expect, it } from "vitest";
import { PurchaseLog } from "./purchase-log.ts";
import { calendarDay, summarizeCalibrationHoldout } from "./summary.ts";
import { loadCdnowTransactions, mulberry32 } from "./testing/cdnow.ts";

function logOf(transactions: ReturnType<typeof loadCdnowTransactions>): PurchaseLog {
  const log = new PurchaseLog();
  for (const t of transactions) log.add(log.customerIndex(t.customerId), calendarDay(t.at), t.amount);
  return log;
}

describe("PurchaseLog", () => {
  const transactions = loadCdnowTransactions();
  const expected = summarizeCalibrationHoldout(transactions, { calibrationEnd: "1997-09-30", holdoutEnd: "1998-06-30", timeUnit: "week" });

  it.each([
    ["in file order", transactions],
    ["shuffled", (() => {
      const random = mulberry32(7);
      const copy = [...transactions];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    })()],
  ])("summarises CDNOW %s exactly as summarizeCalibrationHoldout", (_label, rows) => {
    const log = logOf(rows);
    const s = log.summarize({ calibrationEnd: calendarDay("1997-09-30"), holdoutEnd: calendarDay("1998-06-30"), unitDays: 7 });
    expect(s.n).toBe(expected.length);
    expect(s.customersAfterCalibration).toBe(0);
    const byId = new Map(expected.map((e) => [e.customerId, e]));
    for (let i = 0; i < s.n; i++) {
      const e = byId.get(log.id(s.customer[i] ?? -1));
      expect(e).toBeDefined();
      expect(s.frequency[i]).toBe(e?.frequency);
      expect(s.recency[i]).toBeCloseTo(e?.recency ?? NaN, 12);
      expect(s.T[i]).toBeCloseTo(e?.T ?? NaN, 12);
      expect(s.monetaryValue[i]).toBeCloseTo(e?.monetaryValue ?? NaN, 9);
      expect(s.holdoutPurchases[i]).toBe(e?.holdoutPurchases);
    }
  });

  it("leaves out customers first seen after the calibration end and merges same-day rows", () => {
    const log = new PurchaseLog();
    const a = log.customerIndex("a");
    const b = log.customerIndex("b");
    log.add(a, 10, 5);
    log.add(a, 12, 1);
    log.add(a, 10, 2);
    log.add(a, 12, 3);
    log.add(b, 20, 9);
    const s = log.summarize({ calibrationEnd: 15, holdoutEnd: 30, unitDays: 1 });
    expect(log.transactions).toBe(5);
    expect(s.n).toBe(1);
    expect(s.customersAfterCalibration).toBe(1);
    expect([s.frequency[0], s.recency[0], s.T[0], s.monetaryValue[0]]).toEqual([1, 2, 5, 4]);
  });

  it("keys plain decimal ids by value: a customer per distinct id, found again after the index grows", () => {
    const log = new PurchaseLog();
    const random = mulberry32(11);
    const ids = Array.from({ length: 50_000 }, (_, i) => (i % 3 === 0 ? Math.floor(random() * 1e15) : i * 7919));
    const first = new Map<number, number>();
    for (const id of ids) {
      const c = log.numericCustomerIndex(id);
      if (!first.has(id)) first.set(id, c);
      expect(c).toBe(first.get(id));
    }
    expect(log.customers).toBe(first.size);
    for (const [id, c] of first) {
      expect(log.customerIndex(String(id))).toBe(c);
      expect(log.id(c)).toBe(String(id));
    }
    // Text that is not a plain decimal is another customer.
    const padded = log.customerIndex("0007919");
    expect(padded).toBe(first.size);
    expect(log.id(padded)).toBe("0007919");
  });
});
