// Open stamp cards per segment by stamps still needed for the reward ("n stamps to go"),
// stacked horizontally, so segments close to a reward stand out.
//
// The shades come from viridis (dark purple → blue → green → yellow-green), sampled evenly for the
// card size in use: its lightness rises steadily, so neighbouring steps stay apart for every kind
// of colour vision and in greyscale. The five greens used before differed by about 9 ΔE between
// neighbours (stamp-chart.test.ts measures it), and their legend swatches were hard to tell apart.
// The darkest shade is the card closest to its reward. The legend is drawn from the series'
// own colours, so chart and legend cannot disagree.

/** Viridis (matplotlib) at 0, 0.1, … 1. */
const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"];
/** Where the lightest shade stops: past it viridis turns pale yellow, too faint on white. */
const LIGHTEST = 0.85;

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const toHex = (c: readonly number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

/** Viridis at `t` in [0, 1], interpolated between its stops. */
function viridis(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const a = rgb(VIRIDIS[i]!);
  const b = rgb(VIRIDIS[i + 1]!);
  return toHex(a.map((v, k) => v + (b[k]! - v) * (x - i)));
}

/** One colour per "stamps to go" step, 1 to go first (darkest). */
export function stampColors(steps: number): string[] {
  const n = Math.max(1, Math.floor(steps));
  return Array.from({ length: n }, (_, i) => viridis(n === 1 ? 0 : (LIGHTEST * i) / (n - 1)));
}

export interface StampChartText {
  openCards: string;
  stampsToGo(n: number): string;
}

export function stampProgressOption(rows: readonly { label: string; stampsToReward: readonly number[] }[], maxCardSize: number, text: StampChartText) {
  const colors = stampColors(maxCardSize);
  return {
    grid: { left: 130, right: 20, top: 40, bottom: 30 },
    legend: { type: "scroll", top: 0 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: text.openCards },
    yAxis: { type: "category", data: rows.map((r) => r.label), inverse: true },
    series: colors.map((color, i) => ({
      type: "bar",
      stack: "cards",
      name: text.stampsToGo(i + 1),
      data: rows.map((r) => r.stampsToReward[i] ?? 0),
      // A white line between neighbouring parts of a bar.
      itemStyle: { color, borderColor: "#ffffff", borderWidth: 1 },
    })),
  };
}
