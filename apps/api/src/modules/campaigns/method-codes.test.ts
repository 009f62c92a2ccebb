import { readFileSync } from "node:fs";
import { MONEY_METHOD } from "@ltvloop/scoring/lift/money";
import { describe, expect, it } from "vitest";
import { DELIVERY_METHODS } from "./campaign-measure.delivery.ts";
import { fromMean, fromProportion, METHODS, winsorizedTestMethod } from "./campaign-measure.lift.ts";
import { LOYALTY_LIABILITY_METHOD } from "./campaign-measure.loyalty.ts";
import { LEGACY_METHODS, METHOD_CODES, methodCode, PROVISIONAL_REASONS, provisionalReasonCode } from "./method-codes.ts";
import { welchTest } from "@ltvloop/scoring/lift/mean";
import { twoProportionTest } from "@ltvloop/scoring/lift/proportion";

describe("method codes", () => {
  it("gives every text a measurement writes its own code", () => {
    const texts = [
      ...Object.values(METHODS),
      ...Object.values(DELIVERY_METHODS),
      ...Object.values(LEGACY_METHODS),
      LOYALTY_LIABILITY_METHOD,
      MONEY_METHOD,
      winsorizedTestMethod(99),
    ];
    const codes = texts.map(methodCode);
    expect(codes.filter((c) => c === null)).toEqual([]);
    expect(new Set(codes).size).toBe(texts.length);
    expect(new Set(codes)).toEqual(new Set(METHOD_CODES));
  });

  it("reads the codes of the lifts a fixed-horizon and a sequential look write", () => {
    const mean = welchTest({ n: 400, sum: 2000, sumSquares: 40000 }, { n: 400, sum: 1800, sumSquares: 36000 });
    const fixed = fromMean("revenue_per_customer", mean, null);
    expect([fixed.method, fixed.differenceMethod, fixed.relativeLiftMethod].map(methodCode)).toEqual(["WELCH_T", "WELCH_T_INTERVAL", "FIELLER"]);
    const prop = twoProportionTest({ n: 400, conversions: 60 }, { n: 400, conversions: 40 });
    const looks = [fromProportion(prop, { mixtureVariance: 0.001 }, { treatment: 400, control: 400 }), fromProportion(prop, { mixtureVariance: null }, { treatment: 400, control: 400 })];
    expect(looks.map((l) => [l.method, l.differenceMethod, l.relativeLiftMethod].map(methodCode))).toEqual([
      ["MIXTURE_SPRT_P", "CONFIDENCE_SEQUENCE_PLANNED", "FIELLER_SEQUENTIAL"],
      ["MIXTURE_SPRT_P", "CONFIDENCE_SEQUENCE_AT_LOOK", "FIELLER_SEQUENTIAL"],
    ]);
  });

  it("every code has a wording in the admin, in Japanese and in English", () => {
    for (const lang of ["ja", "en"]) {
      const file = new URL(`../../../../admin/src/i18n/locales/${lang}/campaign-trust.json`, import.meta.url);
      const methods = (JSON.parse(readFileSync(file, "utf8")) as { campaignTrust: { methods: Record<string, string> } }).campaignTrust.methods;
      expect(Object.keys(methods).sort(), lang).toEqual([...METHOD_CODES].sort());
    }
  });

  it("codes every provisional reason a measurement writes, stored texts of earlier versions included", () => {
    const at = new Date("2026-12-04T10:00:00Z");
    expect(provisionalReasonCode(PROVISIONAL_REASONS.windowOpen(new Date("2027-01-03T00:00:00Z"), at))).toBe("WINDOW_OPEN");
    expect(provisionalReasonCode(PROVISIONAL_REASONS.ordersIncomplete(at, "admin"))).toBe("ORDERS_INCOMPLETE_WATERMARK");
    expect(provisionalReasonCode(PROVISIONAL_REASONS.ordersIncomplete(at, "import"))).toBe("ORDERS_INCOMPLETE_IMPORTS");
    expect(provisionalReasonCode(PROVISIONAL_REASONS.legacy)).toBe("WINDOW_OPEN");
    expect(provisionalReasonCode("Measured on a holiday.")).toBe("OTHER");
  });

  it("has no code for a text no version wrote, so a client shows the text itself", () => {
    expect(methodCode("bootstrap percentile interval")).toBeNull();
    expect(methodCode(`${METHODS.sequentialTest} (fixed-horizon test`)).toBeNull();
    expect(methodCode("")).toBeNull();
    expect(methodCode(null)).toBeNull();
  });
});
