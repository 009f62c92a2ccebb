// `ltvloop import customers|orders FILE`: streams a CSV (or the CDNOW log) into the database.
import { inputFileSize } from "./files.ts";
import { createReadStream } from "node:fs";
import { basename, resolve } from "node:path";
import { Option, type Command } from "commander";
import { CUSTOMERS_HELP, ORDERS_HELP } from "../modules/import/columns.ts";
import { importCustomers } from "../modules/import/customers-import.service.ts";
import type { ImportEncoding, ImportOptions, ImportProgress, ImportSummary, WriteCounts } from "../modules/import/import.types.ts";
import { importOrders, type OrdersFormat } from "../modules/import/orders-import.service.ts";
import { DELIVERIES_HELP } from "../modules/deliveries/delivery-columns.ts";
import { importDeliveries } from "../modules/deliveries/delivery-import.service.ts";
import { ENCODING_NAMES, parseEncoding } from "../modules/import/text-source.ts";
import { problemPath } from "../modules/import/staging.ts";
import { registerChannelSpendImport } from "./channel-spend.command.ts";
import { registerLoyaltyImport } from "./loyalty.command.ts";
import { CliError, withDatabase } from "./context.ts";
import { createProgress } from "./progress.ts";
import { readNote } from "./read-note.ts";
import { readEnv } from "../env.ts";

interface ImportFlags {
  encoding: string;
  skipInvalid?: boolean;
  allowFuture?: boolean;
  dryRun?: boolean;
  format?: string;
  campaign?: string;
}

function encodingOf(raw: string): ImportEncoding {
  const encoding = parseEncoding(raw);
  if (!encoding) throw new CliError(`Unknown encoding "${raw}": use ${ENCODING_NAMES}.`);
  return encoding;
}


const number = (n: number) => n.toLocaleString("en-US");
const counts = (what: string, c: WriteCounts | undefined) =>
  c ? `  ${what.padEnd(10)} ${number(c.inserted)} inserted, ${number(c.updated)} updated, ${number(c.unchanged)} unchanged\n` : "";

export function formatSummary(summary: ImportSummary): string {
  if (summary.rowsRead === 0) return `Nothing to import: ${summary.label} has a header row but no data rows.\n`;
  const rows = `${number(summary.rowsRead)} row${summary.rowsRead === 1 ? "" : "s"}`;
  let out = `${summary.isDryRun ? "Dry run (nothing was written): " : "Imported "}${summary.label}: ${rows} read${readNote(summary)}\n`;
  out += counts("customers", summary.customers);
  out += counts("orders", summary.orders);
  out += counts("deliveries", summary.deliveries);
  if (summary.controlCustomers) {
    out += `  warning    ${number(summary.controlCustomers)} control customer${summary.controlCustomers === 1 ? " has" : "s have"} delivery rows: the holdout was contacted (contamination); the measurement reports it.\n`;
  }
  if (summary.skippedCount > 0) {
    out += `  skipped    ${number(summary.skippedCount)} invalid row${summary.skippedCount === 1 ? "" : "s"}:\n`;
    for (const p of summary.skipped) out += `    ${problemPath(p)}: ${p.message}\n`;
    if (summary.skippedCount > summary.skipped.length) out += `    (only the first ${summary.skipped.length} problems are listed)\n`;
  }
  return out;
}

function campaignIdOf(raw: string | undefined): number {
  if (raw === undefined) throw new CliError("--campaign <id> is required: the campaign whose delivery results the file holds.");
  if (!/^[1-9]\d{0,15}$/.test(raw.trim())) throw new CliError(`--campaign "${raw}" is not a campaign id: give the number shown on the campaign's page.`);
  return Number(raw.trim());
}

