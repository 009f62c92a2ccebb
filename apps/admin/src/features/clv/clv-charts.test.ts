import { describe, expect, it } from "vitest";
import { holdoutOption, pAliveHistogramOption, type ClvChartText } from "./clv-charts.ts";

const text: ClvChartText = {
  customers: "顧客数",
  actual: "実績",
  predicted: "予測",
  frequency: "リピート回数",
  holdoutPurchases: "1 人あたり購入回数",
  percent: (v) => `${Math.round(v * 100)}%`,
  range: (from, to) => `${from}〜${to}`,
};
const bins = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, customers: 100 * (i + 1) }));

describe("P(alive) histogram", () => {
  it("labels every bin, the last one too (no automatic every-other-label interval)", () => {
    const option = pAliveHistogramOption(bins, text);
    expect(option.xAxis.data).toHaveLength(10);
    expect(option.xAxis.data.at(-1)).toContain("100%");
    expect(option.xAxis.axisLabel?.interval).toBe(0);
  });

  it("titles the y-axis with what it counts", () => {
    const option = pAliveHistogramOption(bins, text);
    expect(option.yAxis.name).toBe("顧客数");
  });
});

describe("holdout chart", () => {
  it("labels every repeat count, the open-ended last one too", () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ frequency: i, isOpenEnded: i === 7, actualMean: i, predictedMean: i }));
    const option = holdoutOption(rows, text);
    expect(option.xAxis.data.at(-1)).toBe("7+");
    expect(option.xAxis.axisLabel?.interval).toBe(0);
  });

  it("titles the y-axis with what the bars measure", () => {
    const option = holdoutOption([{ frequency: 0, isOpenEnded: false, actualMean: 0.1, predictedMean: 0.12 }], text);
    expect(option.yAxis.name).toBe("1 人あたり購入回数");
  });
});
