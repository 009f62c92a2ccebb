import { describe, expect, it } from "vitest";
import { formatMoney, formatNumber, formatPercent } from "../../shared/format.ts";
import { textWidth } from "../../shared/label-wrap.ts";
import {
  COLORS,
  compareStrata,
  counterfactual,
  cumulativeOption,
  cumulativeSeries,
  defaultSeriesMetric,
  didOption,
  didRange,
  forestOption,
  forestRows,
  renderInterval,
  type RenderApi,
  type ResultLifts,
} from "./charts.ts";
import { lastDay } from "../../shared/zoned-date.ts";
import { direction, formatP, formatPValue, interpretDid, interpretLift, interpretMoney, payback, roiInterval, strataSummary, type LiftLike, type StatFormat } from "./interpret.ts";

const fmt: StatFormat = {
  percent: (v, d) => formatPercent(v, "en-US", d),
  number: (v, d) => formatNumber(v, "en-US", d),
  money: (v) => formatMoney(v, "en-US", "JPY"),
  points: (v) => `${formatNumber(v * 100, "en-US", 1)} pt`,
};

const lift = (metric: LiftLike["metric"], o: Partial<LiftLike> = {}): LiftLike => ({
  metric,
  control: 0.348,
  treatment: 0.3666,
  difference: 0.0186,
  differenceCi: { lower: -0.0251, upper: 0.0622 },
  relativeLift: 0.0534,
  relativeLiftCi: { lower: -0.0768, upper: 0.1835 },
  pValue: 0.4066,
  isSignificant: false,
  ...o,
});

// The demo coupon campaign's latest result (revenue per customer is its primary KPI).
const result: ResultLifts = {
  primary: { metric: "REVENUE_PER_CUSTOMER" },
  conversion: lift("CONVERSION"),
  revenuePerCustomer: lift("REVENUE_PER_CUSTOMER", {
    control: 2996.35,
    treatment: 4297.46,
    difference: 1301.11,
    differenceCi: { lower: 650.83, upper: 1951.39 },
    relativeLift: 0.4342,
    relativeLiftCi: { lower: 0.1525, upper: 0.7159 },
    pValue: 9.1e-5,
    isSignificant: true,
  }),
  ordersPerCustomer: lift("ORDERS_PER_CUSTOMER", { difference: 0.3135, relativeLift: 0.6049, relativeLiftCi: { lower: 0.3722, upper: 0.8375 }, isSignificant: true, pValue: 8.5e-12 }),
  revenuePerCustomerWinsorized: { ...lift("REVENUE_PER_CUSTOMER", { difference: 1338.3, relativeLift: 0.4661, isSignificant: true }), percentile: 0.99 },
  cuped: [
    { metric: "ORDERS_PER_CUSTOMER", varianceReduction: 0.0178, lift: lift("ORDERS_PER_CUSTOMER", { isSignificant: true, difference: 0.31 }) },
    { metric: "CONVERSION", varianceReduction: 0.0054, lift: lift("CONVERSION") },
    { metric: "REVENUE_PER_CUSTOMER", varianceReduction: 0.0496, lift: lift("REVENUE_PER_CUSTOMER", { relativeLift: null, relativeLiftCi: null }) },
  ],
};

