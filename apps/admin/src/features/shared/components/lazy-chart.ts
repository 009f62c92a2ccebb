import { defineAsyncComponent } from "vue";

/** ECharts in its own chunk, fetched the first time a chart is shown. */
export const LazyChart = defineAsyncComponent(() => import("./EChart.vue"));
