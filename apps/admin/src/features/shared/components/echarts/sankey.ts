// One ECharts series type, in its own chunk: charts fetch only the types they draw.
export { SankeyChart as default } from "echarts/charts";
