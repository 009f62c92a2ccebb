// The comparison's pure parts: the ids in the address, and the forest plot of each campaign's
// primary-KPI lift with its 95% interval (one row per campaign, a vertical line at no effect).
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams, CustomSeriesRenderItemReturn } from "echarts";
import type { EChartsCoreOption } from "echarts/core";
import { moneyVerdict, type MoneyVerdict } from "../results/interpret.ts";
import type { CampaignKpi, CompareCampaignsQuery, LiftAnalysis, LiftVerdict } from "../../../gql/graphql.ts";

/** compareCampaigns takes at most this many (the API's MAX_COMPARE). */
export const MAX_COMPARE = 10;

/** Campaign ids from `?ids=1,2,3`: numeric, unique, in order, at most MAX_COMPARE. */
export function parseCompareIds(raw: unknown): string[] {
  const text = Array.isArray(raw) ? raw.join(",") : typeof raw === "string" ? raw : "";
  const ids: string[] = [];
  for (const part of text.split(",")) {
    const id = part.trim();
    if (/^\d{1,15}$/.test(id) && !ids.includes(id)) ids.push(id);
  }
  return ids.slice(0, MAX_COMPARE);
}

export type Comparison = CompareCampaignsQuery["compareCampaigns"][number];

export interface ForestRow {
  id: string;
  name: string;
  kpi: CampaignKpi;
  lift: number;
  lower: number;
  upper: number;
  isSignificant: boolean;
  /** The API's verdict; it always agrees with the interval drawn (one test, one verdict). */
  verdict: LiftVerdict;
  /** Which analysis the interval is from: the fixed-horizon one, or always-valid on a provisional look. */
  analysis: LiftAnalysis;
  /** How the relative interval was made, for the tooltip: the API's text and its code. */
  method: string;
  methodCode: string | null;
  isProvisional: boolean;
  pValue: number;
}

export interface ForestSplit {
  rows: ForestRow[];
  /** Campaigns not on the plot and why: no measurement yet, or no relative lift (control at 0). */
  missing: { id: string; name: string; reason: "noResult" | "noRelativeLift" }[];
}

/** The campaigns that have a relative primary lift with an interval, in the given order. */
export function forestRows(items: readonly Comparison[]): ForestSplit {
  const split: ForestSplit = { rows: [], missing: [] };
  for (const c of items) {
    const p = c.primary;
    if (!c.hasResult || !p) split.missing.push({ id: c.campaign.id, name: c.campaign.name, reason: "noResult" });
    else if (p.relativeLift === null || !p.relativeLiftCi) split.missing.push({ id: c.campaign.id, name: c.campaign.name, reason: "noRelativeLift" });
    else {
      split.rows.push({
        id: c.campaign.id,
        name: c.campaign.name,
        kpi: p.metric,
        lift: p.relativeLift,
        lower: p.relativeLiftCi.lower,
        upper: p.relativeLiftCi.upper,
        isSignificant: p.verdict !== "NO_DETECTABLE_CHANGE",
        verdict: p.verdict,
        analysis: p.analysis,
        method: p.relativeLiftMethod,
        methodCode: p.relativeLiftMethodCode ?? null,
        isProvisional: Boolean(c.isProvisional),
        pValue: p.pValue,
      });
    }
  }
  return split;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Tooltips are HTML; campaign names are user input. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);

export interface ForestLabels {
  axis: string;
  noEffect: string;
  interval: string;
  kpi: (kpi: CampaignKpi) => string;
  significant: string;
  notSignificant: string;
  provisional: string;
  /** Names the analysis behind an interval (fixed-horizon / always-valid). */
  analysis: (analysis: LiftAnalysis) => string;
  /** Signed percentage, e.g. +12.3%. */
  percent: (v: number) => string;
  /** Axis ticks, e.g. +50%. */
  axisPercent: (v: number) => string;
  pValue: (v: number) => string;
  /** Names a method by its code in the page's language (the API's English text without one). */
  method: (code: string | null, text: string) => string;
}

export const FOREST_COLORS = { significant: "#0f766e", notSignificant: "#6b7280", provisional: "#d97706" } as const;

/** The interval drawn excludes 0 — the only case coloured (and labelled) significant. */
export const excludesZero = (row: Pick<ForestRow, "lower" | "upper">): boolean => row.lower > 0 || row.upper < 0;

/**
 * Colour of a row: provisional looks amber; otherwise significant only when the verdict says so
 * and the interval drawn excludes 0 (the API guarantees both agree; the plot never contradicts
 * its own legend even for a result stored before they did).
 */