describe("readings", () => {
  it("calls a lift up or down only when it is significant", () => {
    expect(direction({ isSignificant: true, difference: 0.02 })).toBe("up");
    expect(direction({ isSignificant: true, difference: -0.02 })).toBe("down");
    expect(direction({ isSignificant: false, difference: 0.5 })).toBe("flat");
  });

  it("writes p-values the way analysts do", () => {
    expect(formatPValue(0.0981, fmt)).toBe("0.098");
    expect(formatPValue(0.0002, fmt)).toBe("< 0.001");
    expect(formatPValue(null, fmt)).toBe("—");
    expect(formatP(0.40659, fmt)).toBe("p = 0.407");
    expect(formatP(9.1e-5, fmt)).toBe("p < 0.001");
    expect(formatP(null, fmt)).toBe("p = —");
  });

  it("a significant revenue lift: amount, percent and the relative CI", () => {
    const r = interpretLift(result.revenuePerCustomer, fmt);
    expect(r.key).toBe("up");
    expect(r.params).toEqual({ diff: "¥1,301", rel: "+43.4%", lo: "+15.3%", hi: "+71.6%", p: "p < 0.001" });
  });

  it("a non-significant conversion change keeps its sign and says flat", () => {
    const r = interpretLift(result.conversion, fmt);
    expect(r.key).toBe("flat");
    expect(r.params["diff"]).toBe("+1.9 pt");
    expect(r.params["lo"]).toBe("-7.7%");
  });

  it("a change that rounds to zero is written 0.0, without a sign (it read 「-0.0 ポイント」)", () => {
    const r = interpretLift(lift("CONVERSION", { difference: -0.0004, relativeLift: -0.001 }), fmt);
    expect(r.params["diff"]).toBe("0.0 pt");
    expect(r.params["rel"]).toBe("-0.1%");
    expect(interpretLift(lift("CONVERSION", { difference: 0.0004 }), fmt).params["diff"]).toBe("0.0 pt");
  });

  it("a significant decrease reads as a magnitude", () => {
    const r = interpretLift(lift("CONVERSION", { difference: -0.03, relativeLift: -0.1, relativeLiftCi: { lower: -0.15, upper: -0.05 }, isSignificant: true, pValue: 0.01 }), fmt);
    expect(r.key).toBe("down");
    expect(r.params["diff"]).toBe("3.0 pt");
    expect(r.params["rel"]).toBe("-10.0%");
  });

  it("without a relative lift (control 0) it falls back to the absolute difference", () => {
    const r = interpretLift(lift("ORDERS_PER_CUSTOMER", { relativeLift: null, relativeLiftCi: null, difference: 0.12, differenceCi: { lower: 0.05, upper: 0.19 }, isSignificant: true }), fmt);
    expect(r.key).toBe("upAbs");
    expect(r.params).toMatchObject({ diff: "0.120", lo: "+0.050", hi: "+0.190" });
  });

  it("difference-in-differences", () => {
    const did = { metric: "REVENUE_PER_CUSTOMER" as const, treatmentPre: 3053.89, treatmentPost: 4297.46, controlPre: 2859.38, controlPost: 2996.35, estimate: 1106.59, ci: { lower: 346.15, upper: 1867.03 }, pValue: 0.0044, isSignificant: true };
    expect(interpretDid(did, fmt)).toEqual({ key: "did.up", direction: "up", params: { diff: "+¥1,107", lo: "+¥346", hi: "+¥1,867", p: "p = 0.004" } });
    expect(interpretDid({ ...did, isSignificant: false }, fmt).key).toBe("did.flat");
  });
});

describe("money", () => {
  const money = { incrementalRevenue: 1994600, incrementalRevenueCi: { lower: 997718, upper: 2991483 }, incrementalGrossProfit: 598380, incrementalGrossProfitCi: { lower: 299315, upper: 897445 }, campaignCost: 50000, roi: 10.9676, margin: 0.3 };

  it("derives ROI's interval from the gross profit interval", () => {
    const ci = roiInterval(money);
    expect(ci?.lower).toBeCloseTo((299315 - 50000) / 50000, 10);
    expect(ci?.upper).toBeCloseTo((897445 - 50000) / 50000, 10);
    // The point ROI lies inside it, as it must: ROI is monotone in gross profit.
    expect(money.roi).toBeGreaterThan(ci!.lower);
    expect(money.roi).toBeLessThan(ci!.upper);
    expect(roiInterval({ ...money, campaignCost: 0 })).toBeNull();
    expect(roiInterval({ ...money, incrementalGrossProfitCi: null })).toBeNull();
  });

  it("is firm about paying back only when the whole interval is on one side of the cost", () => {
    expect(payback(money)).toBe("profitable");
    expect(payback({ ...money, campaignCost: 400000 })).toBe("uncertain");
    expect(payback({ ...money, campaignCost: 900000 })).toBe("loss");
    expect(payback({ ...money, incrementalGrossProfitCi: null, campaignCost: 400000 })).toBe("profitableEstimate");
    expect(payback({ ...money, incrementalGrossProfitCi: null, campaignCost: 700000 })).toBe("lossEstimate");
    expect(payback({ ...money, campaignCost: 0 })).toBe("noCost");
    expect(interpretMoney(money, fmt)).toMatchObject({ key: "money.profitable", params: { lo: "¥299,315", cost: "¥50,000" } });
  });
});

