// One ECharts component, in its own chunk: charts fetch only the components they use.
export { MarkAreaComponent as default } from "echarts/components";
