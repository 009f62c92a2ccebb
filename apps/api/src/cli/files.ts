import { stat } from "node:fs/promises";
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
