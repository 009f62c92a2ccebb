import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { gqlDocumentsPlugin } from "./scripts/gql-documents-plugin.ts";

export default defineConfig({
  plugins: [gqlDocumentsPlugin(), vue()],
  server: {
    proxy: {
      "/graphql": "http://127.0.0.1:4000",
      "/healthz": "http://127.0.0.1:4000",
      "/export": "http://127.0.0.1:4000",
    },
  },
  build: {
    reportCompressedSize: true,
    // scripts/bundle-report.ts follows the manifest from index.html to what a first visit loads.
    manifest: true,
    // Lazily loaded chunks never block the first paint: ECharts ~650 KB raw, the GraphQL
    // explorer (GraphiQL + React ~1.1 MB, its Monaco editor ~2.8 MB) only on /explorer.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries in the explorer chunk start with "use client", meaningless in a SPA.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