describe("strata", () => {
  it("counts tested and significant cells by direction", () => {
    const s = strataSummary([
      { difference: 0.05, pValue: 0.001, isSignificant: true },
      { difference: -0.04, pValue: 0.002, isSignificant: true },
      { difference: 0.01, pValue: 0.6, isSignificant: false },
      { difference: null, pValue: null, isSignificant: false },
    ]);
    expect(s).toEqual({ cells: 4, tested: 3, significant: 2, up: 1, down: 1 });
  });

  it("orders RF cells like the RF matrix: R descending, then F descending", () => {
    expect(["R3F4", "R5F3", "R3F5", "R4F4", "other"].sort(compareStrata)).toEqual(["R5F3", "R4F4", "R3F5", "R3F4", "other"]);
  });
});

describe("forest plot", () => {
  it("lists plain, winsorised then CUPED estimates, primary flagged", () => {
    const rows = forestRows(result);
    expect(rows.map((r) => r.id)).toEqual([
      "CONVERSION",
      "REVENUE_PER_CUSTOMER",
      "ORDERS_PER_CUSTOMER",
      "REVENUE_PER_CUSTOMER:winsorized",
      "CONVERSION:cuped",
      "REVENUE_PER_CUSTOMER:cuped",
      "ORDERS_PER_CUSTOMER:cuped",
    ]);
    expect(rows.filter((r) => r.isPrimary).map((r) => r.id)).toEqual(["REVENUE_PER_CUSTOMER"]);
    expect(rows[5]?.varianceReduction).toBe(0.0496);
  });

  it("plots each estimate with its interval on its own row, coloured by significance, with a zero line", () => {
    const rows = forestRows(result);
    const labels = rows.map((r) => r.id);
    const option = forestOption(rows, { labels, tooltips: rows.map((r) => `${r.id}\n<b>`), percent: (v) => fmt.percent(v, 0) });
    expect(option.yAxis.data).toEqual(labels);
    expect(option.yAxis.inverse).toBe(true);
    const [ci, points] = option.series;
    // The CUPED revenue row has no relative lift (control 0): no mark, label kept.
    expect(points?.data.map((p) => p.value[1])).toEqual([0, 1, 2, 3, 4, 6]);
    expect(ci?.data[1]).toEqual({ value: [0.1525, 0.7159, 1], itemStyle: { color: COLORS.up } });
    expect(ci?.data[0]?.itemStyle.color).toBe(COLORS.flat);
    const sizes = (points?.data ?? []).map((p) => (p as { symbolSize?: number }).symbolSize ?? 0);
    expect(sizes[1]).toBeGreaterThan(sizes[0] ?? 0);
    expect((points as { markLine: { data: unknown[] } }).markLine.data).toEqual([{ xAxis: 0 }]);
    expect(option.yAxis.axisLabel.formatter("Revenue", 1)).toBe("{primary|Revenue}");
    expect(option.yAxis.axisLabel.formatter("Conversion", 0)).toBe("Conversion");
    expect(option.tooltip.formatter({ value: [0.1525, 0.7159, 1] })).toBe("REVENUE_PER_CUSTOMER<br>&lt;b&gt;");
  });

  it("on a phone wraps the labels between words, never inside brackets, within the label column", () => {
    const rows = forestRows(result);
    const ja: Record<string, string> = { CONVERSION: "購入率", REVENUE_PER_CUSTOMER: "顧客あたり売上", ORDERS_PER_CUSTOMER: "顧客あたり注文数" };
    const en: Record<string, string> = { CONVERSION: "Conversion", REVENUE_PER_CUSTOMER: "Revenue per customer", ORDERS_PER_CUSTOMER: "Orders per customer" };
    const jaLabels = rows.map((r) => (r.kind === "cuped" ? `${ja[r.metric]}（CUPED 補正）` : r.kind === "winsorized" ? `${ja[r.metric]}（上位 99% で打ち切り）` : (ja[r.metric] ?? "")));
    const enLabels = rows.map((r) => (r.kind === "cuped" ? `${en[r.metric]} (CUPED)` : r.kind === "winsorized" ? `${en[r.metric]} (capped at 99%)` : (en[r.metric] ?? "")));
    expect(jaLabels).toContain("購入率（CUPED 補正）");
    for (const labels of [jaLabels, enLabels]) {
      const option = forestOption(rows, { labels, tooltips: labels, percent: (v) => fmt.percent(v, 0), narrow: true });
      const axisLabel = option.yAxis.axisLabel as { formatter: (v: string, i: number) => string; width?: number; fontSize?: number };
      expect(axisLabel.width).toBeGreaterThanOrEqual(110);
      expect(axisLabel.width).toBeLessThanOrEqual(154);
      labels.forEach((label, i) => {
        const lines = axisLabel.formatter(label, i).replace(/^\{primary\|([\s\S]*)\}$/, "$1").split("\n");
        expect(lines.join(" ").replace(/ /g, "")).toBe(label.replace(/ /g, ""));
        for (const line of lines) {
          // Each line fits the column (by a generous estimate), so ECharts has nothing left to break.
          expect(textWidth(line, axisLabel.fontSize ?? 12)).toBeLessThanOrEqual(axisLabel.width ?? 0);
          // A bracketed part is on one line: no line opens a bracket it does not close, or closes one it did not open.
          expect(line).not.toMatch(/^[^（(]*[）)]/);
          expect(line).not.toMatch(/[（(][^）)]*$/);
        }
      });
    }
  });

  it("draws an interval from its lower to its upper bound with caps", () => {
    const api: RenderApi = {
      value: (d) => [0.1, 0.5, 2][d] as number,
      coord: ([x, y]) => [100 + x * 100, 20 + y * 30],
      size: () => [0, 30],
      visual: () => "#123456",
    };
    const shape = renderInterval(null, api);
    expect(shape.children[0]?.shape).toEqual({ x1: 110, y1: 80, x2: 150, y2: 80 });
    expect(shape.children[1]?.shape).toEqual({ x1: 110, y1: 72.5, x2: 110, y2: 87.5 });
    expect(shape.children[0]?.style.stroke).toBe("#123456");
  });
});

