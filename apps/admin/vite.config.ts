import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      "/graphql": "http://127.0.0.1:4000",
      "/healthz": "http://127.0.0.1:4000",
      "/export": "http://127.0.0.1:4000",
    },
  },
  build: {
    reportCompressedSize: true,
    // The lazily loaded ECharts chunk is ~650 KB raw; it never blocks the first paint.
    chunkSizeWarningLimit: 700,
  },
});
