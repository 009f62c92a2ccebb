// The `ltvloop` command: serve, migrate, seed, import, snapshot, clv.
import "reflect-metadata";
import { Command, CommanderError } from "commander";
import { CliError, withDatabase } from "./cli/context.ts";
import { DomainError } from "./errors.ts";
import { EnvError } from "./env.ts";

const program = new Command("ltvloop")
  .description("LTV Loop: customer lifetime value, RFM segments and campaign PDCA.")
  .showHelpAfterError("(run with --help for usage)")
  .exitOverride();

program
  .command("migrate")
  .description("Apply the committed database migrations (embedded PGlite, or DATABASE_URL).")
  .action(async () => {
    await withDatabase(async (handle) => {
      process.stdout.write(`Migrations applied (${handle.kind} database).\n`);
    });
  });

const commandModules: Record<string, () => Promise<{ register: (program: Command) => void }>> = {
  seed: () => import("./cli/seed.command.ts"),
  import: () => import("./cli/import.command.ts"),
  serve: () => import("./cli/serve.command.ts"),
  snapshot: () => import("./cli/snapshot.command.ts"),
  clv: () => import("./cli/clv.command.ts"),
};

async function main(argv: string[]): Promise<number> {
  // Only the named command's module is loaded (the server's stack is not needed for `clv`);
  // the overall --help and unknown commands load them all.
  const named = commandModules[argv[2] ?? ""];
  for (const load of named ? [named] : Object.values(commandModules)) {
    const mod = await load();
    mod.register(program);
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
        for (const problem of error.problems.slice(0, 50)) process.stderr.write(`  ${problem.path}: ${problem.message}\n`);
        if (error.problems.length > 50) process.stderr.write(`  … and ${error.problems.length - 50} more\n`);
      }
      return error instanceof CliError ? error.exitCode : 1;
    }
    process.stderr.write(`ltvloop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// Long-lived commands (serve) keep the event loop alive themselves; others exit with their code.
if (code !== 0 || !program.args.includes("serve")) process.exitCode = code;
