import { describe, expect, it } from "vitest";
import { stampColors, stampProgressOption } from "./stamp-chart.ts";

// Colour distance as a reader sees it: CIELAB ΔE (CIE76) between sRGB colours, also after
// simulating protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009,
// severity 1). About 2 ΔE is just noticeable side by side; small legend swatches need far more.
const channel = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const linear = (hex: string) => [1, 3, 5].map((i) => channel(parseInt(hex.slice(i, i + 2), 16) / 255)) as [number, number, number];
const VISION: Record<string, number[][]> = {
  typical: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
function lab([r, g, b]: number[]): number[] {
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r! + 0.3576 * g! + 0.1805 * b!) / 0.95047);
  const y = f(0.2126 * r! + 0.7152 * g! + 0.0722 * b!);
  const z = f((0.0193 * r! + 0.1192 * g! + 0.9505 * b!) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const seen = (hex: string, m: number[][]) => lab(m.map((row) => Math.min(1, Math.max(0, row.reduce((sum, k, i) => sum + k * linear(hex)[i]!, 0)))));
const distance = (a: string, b: string, m: number[][]) => Math.hypot(...seen(a, m).map((v, i) => v - seen(b, m)[i]!));
/** The smallest distance between neighbouring shades (the parts that touch in a bar and in the legend), per kind of vision. */
const closestNeighbours = (colors: string[]) =>
  Object.fromEntries(Object.entries(VISION).map(([name, m]) => [name, Math.min(...colors.slice(1).map((c, i) => distance(colors[i]!, c, m)))]));
const luminance = (hex: string) => { const [r, g, b] = linear(hex); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };

/** The five greens the chart used before (the demo's cards have five stamps). */
const BEFORE = ["#065f46", "#047857", "#059669", "#10b981", "#34d399"];

describe("stamp card chart colours", () => {
  it("the old greens' neighbours were under 10 ΔE apart: the check below tells them from a readable palette", () => {
    for (const d of Object.values(closestNeighbours(BEFORE))) expect(d).toBeLessThan(10);
  });

  it.each([2, 3, 4, 5])("%i steps (the demo cards have 5): neighbouring shades at least 15 ΔE apart for every kind of colour vision", (n) => {
    const colors = stampColors(n);
    expect(colors).toHaveLength(n);
    for (const [vision, d] of Object.entries(closestNeighbours(colors))) expect(d, vision).toBeGreaterThanOrEqual(15);
  });

  it.each([6, 8, 10])("%i steps: still at least 6 ΔE apart, and all different", (n) => {
    const colors = stampColors(n);
    expect(new Set(colors).size).toBe(n);
    for (const [vision, d] of Object.entries(closestNeighbours(colors))) expect(d, vision).toBeGreaterThanOrEqual(6);
  });

  it("gets lighter step by step (so greyscale keeps the order), from a dark shade to one still visible on white", () => {
    const colors = stampColors(5);
    const l = colors.map(luminance);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThan(l[i - 1]!);
    expect((1 + 0.05) / (l[0]! + 0.05)).toBeGreaterThan(7);
    expect((1 + 0.05) / (l.at(-1)! + 0.05)).toBeGreaterThan(1.5);
  });

  it("colours each series, and so its legend entry, with its own step's shade, 1 to go first", () => {
    const option = stampProgressOption(
      [{ label: "Champions", stampsToReward: [5, 4, 3, 2, 1] }, { label: "Lost", stampsToReward: [0, 1] }],
      5,
      { openCards: "Open cards", stampsToGo: (n) => `${n} to go` },
    );
    expect(option.series.map((s) => s.name)).toEqual(["1 to go", "2 to go", "3 to go", "4 to go", "5 to go"]);
    expect(option.series.map((s) => s.itemStyle.color)).toEqual(stampColors(5));
    expect(option.series.map((s) => s.data)).toEqual([[5, 0], [4, 1], [3, 0], [2, 0], [1, 0]]);
    // No legend.data: ECharts draws each entry from its series' itemStyle.
    expect(option.legend).not.toHaveProperty("data");
  });
});
