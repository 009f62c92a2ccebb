import type { CodegenConfig } from "@graphql-codegen/cli";

// Generated from the committed schema file, never from a running server.
const config: CodegenConfig = {
  schema: "../api/schema.graphql",
  documents: ["src/**/*.graphql.ts"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTimeISO: "string", JSON: "unknown", JSONObject: "Record<string, unknown>" },
      },
    },
  },
};

export default config;
