// ECharts options for the Check step's pictures. Pure: data and already-translated labels in,
// an option object out, so the shapes are unit-tested without a browser.
import type { CampaignKpi } from "../../../gql/graphql.ts";
import { direction, type DidLike, type LiftLike } from "./interpret.ts";
import { wrapLabels } from "../../shared/label-wrap.ts";

export const COLORS = {
  up: "#0f766e",
  down: "#b91c1c",
  flat: "#6b7280",
  treatment: "#0f766e",
  control: "#6b7280",
  counterfactual: "#94a3b8",
  difference: "#d97706",
  zero: "#9ca3af",
} as const;

export const colorOf = (lift: Parameters<typeof direction>[0]): string => COLORS[direction(lift)];

/** The lift estimates of one result, in the order the forest plot lists them. */
export interface ResultLifts {
  primary: { metric: CampaignKpi };
  conversion: LiftLike;
  revenuePerCustomer: LiftLike;
  ordersPerCustomer: LiftLike;
  revenuePerCustomerWinsorized: LiftLike & { percentile: number };
  cuped: { metric: CampaignKpi; varianceReduction: number; lift: LiftLike }[];
}

export type ForestKind = "plain" | "winsorized" | "cuped";

export interface ForestRow {
  id: string;
  kind: ForestKind;
  metric: CampaignKpi;
  lift: LiftLike;
  /** The plain estimate of the campaign's primary KPI. */
  isPrimary: boolean;
  /** CUPED's variance reduction; the winsorising percentile. */
  varianceReduction?: number;
  percentile?: number;
}

const METRIC_ORDER: CampaignKpi[] = ["CONVERSION", "REVENUE_PER_CUSTOMER", "ORDERS_PER_CUSTOMER"];

/**
 * Every lift of a result: the three plain estimates, revenue winsorised at the pooled
 * percentile, then the CUPED-adjusted ones (DESIGN §4.4), primary KPI's plain estimate flagged.
 */
export function forestRows(result: ResultLifts): ForestRow[] {
  const primary = result.primary.metric;
  const plain: ForestRow[] = [
    { id: "CONVERSION", kind: "plain", metric: "CONVERSION", lift: result.conversion, isPrimary: primary === "CONVERSION" },
    { id: "REVENUE_PER_CUSTOMER", kind: "plain", metric: "REVENUE_PER_CUSTOMER", lift: result.revenuePerCustomer, isPrimary: primary === "REVENUE_PER_CUSTOMER" },
    { id: "ORDERS_PER_CUSTOMER", kind: "plain", metric: "ORDERS_PER_CUSTOMER", lift: result.ordersPerCustomer, isPrimary: primary === "ORDERS_PER_CUSTOMER" },
  ];
  const winsorized: ForestRow = {
    id: "REVENUE_PER_CUSTOMER:winsorized",
    kind: "winsorized",
    metric: "REVENUE_PER_CUSTOMER",
    lift: result.revenuePerCustomerWinsorized,
    isPrimary: false,
    percentile: result.revenuePerCustomerWinsorized.percentile,
  };
  const cuped = [...result.cuped]
    .sort((a, b) => METRIC_ORDER.indexOf(a.metric) - METRIC_ORDER.indexOf(b.metric))
    .map((c): ForestRow => ({ id: `${c.metric}:cuped`, kind: "cuped", metric: c.metric, lift: c.lift, isPrimary: false, varianceReduction: c.varianceReduction }));
  return [...plain, winsorized, ...cuped];
}

/** What ECharts passes to a custom series' renderItem (the part used here). */
export interface RenderApi {
  value(dimension: number): number;
  coord(point: [number, number]): number[];
  size(dataSize: [number, number]): number[];
  visual(name: "color"): string;
}

/** A horizontal interval with end caps: one confidence interval of the forest plot. */
export function renderInterval(_params: unknown, api: RenderApi) {
  const row = api.value(2);
  const [x1 = 0, y = 0] = api.coord([api.value(0), row]);
  const [x2 = 0] = api.coord([api.value(1), row]);
  const cap = Math.min(8, (api.size([0, 1])[1] ?? 16) * 0.25);
  const style = { stroke: api.visual("color"), lineWidth: 2 };
  return {
    type: "group",
    children: [
      { type: "line", shape: { x1, y1: y, x2, y2: y }, style },
      { type: "line", shape: { x1, y1: y - cap, x2: x1, y2: y + cap }, style },
      { type: "line", shape: { x1: x2, y1: y - cap, x2, y2: y + cap }, style },
    ],
  };
}

export interface ForestOptions {
  /** Translated row labels, same order as the rows. */
  labels: string[];
  /** Tooltip text (plain, escaped by the builder) per row. */
  tooltips: string[];
  percent(value: number): string;
  /** A phone's width: labels wrap in a narrow column and the value axis has fewer ticks. */
  narrow?: boolean;
}

/** The forest plot's label column on a phone: 11 px text, 110 px wide, widened up to 150 px for a bracketed part. */
export const NARROW_LABELS = { fontSize: 11, min: 110, max: 150 } as const;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

