import { describe, expect, it } from "vitest";
import { buildForestOption, escapeHtml, FOREST_COLORS, forestColor, forestHeight, forestRows, formatPValue, comparisonMoneyVerdict, parseCompareIds, type Comparison, type ForestLabels } from "./compare.ts";

describe("compare ids in the address", () => {
  it("keeps numeric ids once, in order, at most ten", () => {
    expect(parseCompareIds("3, 1,3,abc,,2")).toEqual(["3", "1", "2"]);
    expect(parseCompareIds(["1,2", "4"])).toEqual(["1", "2", "4"]);
    expect(parseCompareIds(undefined)).toEqual([]);
    expect(parseCompareIds(Array.from({ length: 12 }, (_, i) => String(i + 1)).join(","))).toHaveLength(10);
  });
});

const lift = (relative: number | null, lower: number, upper: number, isSignificant: boolean) => ({
  metric: "CONVERSION" as const,
  control: 0.16,
  treatment: 0.26,
  difference: 0.1,
  differenceCi: { lower: 0.05, upper: 0.15 },
  relativeLift: relative,
  relativeLiftCi: relative === null ? null : { lower, upper },
  pValue: isSignificant ? 0.00004 : 0.4,
  isSignificant,
  verdict: isSignificant ? ("INCREASE" as const) : ("NO_DETECTABLE_CHANGE" as const),
  analysis: "FIXED_HORIZON" as const,
  relativeLiftMethod: "Fieller interval of the ratio from the same test statistic and critical value",
  relativeLiftMethodCode: "FIELLER",
});
const comparison = (id: string, over: Partial<Comparison> = {}): Comparison => ({
  campaign: { id, name: `Campaign ${id}`, status: "ACTED", channel: "EMAIL", segmentName: "At risk", segmentKey: null, primaryKpi: "CONVERSION", holdoutRatio: 0.3, launchedAt: null },
  hasResult: true,
  isProvisional: false,
  isSrmMismatch: false,
  treatmentN: 934,
  controlN: 401,
  primary: lift(0.64, 0.23, 1.05, true),
  conversion: lift(0.64, 0.23, 1.05, true),
  revenuePerCustomer: null,
  incrementalRevenue: 653_452,
  roi: 3.03,
  money: { roi: 3.03, roiCi: { lower: 0.4, upper: 5.7 }, probabilityRoiPositive: 0.99, isProfitable: true, netProfit: 120_000, netProfitCi: { lower: 20_000, upper: 220_000 }, campaignCost: 40_000, methodCode: "WELCH_T_LINEAR" },
  decision: "ADOPT",
  ...over,
});

describe("forest plot rows", () => {
  it("plots measured campaigns and says why the others are missing", () => {
    const split = forestRows([
      comparison("1"),
      comparison("3", { hasResult: false, primary: null, isProvisional: null }),
      comparison("4", { primary: lift(null, 0, 0, false) }),
      comparison("5", { isProvisional: true, primary: lift(-0.05, -0.3, 0.2, false) }),
    ]);
    expect(split.rows.map((r) => [r.id, r.lift, r.lower, r.upper, r.isProvisional])).toEqual([
      ["1", 0.64, 0.23, 1.05, false],
      ["5", -0.05, -0.3, 0.2, true],
    ]);
    expect(split.missing).toEqual([
      { id: "3", name: "Campaign 3", reason: "noResult" },
      { id: "4", name: "Campaign 4", reason: "noRelativeLift" },
    ]);
  });
});

const labels: ForestLabels = {
  axis: "Relative lift",
  noEffect: "no effect",
  interval: "95% CI",
  kpi: (k) => k,
  significant: "significant",
  notSignificant: "not significant",
  provisional: "provisional",
  percent: (v) => `${(v * 100).toFixed(1)}%`,
  axisPercent: (v) => `${Math.round(v * 100)}%`,
  pValue: (p) => `p = ${p}`,
  analysis: (a) => a,
  method: (code, text) => (code === "FIELLER" ? "Fieller の区間" : text),
};

