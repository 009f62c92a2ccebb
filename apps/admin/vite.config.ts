import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vite";
import { bundleBudgetPlugin } from "./scripts/bundle-budget-plugin.ts";
import { gqlDocumentsPlugin } from "./scripts/gql-documents-plugin.ts";
import { precompressPlugin } from "./scripts/precompress-plugin.ts";

export default defineConfig(({ command }) => ({
  // bundleBudgetPlugin fails the build when the dashboard's first visit exceeds 250 KB of gzipped JavaScript.
  plugins: [gqlDocumentsPlugin(), vue(), bundleBudgetPlugin(), precompressPlugin()],
  // Build flags. vue-i18n: Composition API only (no legacy API), no global components (<I18nT>
  // is imported where used), no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    // Apollo Client's development-only checks and warnings: kept in dev and tests, not shipped.
    ...(command === "build" ? { "globalThis.__DEV__": "false" } : {}),
  },
  server: {
    proxy: {
      "/graphql": "http://127.0.0.1:4000",
      "/healthz": "http://127.0.0.1:4000",
      "/export": "http://127.0.0.1:4000",
    },
  },
  build: {
    reportCompressedSize: true,
    // `pnpm bundle:budget` (scripts/bundle-report.ts) re-checks a build from its manifest.
    manifest: true,
    // Lazily loaded chunks never block the first paint: ECharts ~650 KB raw, the GraphQL
    // explorer (GraphiQL + React ~1.1 MB, its Monaco editor ~2.8 MB) only on /explorer.
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      output: {
        // A message file (src/i18n/locales/<locale>/<namespace>.json, loaded per screen) is named
        // by its language and namespace: messages-ja-core-<hash>.js, not core-<hash>.js twice.
        chunkFileNames: (chunk) => {
          const message = /\/i18n\/locales\/(\w+)\/([\w-]+)\.json$/.exec(chunk.facadeModuleId ?? "");
          return message ? `assets/messages-${message[1]}-${message[2]}-[hash].js` : "assets/[name]-[hash].js";
        },
      },
      onwarn(warning, warn) {
        // React libraries in the explorer chunk start with "use client", meaningless in a SPA.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
}));
