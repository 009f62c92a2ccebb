import base, { envAccess } from "@ltvloop/eslint-config/base";

export default [
  // PostGraphile v4, the bench's anchor: plain CommonJS with its own node_modules (graphql 15).
  { ignores: ["bench/postgraphile/**"] },
  ...base,
  { ...envAccess, files: ["src/**/*.ts"], ignores: ["src/env.ts"] },
];