describe("forest plot option", () => {
  const rows = forestRows([comparison("1"), comparison("2", { isProvisional: true, primary: lift(0.1, -0.2, 0.4, false) })]).rows;
  const option = buildForestOption(rows, labels) as {
    yAxis: { data: string[]; inverse: boolean };
    xAxis: { scale: boolean; axisLabel: { formatter: (v: number) => string } };
    series: [{ type: string; data: number[][]; encode: unknown }, { type: string; data: { value: number[]; itemStyle: { color: string; borderColor?: string } }[]; markLine: { data: unknown[] } }];
    tooltip: { formatter: (p: { dataIndex: number }) => string };
  };

  it("one category per campaign, first on top", () => {
    expect(option.yAxis.data).toEqual(["Campaign 1", "Campaign 2"]);
    expect(option.yAxis.inverse).toBe(true);
  });

  it("draws each interval and point estimate on the campaign's row, with a line at no effect", () => {
    expect(option.series[0].type).toBe("custom");
    expect(option.series[0].data).toEqual([[0, 0.23, 1.05], [1, -0.2, 0.4]]);
    expect(option.series[1].data.map((d) => d.value)).toEqual([[0.64, 0], [0.1, 1]]);
    expect(option.series[1].markLine.data).toEqual([{ xAxis: 0 }]);
    // The custom series' x dimensions are the interval ends, so the axis extent covers every interval.
    expect(option.series[0].encode).toEqual({ x: [1, 2], y: 0 });
    expect(option.xAxis.scale).toBe(false);
    expect(option.xAxis.axisLabel.formatter(0.5)).toBe("50%");
  });

  it("marks significance by colour and a provisional result as a hollow point", () => {
    expect(option.series[1].data[0]?.itemStyle.color).toBe("#0f766e");
    expect(option.series[1].data[1]?.itemStyle).toEqual({ color: "#fff", borderColor: "#d97706", borderWidth: 2 });
  });

  it("names the analysis and the interval's method, by its code, in the tooltip", () => {
    const html = option.tooltip.formatter({ dataIndex: 0 });
    expect(html).toContain("FIXED_HORIZON · Fieller の区間");
  });

  it("falls back to the API's text for a method without a code", () => {
    const [row] = forestRows([comparison("5", { primary: { ...lift(0.2, 0.1, 0.3, true), relativeLiftMethod: "delta method (old)", relativeLiftMethodCode: null } })]).rows;
    const html = (buildForestOption(row ? [row] : [], labels) as typeof option).tooltip.formatter({ dataIndex: 0 });
    expect(html).toContain("FIXED_HORIZON · delta method (old)");
  });

  it("never colours an interval that crosses 0 as significant, even if a stored verdict said so", () => {
    const [row] = forestRows([comparison("7", { primary: lift(0.329, -0.003, 0.66, true) })]).rows;
    expect(row && forestColor(row)).toBe(FOREST_COLORS.notSignificant);
    const [ok] = forestRows([comparison("8")]).rows;
    expect(ok && forestColor(ok)).toBe(FOREST_COLORS.significant);
  });

  it("tooltips escape campaign names", () => {
    const evil = forestRows([comparison("9", { campaign: { ...comparison("9").campaign, name: "<img src=x onerror=alert(1)>" } })]).rows;
    const html = (buildForestOption(evil, labels) as typeof option).tooltip.formatter({ dataIndex: 0 });
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("[23.0%, 105.0%]");
    expect(escapeHtml(`a&"'`)).toBe("a&amp;&quot;&#39;");
  });

  it("grows with the number of campaigns", () => {
    expect(forestHeight(1)).toBe("160px");
    expect(forestHeight(10)).toBe("640px");
  });
});

describe("money in the comparison", () => {
  const money = comparison("1").money as NonNullable<Comparison["money"]>;
  it("is a win only when the whole ROI interval is above 0", () => {
    expect(comparisonMoneyVerdict(money)).toBe("profitable");
    expect(comparisonMoneyVerdict({ ...money, roi: 0.8, roiCi: { lower: -0.2, upper: 1.8 }, isProfitable: false })).toBe("uncertain");
    expect(comparisonMoneyVerdict({ ...money, roi: -0.9, roiCi: { lower: -1.2, upper: -0.4 }, isProfitable: false })).toBe("loss");
    // No interval: a result from before intervals existed, or revenue without spread (nobody bought yet) — never "loss".
    expect(comparisonMoneyVerdict({ ...money, roiCi: null, isProfitable: false, methodCode: "LEGACY_NO_ROI_INTERVAL" })).toBe("noInterval");
    expect(comparisonMoneyVerdict({ ...money, roi: -1, roiCi: null, isProfitable: false })).toBe("noSpread");
    expect(comparisonMoneyVerdict({ ...money, campaignCost: 0, roi: null, roiCi: null })).toBe("noCost");
    expect(comparisonMoneyVerdict(null)).toBeNull();
  });
});

describe("p-values", () => {
  it("reads tiny p-values as below a thousandth", () => {
    expect(formatPValue(0.00004, "en-US")).toBe("p < 0.001");
    expect(formatPValue(0.0432, "en-US")).toBe("p = 0.043");
  });
});
