// The scheduler loop as `ltvloop serve` and `ltvloop worker` run it: options from the
// environment, one line per event on stdout/stderr.
import type { DbHandle } from "@ltvloop/db/client";
import type { Env } from "../env.ts";
import { jobStatementTimeoutMs } from "../modules/jobs/job.timeouts.ts";
import { startScheduler, type RunningScheduler, type SchedulerEvent } from "../modules/scheduler/scheduler.service.ts";

export function describeEvent(event: SchedulerEvent): string {
  switch (event.type) {
    case "enqueued":
      return `[scheduler] queued job ${event.jobId} ${event.kind} for ${event.scheduledFor.toISOString()}`;
    case "finished":
      return `[scheduler] job ${event.jobId} ${event.kind} ${event.status} in ${(event.ms / 1000).toFixed(1)} s: ${event.detail}`;
    case "healed":
      return `[scheduler] ${event.jobs} job(s) of stopped processes marked failed or queued for a retry`;
    case "error":
      return `[scheduler] error: ${event.message}`;
  }
}

export function runSchedulerFromEnv(handle: DbHandle, env: Env, extra: { onEvent?: (event: SchedulerEvent) => void } = {}): RunningScheduler {
  return startScheduler(handle, {
    pollMs: env.schedulerPollMs,
    statementTimeoutMs: (kind) => jobStatementTimeoutMs(env, kind),
    jobTimeouts: env,
    onEvent: (event) => {
      (event.type === "error" || (event.type === "finished" && event.status !== "succeeded") ? process.stderr : process.stdout).write(`${describeEvent(event)}\n`);
      extra.onEvent?.(event);
    },
  });
}
