// `ltvloop import channel-spend FILE`: acquisition spend per channel and month (see the module).
import { Option, type Command } from "commander";
import { CHANNEL_SPEND_HELP, importChannelSpend } from "../modules/acquisition/channel-spend-import.ts";
import { readSmallInputFile } from "./files.ts";
import { withDatabase } from "./context.ts";
import { readNote } from "./read-note.ts";

export function registerChannelSpendImport(command: Command): void {
  command
    .command("channel-spend")
    .description("Import acquisition spend per channel and month from a CSV or tab-separated file (all rows or none).")
    .argument("<file>", "CSV or tab-separated file with a header row: channel, month, amount[, currency]")
    .addOption(new Option("--encoding <encoding>", "file encoding: utf8, shift_jis (aliases sjis, cp932; decoded as CP932), utf16le or utf16be").default("utf8"))
    .addHelpText("after", CHANNEL_SPEND_HELP)
    .action(async (given: string, flags: { encoding: string }) => {
      const { file, encoding, bytes } = await readSmallInputFile(given, flags.encoding);
      await withDatabase(async (handle) => {
        const s = await importChannelSpend(handle, bytes, { label: file, encoding, actor: null });
        process.stdout.write(
          s.rowsRead === 0
            ? `Nothing to import: ${file} has a header row but no data rows.\n`
            : `Imported ${file}: ${s.rowsRead} row${s.rowsRead === 1 ? "" : "s"} read${readNote(s)}\n  channel spend ${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged\n`,
        );
      });
    });
}