/**
 * Forest plot of relative lift (treatment / control − 1) with 95% CIs, one row per estimate,
 * and a line at zero: an interval that crosses it is not significant. Rows without a relative
 * lift (control 0) keep their label and show no mark.
 */
export function forestOption(rows: ForestRow[], opts: ForestOptions) {
  const points = rows.flatMap((r, i) =>
    r.lift.relativeLift === null || r.lift.relativeLift === undefined
      ? []
      : [{ value: [r.lift.relativeLift, i], itemStyle: { color: colorOf(r.lift) }, symbolSize: r.isPrimary ? 14 : 10 }],
  );
  const intervals = rows.flatMap((r, i) =>
    r.lift.relativeLiftCi && r.lift.relativeLift !== null && r.lift.relativeLift !== undefined
      ? [{ value: [r.lift.relativeLiftCi.lower, r.lift.relativeLiftCi.upper, i], itemStyle: { color: colorOf(r.lift) } }]
      : [],
  );
  const tooltip = (p: { value?: unknown }) => {
    const value = p.value as number[] | undefined;
    const index = value?.[value.length - 1];
    return typeof index === "number" ? (opts.tooltips[index] ?? "").split("\n").map(escapeHtml).join("<br>") : "";
  };
  // On a phone the labels are wrapped here, between words and never inside brackets
  // (「購入率」「（CUPED補正）」), and the column is made as wide as a bracketed part needs.
  const narrow = opts.narrow ? wrapLabels(opts.labels, NARROW_LABELS.fontSize, NARROW_LABELS.min, NARROW_LABELS.max) : null;
  return {
    animation: false,
    grid: { left: 16, right: 32, top: 16, bottom: 32, containLabel: true },
    tooltip: { trigger: "item", formatter: tooltip },
    xAxis: {
      type: "value",
      scale: true,
      // On a phone fewer ticks, so their labels do not run into each other.
      ...(opts.narrow ? { splitNumber: 3 } : {}),
      axisLabel: { formatter: (v: number) => opts.percent(v), hideOverlap: true },
      splitLine: { lineStyle: { type: "dashed" } },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: opts.labels,
      axisTick: { show: false },
      axisLabel: {
        formatter: (value: string, index: number) => {
          const text = narrow?.labels[index] ?? value;
          return rows[index]?.isPrimary ? `{primary|${text}}` : text;
        },
        rich: { primary: { fontWeight: "bold" } },
        // On a phone the wrapped labels take about a third of the width, leaving the plot the
        // rest; ECharts' own breaking stays as the last resort against overflow.
        ...(narrow ? { width: narrow.width + 4, overflow: "break", lineHeight: 14, fontSize: NARROW_LABELS.fontSize } : {}),
      },
    },
    series: [
      { type: "custom", name: "ci", renderItem: renderInterval, encode: { x: [0, 1], y: 2 }, data: intervals, z: 2 },
      {
        type: "scatter",
        name: "lift",
        data: points,
        z: 3,
        markLine: { silent: true, symbol: "none", label: { show: false }, lineStyle: { color: COLORS.zero, type: "solid", width: 1.5 }, data: [{ xAxis: 0 }] },
      },
    ],
  };
}

/** The treatment group's post-period value had it moved like the control group (parallel trends). */
export function counterfactual(did: DidLike): number {
  return did.treatmentPre + (did.controlPost - did.controlPre);
}

export interface DidOptions {
  labels: { pre: string; post: string; treatment: string; control: string; counterfactual: string; effect: string };
  value(v: number): string;
  difference(v: number): string;
}

/**
 * Before/after × treatment/control: the two groups' pre-period and outcome-window values, and
 * the treatment group's counterfactual path (dashed); the gap at the end is the DiD estimate.
 */
/**
 * The DiD chart's value range: the data's range widened by a quarter of its span on each side
 * (a tenth of the value, or one point, when all values are equal), so the labels printed above
 * the highest point and below the lowest have room inside the plot instead of sitting on the
 * axis. Ticks below zero are left unlabelled when every value is at or above zero.
 */
export function didRange(values: readonly number[]): { min: number; max: number; hideNegative: boolean } {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo;
  const pad = span > 0 ? span * 0.25 : Math.max(Math.abs(hi) * 0.1, 0.01);
  return { min: lo - pad, max: hi + pad, hideNegative: lo >= 0 };
}