async function runFileImport(kind: "customers" | "orders" | "deliveries", given: string, flags: ImportFlags): Promise<void> {
  // Relative paths are relative to where the user typed the command, not to apps/api.
  const file = resolve(readEnv().invocationDir, given);
  const encoding = encodingOf(flags.encoding);
  const campaignId = kind === "deliveries" ? campaignIdOf(flags.campaign) : 0;
  const total = await inputFileSize(file);
  await withDatabase(async (handle) => {
    const progress = createProgress();
    let phase: ImportProgress["phase"] | undefined;
    const onProgress = (p: ImportProgress) => {
      if (p.phase !== phase) {
        phase = p.phase;
        progress.stop();
        progress.start(p.phase === "reading" ? total : 1, p.phase === "reading" ? `Reading ${basename(file)}` : p.phase === "checking" ? "Checking rows" : "Writing");
      }
      if (p.phase === "reading") progress.update(p.bytesRead);
    };
    const options: ImportOptions = {
      source: createReadStream(file, { highWaterMark: 1 << 20 }),
      label: file,
      encoding,
      skipInvalid: flags.skipInvalid ?? false,
      dryRun: flags.dryRun ?? false,
      allowFuture: flags.allowFuture ?? false,
      actor: { kind: "cli" },
      onProgress,
    };
    try {
      const summary =
        kind === "customers"
          ? await importCustomers({ handle, ...options })
          : kind === "deliveries"
            ? await importDeliveries({ handle, ...options, campaignId })
            : await importOrders({ handle, ...options, format: (flags.format ?? "csv") as OrdersFormat });
      progress.stop();
      process.stdout.write(formatSummary(summary));
    } finally {
      progress.stop();
    }
  });
}

const encodingOption = () =>
  new Option("--encoding <encoding>", "file encoding: utf8, shift_jis (aliases sjis, cp932; decoded as CP932), utf16le or utf16be").default("utf8");

export function register(program: Command): void {
  const command = program
    .command("import")
    .description("Import customers, orders, campaign deliveries or channel spend from a CSV file (all rows in one transaction).");

  command
    .command("customers")
    .description("Import or update customers from a CSV file.")
    .argument("<file>", "CSV file with a header row")
    .addOption(encodingOption())
    .option("--skip-invalid", "import the valid rows and report the invalid ones instead of rejecting the file")
    .option("--dry-run", "validate and count what would change, write nothing")
    .addHelpText("after", CUSTOMERS_HELP)
    .action((file: string, flags: ImportFlags) => runFileImport("customers", file, flags));

  command
    .command("orders")
    .description("Import or update orders from a CSV file (or the CDNOW log) and refresh the customers' rollups.")
    .argument("<file>", "CSV file with a header row, or a CDNOW transaction log with --format cdnow")
    .addOption(encodingOption())
    .addOption(new Option("--format <format>", "file format").choices(["csv", "cdnow"]).default("csv"))
    .option("--skip-invalid", "import the valid rows and report the invalid ones instead of rejecting the file")
    .option("--dry-run", "validate and count what would change, write nothing")
    .option("--allow-future", "accept orders dated after the import time (refused by default, beyond a 60-minute tolerance)")
    .addHelpText("after", ORDERS_HELP)
    .action((file: string, flags: ImportFlags) => runFileImport("orders", file, flags));

  command
    .command("deliveries")
    .description("Import a launched campaign's delivery results (sent, delivered, bounced, opened, clicked, redeemed per customer).")
    .argument("<file>", "CSV file with a header row: customer_external_id, event, occurred_at[, channel]")
    .requiredOption("--campaign <id>", "the campaign the deliveries belong to")
    .addOption(encodingOption())
    .option("--skip-invalid", "import the valid rows and report the invalid ones instead of rejecting the file")
    .option("--dry-run", "validate and count what would change, write nothing")
    .addHelpText("after", DELIVERIES_HELP)
    .action((file: string, flags: ImportFlags) => runFileImport("deliveries", file, flags));

  registerChannelSpendImport(command);
  registerLoyaltyImport(command);
}
