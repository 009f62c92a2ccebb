// One ECharts component, in its own chunk: charts fetch only the components they use.
export { VisualMapComponent as default } from "echarts/components";
