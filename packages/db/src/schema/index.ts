export * from "./auth.ts";
export * from "./campaigns.ts";
export * from "./customers.ts";
export * from "./scoring.ts";
export * from "./segments.ts";
export * from "./settings.ts";
export * from "./jobs.ts";
export * from "./data-quality.ts";
