// Payback curves: mean cumulative gross profit per customer by month since acquisition, one
// line per cohort, each against its own CAC per customer (dashed, same colour). The chart stops
// where fewer than half of a cohort's customers are observed, so a month seen by a handful of
// early customers does not bend the line. Past the palette's twelve colours (13 quarterly
// cohorts, 36 monthly ones) the colours come round again with another dash pattern and a
// marker on the line, so no two cohorts look alike, nor their legend entries.
import type { AcquisitionGroupRow } from "./acquisition-format.ts";

export const PALETTE = ["#0f766e", "#2563eb", "#d97706", "#7c3aed", "#db2777", "#059669", "#4b5563", "#b45309", "#0891b2", "#65a30d", "#9333ea", "#dc2626"];

/** The look of each round through the palette: the first plain, the later ones dashed and marked. */
export const ROUNDS: readonly { type: "solid" | number[]; symbol: string; showSymbol: boolean }[] = [
  { type: "solid", symbol: "emptyCircle", showSymbol: false },
  { type: [10, 3, 2, 3], symbol: "triangle", showSymbol: true },
  { type: [2, 3], symbol: "rect", showSymbol: true },
  { type: [14, 4], symbol: "diamond", showSymbol: true },
  { type: [10, 3, 2, 3, 2, 3], symbol: "pin", showSymbol: true },
  { type: [6, 2], symbol: "circle", showSymbol: true },
];

/** Colour, dash pattern and marker of the i-th cohort: distinct for up to 12 × 6 = 72 cohorts. */
export function cohortLook(i: number) {
  const round = ROUNDS[Math.floor(i / PALETTE.length) % ROUNDS.length] ?? ROUNDS[0]!;
  return { color: PALETTE[i % PALETTE.length] as string, ...round };
}

export interface PaybackText {
  monthsSince: string;
  money(value: number): string;
  /** A cohort's name in the legend and tooltip (「2025年10〜12月」, "Q4 2025"), from the API's 2025-Q4. */
  cohort(label: string): string;
}

type PaybackGroup = Pick<AcquisitionGroupRow, "cohort" | "curve">;

export function paybackOption(groups: readonly PaybackGroup[], text: PaybackText) {
  const cohorts = groups
    .map((g) => ({ ...g, curve: g.curve.filter((p) => p.customers * 2 >= (g.curve[0]?.customers ?? 0)) }))
    .filter((g) => g.curve.length > 0);
  const months = Math.max(0, ...cohorts.map((g) => g.curve.length));
  const series = cohorts.flatMap((g, i) => {
    const { color, type, symbol, showSymbol } = cohortLook(i);
    const marker = { symbol, showSymbol, symbolSize: 5 };
    return [
      {
        type: "line",
        name: text.cohort(g.cohort ?? ""),
        ...marker,
        data: g.curve.map((p) => [p.monthsSince, p.cumulativeGrossProfitPerCustomer]),
        lineStyle: { color, width: 2, type },
        itemStyle: { color },
      },
      {
        type: "line",
        name: text.cohort(g.cohort ?? ""),
        ...marker,
        data: g.curve.map((p) => [p.monthsSince, p.cacPerCustomer]),
        lineStyle: { color, width: 1, type: "dashed" },
        itemStyle: { color },
        tooltip: { show: false },
      },
    ];
  });
  // One legend entry per cohort, drawn as its profit line: colour, dash pattern and marker.
  const legendData = cohorts.map((g, i) => {
    const { color, type } = cohortLook(i);
    return { name: text.cohort(g.cohort ?? ""), itemStyle: { color }, lineStyle: { color, type, width: 2 } };
  });
  return {
    grid: { left: 80, right: 20, top: 40, bottom: 50 },
    legend: { type: "scroll", top: 0, data: legendData },
    tooltip: { trigger: "item", valueFormatter: (v: number | number[]) => text.money(Array.isArray(v) ? (v[1] ?? 0) : v) },
    xAxis: { type: "value", name: text.monthsSince, nameLocation: "middle", nameGap: 28, min: 0, max: Math.max(1, months - 1) },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => text.money(v) } },
    series,
  };
}
