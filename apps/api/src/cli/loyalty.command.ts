// `ltvloop loyalty expire`: writes the points expiries due (idempotent); and
// `ltvloop import loyalty FILE`: redemptions and adjustments from CSV (registered by import.command.ts).
import { Option, type Command } from "commander";
import { processExpiries } from "../modules/loyalty/loyalty-earn.service.ts";
import { importLoyaltyEntries, LOYALTY_ENTRIES_HELP } from "../modules/loyalty/loyalty-import.ts";
import { writeAudit } from "../modules/audit/audit.service.ts";
import { readSmallInputFile } from "./files.ts";
import { withDatabase } from "./context.ts";
import { readNote } from "./read-note.ts";

export function registerLoyaltyImport(command: Command): void {
  command
    .command("loyalty")
    .description("Import points redemptions and adjustments from a CSV or tab-separated file (all rows or none).")
    .argument("<file>", "CSV or tab-separated file with a header row: customer_external_id, kind, points, entry_id[, note]")
    .addOption(new Option("--encoding <encoding>", "file encoding: utf8, shift_jis (aliases sjis, cp932; decoded as CP932), utf16le or utf16be").default("utf8"))
    .addHelpText("after", LOYALTY_ENTRIES_HELP)
    .action(async (given: string, flags: { encoding: string }) => {
      const { file, encoding, bytes } = await readSmallInputFile(given, flags.encoding);
      await withDatabase(async (handle) => {
        const s = await importLoyaltyEntries(handle, bytes, { label: file, encoding, actor: null });
        process.stdout.write(`Imported ${file}: ${s.rowsRead} row${s.rowsRead === 1 ? "" : "s"} read${readNote(s)}, ${s.recorded} recorded, ${s.unchanged} already recorded\n`);
      });
    });
}

export function register(program: Command): void {
  const command = program.command("loyalty").description("Loyalty programme maintenance.");
  command
    .command("expire")
    .description("Write the expiries of unused points due by now (running it again writes nothing).")
    .action(async () => {
      await withDatabase(async (handle) => {
        const now = new Date();
        const written = await handle.transaction(async ({ query }) => {
          const n = await processExpiries(query, now);
          await writeAudit(query, null, "loyalty.expire", "loyalty_point_entries", null, { asOf: now.toISOString(), entries: n });
          return n;
        });
        process.stdout.write(`Points expiry as of ${now.toISOString()}: ${written} expiry entr${written === 1 ? "y" : "ies"} written.\n`);
      });
    });
}
