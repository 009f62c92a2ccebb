import type { Env } from "../../env.ts";

/** Longest one statement of a background job may run when nothing is configured: one hour. */
export const DEFAULT_JOB_STATEMENT_TIMEOUT_MS = 3_600_000;

/** The statement timeout for a job kind: its own (LTVLOOP_JOB_STATEMENT_TIMEOUTS), else the jobs' default. */
export function jobStatementTimeoutMs(env: Pick<Env, "jobStatementTimeoutMs" | "jobStatementTimeouts">, kind: string): number {
  return env.jobStatementTimeouts[kind] ?? env.jobStatementTimeoutMs;
}
