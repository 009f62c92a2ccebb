import { describe, expect, it } from "vitest";
import { PALETTE, paybackOption } from "./payback-chart.ts";

const text = { monthsSince: "Months since acquisition", money: (v: number) => `¥${v}`, cohort: (c: string) => c };
const cohort = (name: string) => ({
  cohort: name,
  curve: [0, 1, 2].map((m) => ({ monthsSince: m, customers: 100, cumulativeGrossProfitPerCustomer: 1000 * (m + 1), cacPerCustomer: 2500 })),
});
const cohorts = (n: number) => Array.from({ length: n }, (_, i) => cohort(`2024-${String(i + 1).padStart(2, "0")}`));

interface LineSeries {
  name: string;
  symbol?: string;
  showSymbol?: boolean;
  lineStyle: { color?: string; type?: unknown; width?: number };
  tooltip?: { show: boolean };
}
/** What tells a series apart on screen and in its legend entry: colour, dash pattern, marker. */
const look = (s: LineSeries) => JSON.stringify([s.lineStyle.color, s.lineStyle.type ?? "solid", s.showSymbol ? s.symbol : "none"]);

describe("payback curves", () => {
  it("the palette alone cannot tell 13 cohorts apart", () => {
    expect(PALETTE.length).toBeLessThan(13);
  });

  it.each([13, 30])("every one of %i cohorts' profit lines looks different (colour, dash or marker)", (n) => {
    const series = paybackOption(cohorts(n), text).series as LineSeries[];
    const profit = series.filter((s) => s.tooltip?.show !== false);
    expect(profit).toHaveLength(n);
    expect(new Set(profit.map(look)).size).toBe(n);
  });

  it.each([13, 30])("every one of %i cohorts' CAC lines looks different too", (n) => {
    const series = paybackOption(cohorts(n), text).series as LineSeries[];
    const cac = series.filter((s) => s.tooltip?.show === false);
    expect(new Set(cac.map(look)).size).toBe(n);
  });

  it("the legend entry of a cohort is drawn from its profit line (the first series of that name), so it carries the same look", () => {
    const option = paybackOption(cohorts(13), text);
    const series = option.series as LineSeries[];
    const legend = option.legend as { data?: { name: string; icon?: string; itemStyle?: { color?: string }; lineStyle?: { type?: unknown } }[] };
    const names = [...new Set(series.map((s) => s.name))];
    expect(legend.data?.map((d) => d.name)).toEqual(names);
    for (const entry of legend.data ?? []) {
      const profit = series.find((s) => s.name === entry.name) as LineSeries;
      expect(profit.tooltip?.show).not.toBe(false);
      expect(entry.itemStyle?.color).toBe(profit.lineStyle.color);
      expect(entry.lineStyle?.type ?? "solid").toEqual(profit.lineStyle.type ?? "solid");
    }
  });

  it("names each cohort's lines and legend entry in the page's language (「2024年1月」, not 2024-01)", () => {
    const named = { ...text, cohort: (c: string) => `named ${c}` };
    const option = paybackOption(cohorts(2), named);
    const legend = option.legend as { data?: { name: string }[] };
    expect((option.series as LineSeries[]).map((s) => s.name)).toEqual(["named 2024-01", "named 2024-01", "named 2024-02", "named 2024-02"]);
    expect(legend.data?.map((d) => d.name)).toEqual(["named 2024-01", "named 2024-02"]);
  });
});
