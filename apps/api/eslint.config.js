import base, { envAccess } from "@ltvloop/eslint-config/base";

export default [
  ...base,
  { ...envAccess, files: ["src/**/*.ts"], ignores: ["src/env.ts"] },
];
