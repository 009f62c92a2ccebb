// Named blocks that each package composes in its own eslint.config.js.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/** Files no package lints: build output, caches, generated code. */
export const ignores = {
  name: "ltvloop/ignores",
  ignores: ["**/dist/**", "**/.turbo/**", "**/node_modules/**", "**/src/gql/**", "**/.data/**"],
};

/** TypeScript recommended rules for every package. */
export const typescript = [
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    name: "ltvloop/typescript",
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
];

/** Restrictions that keep the package boundaries honest. */
export const boundaries = {
  name: "ltvloop/boundaries",
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["../../packages/*", "../../../packages/*", "**/packages/*/src/*"],
            message: "Import workspace packages by name (@ltvloop/…) through their exports, never by relative path: it bypasses the package boundary.",
          },
        ],
      },
    ],
  },
};

/** process.env is read in one place per app so every variable is validated and documented. */
export const envAccess = {
  name: "ltvloop/env-access",
  rules: {
    "no-restricted-properties": [
      "error",
      {
        object: "process",
        property: "env",
        message: "Read configuration through src/env.ts: it validates every variable and is the one list the README documents.",
      },
    ],
  },
};

export default [ignores, ...typescript, boundaries];