export function forestColor(row: ForestRow): string {
  if (row.isProvisional) return FOREST_COLORS.provisional;
  return row.isSignificant && excludesZero(row) ? FOREST_COLORS.significant : FOREST_COLORS.notSignificant;
}

/** The comparison's money verdict (moneyVerdict of the results), none without a measurement. */
export function comparisonMoneyVerdict(money: Comparison["money"]): MoneyVerdict | null {
  return money ? moneyVerdict(money) : null;
}

/**
 * ECharts option of the forest plot: a custom series draws each interval with end caps, a
 * scatter series the point estimate (hollow when provisional), a dashed line marks 0.
 */
export function buildForestOption(rows: readonly ForestRow[], labels: ForestLabels): EChartsCoreOption {
  const tooltip = (index: number): string => {
    const r = rows[index];
    if (!r) return "";
    const significant = r.isSignificant && excludesZero(r);
    const status = [significant ? labels.significant : labels.notSignificant, r.isProvisional ? labels.provisional : null].filter(Boolean).join(" · ");
    return [
      `<strong>${escapeHtml(r.name)}</strong>`,
      `${escapeHtml(labels.kpi(r.kpi))}: ${labels.percent(r.lift)}`,
      `${escapeHtml(labels.interval)}: [${labels.percent(r.lower)}, ${labels.percent(r.upper)}]`,
      `${labels.pValue(r.pValue)} · ${escapeHtml(status)}`,
      escapeHtml(`${labels.analysis(r.analysis)} · ${labels.method(r.methodCode, r.method)}`),
    ].join("<br/>");
  };
  const renderItem = (params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const y = Number(api.value(0));
    const from = api.coord([api.value(1), y]) as [number, number];
    const to = api.coord([api.value(2), y]) as [number, number];
    const band = (api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 24;
    const cap = Math.min(8, band * 0.2);
    const row = rows[params.dataIndex];
    const style = { stroke: row ? forestColor(row) : FOREST_COLORS.notSignificant, lineWidth: 2 };
    return {
      type: "group",
      children: [
        { type: "line", shape: { x1: from[0], y1: from[1], x2: to[0], y2: to[1] }, style },
        { type: "line", shape: { x1: from[0], y1: from[1] - cap, x2: from[0], y2: from[1] + cap }, style },
        { type: "line", shape: { x1: to[0], y1: to[1] - cap, x2: to[0], y2: to[1] + cap }, style },
      ],
    };
  };
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 28, bottom: 40, containLabel: true },
    tooltip: { trigger: "item", formatter: (p: { dataIndex: number }) => tooltip(p.dataIndex) },
    // A value axis keeps 0 (no effect) in view by default (scale: false); ECharts picks round ticks.
    xAxis: {
      type: "value",
      scale: false,
      name: labels.axis,
      nameLocation: "middle",
      nameGap: 28,
      axisLabel: { formatter: (v: number) => labels.axisPercent(v) },
      splitLine: { lineStyle: { color: "#eef0f3" } },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => r.name),
      axisTick: { show: false },
      axisLabel: { width: 220, overflow: "truncate" },
    },
    series: [
      {
        type: "custom",
        name: labels.interval,
        renderItem,
        encode: { x: [1, 2], y: 0 },
        data: rows.map((r, i) => [i, r.lower, r.upper]),
        z: 2,
      },
      {
        type: "scatter",
        name: labels.axis,
        symbolSize: 12,
        z: 3,
        data: rows.map((r, i) => ({
          value: [r.lift, i],
          itemStyle: r.isProvisional ? { color: "#fff", borderColor: forestColor(r), borderWidth: 2 } : { color: forestColor(r) },
        })),
        markLine: {
          silent: true,
          symbol: "none",
          label: { formatter: labels.noEffect, position: "start", color: "#6b7280" },
          lineStyle: { type: "dashed", color: "#9ca3af" },
          data: [{ xAxis: 0 }],
        },
      },
    ],
  };
}

/** Chart height for n campaigns: room per row plus the axis. */
export const forestHeight = (n: number): string => `${Math.max(160, 56 * n + 80)}px`;

/** "p < 0.001" below a thousandth, else three decimals. */
export function formatPValue(p: number, locale: string): string {
  if (p < 0.001) return `p < ${new Intl.NumberFormat(locale, { minimumFractionDigits: 3 }).format(0.001)}`;
  return `p = ${new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(p)}`;
}