export function didOption(did: DidLike, opts: DidOptions) {
  const cf = counterfactual(did);
  const { labels } = opts;
  const range = didRange([did.treatmentPre, did.treatmentPost, did.controlPre, did.controlPost, cf]);
  const label = { show: true, position: "top", formatter: (p: { value: number }) => opts.value(p.value) };
  return {
    animation: false,
    grid: { left: 16, right: 40, top: 48, bottom: 24, containLabel: true },
    tooltip: { trigger: "axis", valueFormatter: (v: number) => opts.value(v) },
    legend: { top: 0, data: [labels.treatment, labels.control, labels.counterfactual] },
    xAxis: { type: "category", data: [labels.pre, labels.post], boundaryGap: true, axisLabel: { interval: 0, width: 120, overflow: "break", lineHeight: 16 } },
    yAxis: {
      type: "value",
      min: range.min,
      max: range.max,
      // The padded ends are not round numbers: only the ticks between them are labelled.
      axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: (v: number) => (range.hideNegative && v < 0 ? "" : opts.value(v)) },
    },
    series: [
      {
        type: "line",
        name: labels.treatment,
        data: [did.treatmentPre, did.treatmentPost],
        itemStyle: { color: COLORS.treatment },
        lineStyle: { width: 3 },
        symbolSize: 9,
        label,
        markLine: {
          symbol: ["none", "none"],
          lineStyle: { color: colorOf({ isSignificant: did.isSignificant, difference: did.estimate }), width: 2, type: "solid" },
          // The estimate is printed above the chart; a label here would sit on the points' labels.
          label: { show: false },
          tooltip: { formatter: `${labels.effect} ${opts.difference(did.estimate)}` },
          data: [[{ coord: [1, cf] }, { coord: [1, did.treatmentPost] }]],
        },
      },
      { type: "line", name: labels.control, data: [did.controlPre, did.controlPost], itemStyle: { color: COLORS.control }, lineStyle: { width: 3 }, symbolSize: 9, label: { ...label, position: "bottom" } },
      { type: "line", name: labels.counterfactual, data: [did.treatmentPre, cf], itemStyle: { color: COLORS.counterfactual }, lineStyle: { type: "dashed", width: 2 }, symbol: "emptyCircle", symbolSize: 7 },
    ],
  };
}

/** One day of the cumulative series (SeriesPoint). */
export interface SeriesLike {
  day: number;
  date: string;
  treatmentConversion: number;
  controlConversion: number;
  treatmentRevenuePerCustomer: number;
  controlRevenuePerCustomer: number;
}

export type SeriesMetric = "CONVERSION" | "REVENUE_PER_CUSTOMER";

/** The series that the cumulative chart can show for a primary KPI (orders have no daily series). */
export function defaultSeriesMetric(primary: CampaignKpi): SeriesMetric {
  return primary === "REVENUE_PER_CUSTOMER" ? "REVENUE_PER_CUSTOMER" : "CONVERSION";
}

/** Per day since launch: cumulative treatment and control values and their difference. */
export function cumulativeSeries(points: SeriesLike[], metric: SeriesMetric) {
  const sorted = [...points].sort((a, b) => a.day - b.day);
  const t = sorted.map((p) => (metric === "CONVERSION" ? p.treatmentConversion : p.treatmentRevenuePerCustomer));
  const c = sorted.map((p) => (metric === "CONVERSION" ? p.controlConversion : p.controlRevenuePerCustomer));
  return { dates: sorted.map((p) => p.date), treatment: t, control: c, difference: t.map((v, i) => v - (c[i] ?? 0)) };
}

export interface CumulativeOptions {
  labels: { treatment: string; control: string; difference: string };
  date(iso: string): string;
  value(v: number): string;
  difference(v: number): string;
}

/** Cumulative treatment vs control (left axis) and their difference (right axis, bars) over the window. */
export function cumulativeOption(points: SeriesLike[], metric: SeriesMetric, opts: CumulativeOptions) {
  const s = cumulativeSeries(points, metric);
  const { labels } = opts;
  return {
    animation: false,
    grid: { left: 16, right: 16, top: 48, bottom: 24, containLabel: true },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v: number) => opts.value(v),
    },
    legend: { top: 0, data: [labels.treatment, labels.control, labels.difference] },
    xAxis: { type: "category", data: s.dates.map((d) => opts.date(d)), boundaryGap: true },
    yAxis: [
      // Money ticks are whole currency units; finer ticks would repeat the same label.
      { type: "value", minInterval: metric === "REVENUE_PER_CUSTOMER" ? 1 : 0, axisLabel: { formatter: (v: number) => opts.value(v) } },
      { type: "value", minInterval: metric === "REVENUE_PER_CUSTOMER" ? 1 : 0, splitLine: { show: false }, axisLabel: { formatter: (v: number) => opts.difference(v) } },
    ],
    series: [
      { type: "line", name: labels.treatment, data: s.treatment, itemStyle: { color: COLORS.treatment }, showSymbol: false, lineStyle: { width: 2.5 } },
      { type: "line", name: labels.control, data: s.control, itemStyle: { color: COLORS.control }, showSymbol: false, lineStyle: { width: 2.5 } },
      {
        type: "bar",
        name: labels.difference,
        yAxisIndex: 1,
        data: s.difference,
        itemStyle: { color: COLORS.difference, opacity: 0.55 },
        barMaxWidth: 14,
        tooltip: { valueFormatter: (v: number) => opts.difference(v) },
      },
    ],
  };
}

/** RF strata as the RF matrix reads them: recency descending, then frequency descending. */
export function compareStrata(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^R(\d+)F(\d+)$/.exec(s);
    return m ? [Number(m[1]), Number(m[2])] : null;
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb[0]! - pa[0]! || pb[1]! - pa[1]!;
  if (pa) return -1;
  if (pb) return 1;
  return a.localeCompare(b);
}
