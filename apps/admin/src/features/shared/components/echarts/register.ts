// ECharts registration on demand: the core, the canvas renderer and the components nearly every
// chart uses load with the first chart; each series type and rarer component is its own chunk,
// fetched when an option asks for it. The dashboard's bar chart so downloads no Sankey, heatmap
// or data zoom code.
import type { EChartsCoreOption } from "echarts/core";
import { use } from "echarts/core";
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([CanvasRenderer, GridComponent, TooltipComponent, LegendComponent, TitleComponent]);

type Installer = Parameters<typeof use>[0];
type Loader = () => Promise<{ default: Installer }>;

const SERIES: Record<string, Loader> = {
  bar: () => import("./bar.ts"),
  line: () => import("./line.ts"),
  heatmap: () => import("./heatmap.ts"),
  scatter: () => import("./scatter.ts"),
  sankey: () => import("./sankey.ts"),
  custom: () => import("./custom.ts"),
};
const COMPONENTS: Record<string, Loader> = {
  visualMap: () => import("./visualMap.ts"),
  dataZoom: () => import("./dataZoom.ts"),
  markLine: () => import("./markLine.ts"),
  markArea: () => import("./markArea.ts"),
};

const loaded = new Map<string, Promise<void>>();
const load = (key: string, loader: Loader) => {
  let done = loaded.get(key);
  if (!done) {
    done = loader().then((module) => use(module.default));
    loaded.set(key, done);
  }
  return done;
};

const asArray = (value: unknown): Record<string, unknown>[] =>
  (Array.isArray(value) ? value : value ? [value] : []).filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null);

/** Loads what `option` draws with: its series types, visual maps, data zooms, mark lines and areas. */
export async function registerFor(option: EChartsCoreOption): Promise<void> {
  const series = asArray(option.series);
  const needed: Promise<void>[] = [];
  for (const s of series) {
    const type = typeof s.type === "string" ? s.type : "";
    const loader = SERIES[type];
    if (loader) needed.push(load(`series:${type}`, loader));
    if (s.markLine) needed.push(load("markLine", COMPONENTS.markLine as Loader));
    if (s.markArea) needed.push(load("markArea", COMPONENTS.markArea as Loader));
  }
  if (asArray(option.visualMap).length > 0) needed.push(load("visualMap", COMPONENTS.visualMap as Loader));
  if (asArray(option.dataZoom).length > 0) needed.push(load("dataZoom", COMPONENTS.dataZoom as Loader));
  await Promise.all(needed);
}
