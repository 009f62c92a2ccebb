import { describe, expect, it } from "vitest";
import { bgNbdConditionalExpectedPurchases, bgNbdExpectedPurchases } from "./btyd/bg-nbd.ts";
import type { BtydModel } from "./clv.ts";
import { cumulativeTracking, frequencyBucketComparison, holdoutDiagnostics } from "./diagnostics.ts";
import { summarizeCalibrationHoldout } from "./summary.ts";
import { loadCdnowTransactions } from "./testing/cdnow.ts";

describe("holdout diagnostics on CDNOW (calibration weeks 1–39, holdout weeks 40–78)", () => {
  const rows = summarizeCalibrationHoldout(loadCdnowTransactions(), {
    calibrationEnd: "1997-09-30",
    holdoutEnd: "1998-06-30",
    timeUnit: "week",
  });
  const customers = rows.map((r) => ({ x: r.frequency, tx: r.recency, T: r.T, holdoutPurchases: r.holdoutPurchases }));
  const diagnostics = holdoutDiagnostics(customers, { holdoutLength: 39 });

  it("fits BG/NBD on the calibration period (the paper's estimates)", () => {
    expect(diagnostics.model.kind).toBe("bg-nbd");
    expect(diagnostics.logLikelihood).toBeCloseTo(-9582.43, 1);
  });

  it("compares predicted and actual holdout purchases per calibration frequency 0..7+ (Fig. 4)", () => {
    const buckets = diagnostics.byFrequency;
    expect(buckets.map((b) => b.frequency)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(buckets.at(-1)?.isOpenEnded).toBe(true);
    expect(buckets.reduce((s, b) => s + b.customers, 0)).toBe(2357);
    expect(buckets[0]).toMatchObject({ customers: 1411 });
    expect(buckets[0]?.actualMean).toBeCloseTo(0.2367, 3);
    expect(buckets[0]?.predictedMean).toBeCloseTo(0.2251, 3);
    // The model tracks the conditional expectations: within 0.4 purchases in every bucket, increasing in x.
    for (const b of buckets) expect(Math.abs(b.predictedMean - b.actualMean)).toBeLessThan(0.4);
    for (let k = 1; k < buckets.length; k += 1) expect(buckets[k]!.predictedMean).toBeGreaterThan(buckets[k - 1]!.predictedMean);
    // 1,882 holdout repeat purchases observed; the model predicts about 1,653.
    expect(diagnostics.totalActual).toBe(1882);
    expect(diagnostics.totalPredicted).toBeCloseTo(1653.4, 0);
  });

  it("tracks cumulative repeat purchases week by week within 5% after the first quarter (Fig. 2)", () => {
    const origin = Date.UTC(1997, 0, 1) / 86_400_000;
    const first = rows.map((r) => (Date.parse(r.firstPurchaseAt) / 86_400_000 - origin) / 7);
    const repeats = rows.flatMap((r, i) => r.repeatPurchaseTimes.map((t) => t + (first[i] ?? 0)));
    const curve = cumulativeTracking(diagnostics.model, { firstPurchaseTimes: first, repeatPurchaseTimes: repeats, end: 78 });
    expect(curve).toHaveLength(78);
    expect(curve.at(-1)?.actual).toBe(6696 - 2357);
    for (const point of curve.filter((p) => p.t >= 26)) {
      expect(Math.abs(point.predicted / point.actual - 1)).toBeLessThan(0.05);
    }
  });

  it("frequencyBucketComparison averages the model's conditional expectations", () => {
    const model: BtydModel = { kind: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } };
    const small = [
      { x: 0, tx: 0, T: 30, holdoutPurchases: 1 },
      { x: 9, tx: 20, T: 30, holdoutPurchases: 4 },
      { x: 12, tx: 29, T: 30, holdoutPurchases: 6 },
    ];
    const buckets = frequencyBucketComparison(model, small, 10, { maxBucket: 7 });
    expect(buckets[0]?.predictedMean).toBeCloseTo(bgNbdConditionalExpectedPurchases(model.params, 10, 0, 0, 30), 12);
    expect(buckets[7]).toMatchObject({ customers: 2, actualMean: 5 });
    expect(buckets[3]).toMatchObject({ customers: 0, actualMean: 0, predictedMean: 0 });
    const curve = cumulativeTracking(model, { firstPurchaseTimes: [0, 2], repeatPurchaseTimes: [1.5, 3], end: 4, step: 2 });
    expect(curve).toEqual([
      { t: 2, actual: 1, predicted: bgNbdExpectedPurchases(model.params, 2) },
      { t: 4, actual: 2, predicted: bgNbdExpectedPurchases(model.params, 4) + bgNbdExpectedPurchases(model.params, 2) },
    ]);
  });
});