describe("before/after chart", () => {
  const did = { metric: "CONVERSION" as const, treatmentPre: 0.3438, treatmentPost: 0.3666, controlPre: 0.3617, controlPost: 0.348, estimate: 0.0365, ci: { lower: -0.023, upper: 0.096 }, pValue: 0.2288, isSignificant: false };

  it("draws the counterfactual path by parallel trends; the gap is the DiD estimate", () => {
    expect(counterfactual(did)).toBeCloseTo(0.3438 + (0.348 - 0.3617), 12);
    expect(did.treatmentPost - counterfactual(did)).toBeCloseTo(did.estimate, 3);
    const labels = { pre: "Pre", post: "Post", treatment: "T", control: "C", counterfactual: "CF", effect: "effect" };
    const option = didOption(did, { labels, value: (v) => fmt.percent(v, 1), difference: (v) => fmt.points(v) });
    expect(option.xAxis.data).toEqual(["Pre", "Post"]);
    expect(option.series.map((s) => s.name)).toEqual(["T", "C", "CF"]);
    expect(option.series[0]?.data).toEqual([0.3438, 0.3666]);
    expect(option.series[2]?.data[1]).toBeCloseTo(counterfactual(did), 12);
    const gap = option.series[0]?.markLine?.data[0];
    expect(gap?.[0]?.coord[1]).toBeCloseTo(counterfactual(did), 12);
    expect(gap?.[1]?.coord).toEqual([1, 0.3666]);
    expect(option.series[0]?.markLine?.lineStyle.color).toBe(COLORS.flat);
    expect(option.series[0]?.markLine?.tooltip.formatter).toBe("effect 3.7 pt");
    expect(option.xAxis.axisLabel.interval).toBe(0);
    // Room above the highest and below the lowest point for their labels (they sat on the axis).
    expect(option.yAxis.min).toBeLessThan(Math.min(did.treatmentPre, did.controlPre, did.controlPost));
    expect(option.yAxis.max).toBeGreaterThan(Math.max(did.treatmentPost, did.controlPost));
  });

  it("gives an all-zero DiD chart a range around zero without negative tick labels", () => {
    const range = didRange([0, 0, 0, 0, 0]);
    expect(range.min).toBeLessThan(0);
    expect(range.max).toBeGreaterThan(0);
    expect(range.hideNegative).toBe(true);
  });
});

