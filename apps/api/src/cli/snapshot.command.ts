import type { Command } from "commander";
import { withDatabase } from "./context.ts";
import { createProgress } from "./progress.ts";
import { parseDateOption } from "./seed.command.ts";
import { jobStatementTimeoutMs } from "../modules/jobs/job.timeouts.ts";
import { SNAPSHOT_JOB, createSnapshot, executeSnapshot } from "../modules/snapshots/snapshot.service.ts";

export function register(program: Command): void {
  program
    .command("snapshot")
    .description("Score every customer now: RFM, deciles, BG/NBD + Gamma-Gamma CLV, P(alive), segment memberships.")
    .option("--as-of <date>", "compute as of the start of this day (YYYY-MM-DD, business time zone); default now", parseDateOption)
    .option("--model <model>", "model driving the predictions: bg-nbd or pareto-nbd", "bg-nbd")
    .option("--horizon-months <n>", "predicted CLV horizon in months", (v) => Number(v), 12)
    .action(async (opts: { asOf?: string; model: string; horizonMonths: number }) => {
      await withDatabase(async (handle, env) => {
        const snapshot = await createSnapshot(handle, null, {
          asOfDate: opts.asOf ?? null,
          model: opts.model === "pareto-nbd" ? "pareto-nbd" : opts.model === "bg-nbd" ? "bg-nbd" : invalidModel(opts.model),
          horizonMonths: opts.horizonMonths,
        });
        const progress = createProgress();
        progress.start(100, `Snapshot ${snapshot.id}`);
        const done = await executeSnapshot(handle, snapshot.id, (p) => progress.update(Math.round(p * 100)), {
          statementTimeoutMs: jobStatementTimeoutMs(env, SNAPSHOT_JOB),
        });
        progress.update(100);
        progress.stop();
        if (done.status !== "succeeded") throw new Error(`Snapshot ${done.id} failed: ${done.error}`);
        const fits = done.modelFits;
        process.stdout.write(`Snapshot ${done.id}: ${done.customerCount} customers scored as of ${done.asOf.toISOString()}.\n`);
        process.stdout.write(`Stages (ms): ${JSON.stringify(done.timings)}\n`);
        if (fits && "params" in fits.bgNbd) process.stdout.write(`BG/NBD: ${JSON.stringify(fits.bgNbd.params)} LL ${fits.bgNbd.logLikelihood.toFixed(1)}\n`);
        if (fits && "params" in fits.gammaGamma) process.stdout.write(`Gamma-Gamma: ${JSON.stringify(fits.gammaGamma.params)}\n`);
      });
    });
}

function invalidModel(model: string): never {
  throw new Error(`--model must be bg-nbd or pareto-nbd; got "${model}".`);
}
