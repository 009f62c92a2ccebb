// `ltvloop import channel-spend FILE`: acquisition spend per channel and month (see the module).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { CHANNEL_SPEND_HELP, importChannelSpend } from "../modules/acquisition/channel-spend-import.ts";
import { parseEncoding } from "../modules/import/text-source.ts";
import { readEnv } from "../env.ts";
import { inputFileSize } from "./files.ts";
import { CliError, withDatabase } from "./context.ts";

export function registerChannelSpendImport(command: Command): void {
  command
    .command("channel-spend")
    .description("Import acquisition spend per channel and month from a CSV file (all rows or none).")
    .argument("<file>", "CSV file with a header row: channel, month, amount[, currency]")
    .addOption(new Option("--encoding <encoding>", "file encoding: utf8 or shift_jis (aliases sjis, cp932; decoded as CP932)").default("utf8"))
    .addHelpText("after", CHANNEL_SPEND_HELP)
    .action(async (given: string, flags: { encoding: string }) => {
      const encoding = parseEncoding(flags.encoding);
      if (!encoding) throw new CliError(`Unknown encoding "${flags.encoding}": use utf8 or shift_jis (aliases sjis, cp932).`);
      const file = resolve(readEnv().invocationDir, given);
      await inputFileSize(file);
      const bytes = await readFile(file);
      await withDatabase(async (handle) => {
        const s = await importChannelSpend(handle, new Uint8Array(bytes), { label: file, encoding, actor: null });
        process.stdout.write(
          s.rowsRead === 0
            ? `Nothing to import: ${file} has a header row but no data rows.\n`
            : `Imported ${file}: ${s.rowsRead} row${s.rowsRead === 1 ? "" : "s"} read\n  channel spend ${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged\n`,
        );
      });
    });
}
