// One ECharts component, in its own chunk: charts fetch only the components they use.
export { DataZoomComponent as default } from "echarts/components";
