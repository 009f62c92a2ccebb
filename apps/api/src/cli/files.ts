import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { readEnv } from "../env.ts";
import type { ImportEncoding } from "../modules/import/import.types.ts";
import { ENCODING_NAMES, parseEncoding } from "../modules/import/text-source.ts";
import { CliError } from "./context.ts";

/** The size of a readable input file, or a CliError that says why it cannot be read. */
export async function inputFileSize(file: string): Promise<number> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new CliError(`${file} is not a file.`);
    return info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new CliError(`Cannot read ${file}: ${missing ? "no such file" : String(error)}.`);
  }
}

/**
 * A small CSV named on the command line, read whole (channel spend, loyalty entries): its path
 * from where the command was run, the --encoding flag checked, and its bytes.
 */
export async function readSmallInputFile(given: string, encodingFlag: string): Promise<{ file: string; encoding: ImportEncoding; bytes: Uint8Array }> {
  const encoding = parseEncoding(encodingFlag);
  if (!encoding) throw new CliError(`Unknown encoding "${encodingFlag}": use ${ENCODING_NAMES}.`);
  const file = resolve(readEnv().invocationDir, given);
  await inputFileSize(file);
  return { file, encoding, bytes: new Uint8Array(await readFile(file)) };
}
