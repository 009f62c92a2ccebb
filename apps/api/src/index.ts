// The `ltvloop` command: serve, worker, migrate, seed, import, snapshot, clv.
import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { CliError } from "./cli/cli-error.ts";
import { DomainError } from "./errors.ts";
import { EnvError } from "./env.ts";

// `ltvloop … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const program = new Command("ltvloop")
  .description("LTV Loop: customer lifetime value, RFM segments and campaign PDCA.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

program
  .command("migrate")
  .description("Apply the committed database migrations (embedded PGlite, or DATABASE_URL).")
  .action(async () => {
    const { withDatabase } = await import("./cli/context.ts");
    await withDatabase(async (handle) => {
      process.stdout.write(`Migrations applied (${handle.kind} database).\n`);
    });
  });

/**
 * Each command's module loads only when that command runs, so `ltvloop --help` and a typo answer
 * at once instead of first loading the server, the models and the database drivers.
 */
const commands: Record<string, { summary: string; load: () => Promise<{ register: (program: Command) => void }> }> = {
  seed: { summary: "write the demo data set (customers, orders, users, a snapshot)", load: () => import("./cli/seed.command.ts") },
  import: { summary: "import customers, orders, channel spend or loyalty entries from a CSV file", load: () => import("./cli/import.command.ts") },
  serve: { summary: "serve the admin UI, GraphQL and /healthz on one port", load: () => import("./cli/serve.command.ts") },
  worker: { summary: "run scheduled work (nightly snapshot, final measurements) until stopped", load: () => import("./cli/worker.command.ts") },
  snapshot: { summary: "score every customer now (RFM, deciles, CLV, P(alive), segments)", load: () => import("./cli/snapshot.command.ts") },
  loyalty: { summary: "loyalty programme maintenance (write due points expiries)", load: () => import("./cli/loyalty.command.ts") },
  clv: { summary: "fit the CLV models on a transaction CSV, no database needed", load: () => import("./cli/clv.command.ts") },
};

/** Problems of a refused input printed under its message. */
const MAX_PRINTED_PROBLEMS = 100;

async function main(argv: string[]): Promise<number> {
  const requested = commands[argv[2] ?? ""];
  if (requested) {
    (await requested.load()).register(program);
  } else {
    // Help, no command or an unknown one: list the commands without loading them.
    for (const [name, { summary }] of Object.entries(commands)) program.command(name).summary(summary);
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode;
    }
    if (error instanceof CliError || error instanceof EnvError || error instanceof DomainError) {
      process.stderr.write(`ltvloop: ${error.message}\n`);
      if (error instanceof DomainError) {
        // Every problem the error carries (an import reports its first 100 and says how many
        // there are in all): a shorter list with "… and N more" read as N more in the file.
        for (const problem of error.problems.slice(0, MAX_PRINTED_PROBLEMS)) process.stderr.write(`  ${problem.path}: ${problem.message}\n`);
        if (error.problems.length > MAX_PRINTED_PROBLEMS) process.stderr.write(`  … and ${error.problems.length - MAX_PRINTED_PROBLEMS} more\n`);
      }
      return error instanceof CliError ? error.exitCode : 1;
    }
    process.stderr.write(`ltvloop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// Long-lived commands (serve) keep the event loop alive themselves; others exit with their code.
if (code !== 0 || !(program.args.includes("serve") || program.args.includes("worker"))) process.exitCode = code;
