import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_RF_SEGMENT_MAP,
  RFM_SEGMENT_LABELS,
  quantileScores,
  rfMatrix,
  rfmSegment,
  scoreRfmByQuantiles,
  scoreRfmByThresholds,
} from "./rfm.ts";
import type { RfmInput, Score } from "./rfm.ts";

const customer = fc.record({
  customerId: fc.uuid(),
  recencyDays: fc.integer({ min: 0, max: 1000 }),
  frequency: fc.integer({ min: 1, max: 50 }),
  monetary: fc.double({ min: 0, max: 1e7, noNaN: true }),
});

describe("quantile scoring", () => {
  it("scores 1–5 in quintiles of distinct values, recency reversed", () => {
    expect(quantileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quantileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], false)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it("keeps ties together (score of the value's first occurrence)", () => {
    // 6 of 10 customers bought once: all of them score 1; the next value starts at the 60th percentile.
    expect(quantileScores([1, 1, 1, 1, 1, 1, 2, 2, 3, 9])).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
  });

  it("always yields scores in 1..5, equal values equal scores, better values never lower scores", () => {
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 200 }), (rows) => {
        const scores = scoreRfmByQuantiles(rows);
        return rows.every((a, i) =>
          rows.every((b, j) => {
            const sa = scores[i]!;
            const sb = scores[j]!;
            const inRange = [sa.r, sa.f, sa.m].every((s) => s >= 1 && s <= 5 && Number.isInteger(s));
            const monotone = (a.frequency <= b.frequency ? sa.f <= sb.f : true) && (a.recencyDays <= b.recencyDays ? sa.r >= sb.r : true);
            return inRange && monotone && (a.monetary === b.monetary ? sa.m === sb.m : true);
          }),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("does not depend on input order", () => {
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 100 }), fc.integer(), (rows, seed) => {
        const shuffled = [...rows].sort((a, b) => ((a.recencyDays * 31 + seed) % 97) - ((b.recencyDays * 31 + seed) % 97));
        const a = scoreRfmByQuantiles(rows).map((s) => JSON.stringify(s)).sort();
        const b = scoreRfmByQuantiles(shuffled).map((s) => JSON.stringify(s)).sort();
        return JSON.stringify(a) === JSON.stringify(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe("threshold scoring", () => {
  const rows: RfmInput[] = [
    { customerId: "a", recencyDays: 30, frequency: 1, monetary: 9_999 },
    { customerId: "b", recencyDays: 31, frequency: 2, monetary: 10_000 },
    { customerId: "c", recencyDays: 90, frequency: 4, monetary: 30_000 },
    { customerId: "d", recencyDays: 180, frequency: 9, monetary: 50_000 },
    { customerId: "e", recencyDays: 181, frequency: 10, monetary: 100_000 },
  ];

  it("applies R ≤30/≤60/≤90/≤180/>180, F 1/2/3–4/5–9/10+ and JPY monetary bands", () => {
    expect(scoreRfmByThresholds(rows).map(({ r, f, m }) => [r, f, m])).toEqual([
      [5, 1, 1],
      [4, 2, 2],
      [3, 3, 3],
      [2, 4, 4],
      [1, 5, 5],
    ]);
  });

  it("rejects thresholds that are not ascending", () => {
    expect(() => scoreRfmByThresholds(rows, { recencyDays: [30, 20, 90, 180], frequency: [2, 3, 5, 10], monetary: [1, 2, 3, 4] })).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});

describe("RF matrix and segments", () => {
  it("counts customers, revenue share and mean monetary per cell", () => {
    const { cells, customers, revenue } = rfMatrix([
      { r: 5, f: 5, monetary: 300 },
      { r: 5, f: 5, monetary: 100 },
      { r: 1, f: 1, monetary: 100 },
    ]);
    expect(customers).toBe(3);
    expect(revenue).toBe(500);
    expect(cells[4]?.[4]).toMatchObject({ customers: 2, revenue: 400, revenueShare: 0.8, meanMonetary: 200 });
    expect(cells[0]?.[0]).toMatchObject({ customers: 1, revenueShare: 0.2 });
    expect(cells[2]?.[2]).toMatchObject({ customers: 0, meanMonetary: 0 });
    expect(cells.flat()).toHaveLength(25);
  });

  it("names every cell with one of the eight default segments, each used at least once", () => {
    const used = new Set<string>();
    for (let r = 1; r <= 5; r += 1) for (let f = 1; f <= 5; f += 1) used.add(rfmSegment(r as Score, f as Score));
    expect([...used].sort()).toEqual(Object.keys(RFM_SEGMENT_LABELS).sort());
    expect(rfmSegment(5, 5)).toBe("champions");
    expect(rfmSegment(5, 1)).toBe("new");
    expect(rfmSegment(1, 1)).toBe("lost");
    expect(rfmSegment(1, 5)).toBe("at_risk");
    expect(RFM_SEGMENT_LABELS.champions).toEqual({ ja: "優良顧客", en: "Champions" });
    expect(DEFAULT_RF_SEGMENT_MAP).toHaveLength(5);
  });

  it("accepts an operator-defined map", () => {
    const map = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, () => (r >= 3 ? "active" : "inactive")) as [string, string, string, string, string]);
    expect(rfmSegment(4, 1, map)).toBe("active");
    expect(rfmSegment(2, 5, map)).toBe("inactive");
  });
});