describe("cumulative chart", () => {
  const points = [
    { day: 1, date: "2026-09-02T15:00:00.000Z", treatmentConversion: 0.04, controlConversion: 0.03, treatmentRevenuePerCustomer: 300, controlRevenuePerCustomer: 250 },
    { day: 0, date: "2026-09-01T15:00:00.000Z", treatmentConversion: 0.02, controlConversion: 0.018, treatmentRevenuePerCustomer: 158, controlRevenuePerCustomer: 161 },
  ];

  it("orders days and takes treatment − control per day", () => {
    const s = cumulativeSeries(points, "REVENUE_PER_CUSTOMER");
    expect(s.dates).toEqual(["2026-09-01T15:00:00.000Z", "2026-09-02T15:00:00.000Z"]);
    expect(s.difference).toEqual([-3, 50]);
    expect(cumulativeSeries(points, "CONVERSION").difference[1]).toBeCloseTo(0.01, 12);
  });

  it("puts the groups on the left axis and their difference as bars on the right", () => {
    const option = cumulativeOption(points, "CONVERSION", {
      labels: { treatment: "T", control: "C", difference: "D" },
      date: (iso) => iso.slice(5, 10),
      value: (v) => fmt.percent(v, 1),
      difference: (v) => fmt.points(v),
    });
    expect(option.xAxis.data).toEqual(["09-01", "09-02"]);
    expect(option.series.map((s) => [s.name, s.type])).toEqual([["T", "line"], ["C", "line"], ["D", "bar"]]);
    expect(option.series[2]).toMatchObject({ yAxisIndex: 1 });
    expect(option.series[0]?.data).toEqual([0.02, 0.04]);
  });

  it("defaults to the primary KPI when it has a daily series", () => {
    expect(defaultSeriesMetric("REVENUE_PER_CUSTOMER")).toBe("REVENUE_PER_CUSTOMER");
    expect(defaultSeriesMetric("ORDERS_PER_CUSTOMER")).toBe("CONVERSION");
  });
});

describe("periods", () => {
  it("shows the last day of a half-open period", () => {
    expect(lastDay("2026-10-01T15:00:00.000Z")).toBe("2026-10-01T14:59:59.999Z");
  });
});
