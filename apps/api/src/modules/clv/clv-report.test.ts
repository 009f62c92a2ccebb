// The predictions file rounds with a fast scale-and-round; it must print exactly what
// `Number(value.toFixed(digits))` prints, ties and large values included.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@ltvloop/scoring/testing/cdnow";
import { csvNumber } from "./clv-report.ts";


describe("csvNumber", () => {
  it("prints what toFixed rounding prints, for random values, halves and extremes", () => {
    const random = mulberry32(3);
    const values: number[] = [0, -0, 1e-7, -1e-7, 0.5, 1.5, 2.5, 0.00005, 0.000005, 1.00005, 123.45675, 1e11, 1e12, 123456789012.34567, 1e20, 1e22, -3.14159265, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** Math.floor(random() * 14 - 6);
      values.push((random() - 0.2) * magnitude);
      // Decimal halves at the rounding digit: the cases where scaling could round differently.
      values.push(Math.floor(random() * 1e6) / 1e4 + 0.00005);
      values.push(Math.floor(random() * 1e8) / 1e6 + 0.0000005);
    }
    for (const v of values) {
      for (const digits of [4, 6]) expect(csvNumber(v, digits)).toBe(String(Number(v.toFixed(digits))));
    }
    expect(csvNumber(null, 4)).toBe("");
    expect(csvNumber(Number.NaN, 4)).toBe("");
  });
});
