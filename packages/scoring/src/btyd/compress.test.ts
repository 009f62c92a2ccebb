import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cdnowCalibration } from "../testing/cdnow-fixture.ts";
import { compressSummaries, compressTriples } from "./compress.ts";

describe("compressTriples", () => {
  it("merges identical triples and keeps the total weight", () => {
    const rows = [
      { x: 1, tx: 2, T: 5 },
      { x: 1, tx: 2, T: 5 },
      { x: 0, tx: 0, T: 5, weight: 3 },
      { x: 1, tx: 2, T: 6 },
    ];
    expect(compressTriples(rows)).toEqual([
      { x: 1, tx: 2, T: 5, weight: 2 },
      { x: 0, tx: 0, T: 5, weight: 3 },
      { x: 1, tx: 2, T: 6, weight: 1 },
    ]);
  });

  it("turns CDNOW's 2,357 customers into far fewer unique triples", () => {
    const compressed = compressSummaries(cdnowCalibration());
    expect(compressed.reduce((s, t) => s + t.weight, 0)).toBe(2357);
    expect(compressed.length).toBeLessThan(1100);
  });

  it("rejects impossible statistics", () => {
    expect(() => compressTriples([{ x: 1.5, tx: 0, T: 1 }])).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    expect(() => compressTriples([{ x: 1, tx: 3, T: 1 }])).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });

  it("is a multiset operation: any permutation gives the same weights per triple", () => {
    const triple = fc.record({ x: fc.integer({ min: 0, max: 3 }), tx: fc.constantFrom(0, 1, 2), T: fc.constantFrom(2, 3) });
    fc.assert(
      fc.property(fc.array(triple), fc.integer(), (rows, seed) => {
        const shuffled = [...rows].sort((a, b) => ((a.x * 7 + a.tx * 3 + a.T + seed) % 5) - ((b.x * 7 + b.tx * 3 + b.T + seed) % 5));
        const key = (t: { x: number; tx: number; T: number }) => `${t.x}|${t.tx}|${t.T}`;
        const asMap = (ts: { x: number; tx: number; T: number; weight: number }[]) => new Map(ts.map((t) => [key(t), t.weight]));
        const a = asMap(compressTriples(rows));
        const b = asMap(compressTriples(shuffled));
        return a.size === b.size && [...a].every(([k, w]) => b.get(k) === w) && [...a.values()].reduce((s, w) => s + w, 0) === rows.length;
      }),
    );
  });
});
