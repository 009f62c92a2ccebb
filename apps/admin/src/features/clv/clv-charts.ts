// The CLV model page's two charts as ECharts options: the P(alive) histogram and the holdout
// check (predicted vs actual purchases per customer by calibration repeat count).

export interface HistogramBin {
  from: number;
  /** Null for an open-ended last bin. */
  to: number | null;
  customers: number;
}

export interface HoldoutRow {
  frequency: number;
  isOpenEnded: boolean;
  actualMean: number;
  predictedMean: number;
}

export interface ClvChartText {
  /** Bar series name and y-axis title of the histogram: what is counted (customers / 顧客数). */
  customers: string;
  actual: string;
  predicted: string;
  frequency: string;
  /** Y-axis title of the holdout chart: purchases per customer in the holdout period. */
  holdoutPurchases: string;
  percent(value: number): string;
  /** Two formatted values as a range in the page's language (「10〜20」, "10–20"). */
  range(from: string, to: string): string;
}

/** A value axis titled along its length, left of the tick labels. */
const titledValueAxis = (name: string) => ({ type: "value", name, nameLocation: "middle", nameGap: 52, nameTextStyle: { color: "#4b5563" } });

/** The histogram's x-axis label of a bin: "90–100%" (the percent sign once). */
function binLabel(bin: HistogramBin, text: ClvChartText): string {
  if (bin.to === null) return `≥${text.percent(bin.from)}`;
  const to = text.percent(bin.to);
  const from = text.percent(bin.from).replace(/\s*%$/, "");
  return text.range(from, to);
}

/**
 * Every bin carries its label (ECharts would otherwise show every other one once they crowd,
 * and never the last), turned 40° so ten of them fit side by side in a half-width card
 * (「90〜100%」 is wider than a bin at 1440 px) and on a phone.
 */
export function pAliveHistogramOption(bins: readonly HistogramBin[], text: ClvChartText, narrow = false) {
  return {
    tooltip: {},
    grid: { left: 72, right: 16, top: 20, bottom: 60 },
    xAxis: {
      type: "category",
      data: bins.map((b) => binLabel(b, text)),
      axisLabel: { interval: 0, hideOverlap: false, rotate: 40, fontSize: narrow ? 10 : 11 },
    },
    yAxis: titledValueAxis(text.customers),
    series: [{ type: "bar", name: text.customers, data: bins.map((b) => b.customers), itemStyle: { color: "#0f766e" } }],
  };
}

export function holdoutOption(rows: readonly HoldoutRow[], text: ClvChartText) {
  return {
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [text.actual, text.predicted] },
    grid: { left: 72, right: 20, top: 40, bottom: 30 },
    // Every repeat count labelled, the open-ended last one ("7+") too.
    xAxis: {
      type: "category",
      name: text.frequency,
      data: rows.map((r) => (r.isOpenEnded ? `${r.frequency}+` : String(r.frequency))),
      axisLabel: { interval: 0, hideOverlap: false },
    },
    yAxis: titledValueAxis(text.holdoutPurchases),
    series: [
      { type: "bar", name: text.actual, data: rows.map((r) => r.actualMean), itemStyle: { color: "#6b7280" } },
      { type: "bar", name: text.predicted, data: rows.map((r) => r.predictedMean), itemStyle: { color: "#0f766e" } },
    ],
  };
}
