import type { Command } from "commander";
import { readEnv } from "../env.ts";
import { createApp } from "../server.ts";
import { openDatabase } from "./context.ts";
import { createProgress } from "./progress.ts";
import { countCustomers, demoSignIns, seedDemoData } from "../modules/seed/seed.service.ts";
import { startOfTodayInTokyo } from "./seed.command.ts";
import { healSnapshots, latestSnapshot } from "../modules/snapshots/snapshot.service.ts";
import { computeSnapshotWithProgress, finishDemo } from "./first-snapshot.ts";
import { runSchedulerFromEnv } from "./scheduler-runner.ts";

export function register(program: Command): void {
  program
    .command("serve")
    .description("Serve the admin UI at /, GraphQL at /graphql and /healthz on one port (PORT, default 4000).")
    .option("--prepare", "on an empty database, seed the demo data first (what `pnpm start` does)", false)
    .action(async (opts: { prepare: boolean }) => {
      const env = readEnv();
      const handle = await openDatabase(env, { statementTimeoutMs: env.statementTimeoutMs, idleInTransactionTimeoutMs: env.idleInTransactionTimeoutMs });
      if (opts.prepare && (await countCustomers(handle.query)) === 0) {
        process.stdout.write("Empty database: seeding the demo data set (once; later starts reuse it).\n");
        const asOf = startOfTodayInTokyo();
        const result = await seedDemoData(handle, {
          seed: 42,
          customers: 20_000,
          years: 3,
          asOf,
          demoPassword: env.demoPassword,
          importHistory: true,
          progress: createProgress(),
        });
        process.stdout.write(`Seeded ${result.customers} customers and ${result.orders} orders in ${result.seconds.toFixed(1)} s.\n`);
        await finishDemo(handle, { asOf, seed: 42, campaigns: true, snapshot: true });
      }
      // Snapshots whose process died (on the embedded database: any left running; on PostgreSQL:
      // those whose lease ran out) are marked failed; later ones heal the same way without a restart.
      const interrupted = await healSnapshots(handle);
      if (interrupted > 0) process.stdout.write(`Marked ${interrupted} snapshot(s) interrupted by a stopped process as failed.\n`);
      if (opts.prepare && (await countCustomers(handle.query)) > 0 && !(await latestSnapshot(handle.query))) {
        process.stdout.write("Computing the first snapshot (RFM, deciles, CLV models)…\n");
        const snapshot = await computeSnapshotWithProgress(handle, "First snapshot");
        process.stdout.write(
          snapshot.status === "succeeded"
            ? `Snapshot ${snapshot.id}: ${snapshot.customerCount} customers scored.\n`
            : `The first snapshot failed: ${snapshot.error}. The server starts anyway; create one from the dashboard.\n`,
        );
      }
      // Every start of an embedded demo says how to sign in, for as long as the demo password works.
      const signIns = opts.prepare && handle.kind === "embedded" ? await demoSignIns(handle.db, env.demoPassword) : [];
      if (signIns.length > 0) {
        process.stdout.write(
          `\nDemo sign-in (embedded demo only), password "${env.demoPassword}":\n` +
            signIns.map((u) => `  ${u.role.padEnd(9)} ${u.email}\n`).join("") +
            "\n",
        );
      }
      const { listen, stop } = await createApp({ handle, env });
      // Scheduled work (nightly snapshot, final measurements) runs here unless LTVLOOP_SCHEDULER=0.
      const scheduler = env.schedulerEnabled ? runSchedulerFromEnv(handle, env) : null;
      const server = listen(env.port, env.host, () => {
        process.stdout.write(
          `LTV Loop is running on http://${env.host === "0.0.0.0" ? "localhost" : env.host}:${env.port}/ (${handle.kind} database). GraphQL at /graphql.\n`,
        );
        if (!scheduler) process.stdout.write("The scheduler is off here (LTVLOOP_SCHEDULER=0): run `ltvloop worker` for nightly snapshots and final measurements.\n");
      });
      server.on("error", (error: NodeJS.ErrnoException) => {
        process.stderr.write(
          error.code === "EADDRINUSE"
            ? `ltvloop: port ${env.port} is in use. Stop the other process or set PORT to a free port.\n`
            : `ltvloop: ${error.message}\n`,
        );
        process.exit(1);
      });
      // Ctrl-C may arrive twice (from the terminal and from `pnpm start` passing it on): the
      // first one starts the shutdown, later ones wait for it.
      let stopping = false;
      const shutdown = () => {
        if (stopping) return;
        stopping = true;
        process.stdout.write("Stopping LTV Loop…\n");
        server.close();
        server.closeAllConnections();
        // GraphQL gets a few seconds to finish; the database is closed in any case, and a
        // shutdown that still hangs ends the process rather than leaving it running unseen.
        setTimeout(() => {
          process.stderr.write("ltvloop: the server did not stop within 15 s; exiting.\n");
          process.exit(1);
        }, 15_000).unref();
        const grace = new Promise<void>((resolve) => setTimeout(resolve, 5_000));
        const stopAll = Promise.all([stop().catch(() => undefined), scheduler?.stop().catch(() => undefined)]);
        void Promise.race([stopAll, grace])
          .then(() => handle.close())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              process.stderr.write(`ltvloop: closing the database failed: ${(error as Error).message}\n`);
              process.exit(1);
            },
          );
      };
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
    });
}
