import type { Command } from "commander";
import { readEnv } from "../env.ts";
import { openDatabase } from "./context.ts";
import { runSchedulerFromEnv } from "./scheduler-runner.ts";

export function register(program: Command): void {
  program
    .command("worker")
    .description(
      "Run scheduled work in this process until stopped: the nightly snapshot, campaigns' final measurements, retries. " +
        "For PostgreSQL (any number of workers and servers share the work); on the embedded database `serve` runs it itself.",
    )
    .action(async () => {
      const env = readEnv();
      const handle = await openDatabase(env);
      process.stdout.write(`LTV Loop worker: looking for due jobs every ${env.schedulerPollMs / 1000} s (${handle.kind} database). Ctrl-C stops it.\n`);
      const scheduler = runSchedulerFromEnv(handle, env);
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        process.stdout.write("Stopping the worker after the current job…\n");
        void scheduler
          .stop()
          .then(() => handle.close())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              process.stderr.write(`ltvloop: ${(error as Error).message}\n`);
              process.exit(1);
            },
          );
      };
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
    });
}
