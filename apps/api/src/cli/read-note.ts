// How an import read its file, for the CLI's "… N rows read" line: every import says it the same way.
import type { ImportEncoding } from "../modules/import/import.types.ts";

const ENCODING_LABELS = { utf8: "UTF-8", shift_jis: "Shift_JIS", utf16le: "UTF-16LE", utf16be: "UTF-16BE" } as const;

/**
 * " (tab-separated, UTF-16LE)" when the file was read as what it said rather than as chosen:
 * tab-separated (from its header), UTF-16 (from its byte order mark, or as declared); "" for a
 * comma-separated file in UTF-8 or Shift_JIS.
 */
export function readNote(read: { delimiter?: "comma" | "tab" | undefined; encoding?: ImportEncoding | undefined }): string {
  const notes: string[] = [];
  if (read.delimiter === "tab") notes.push("tab-separated");
  if (read.encoding === "utf16le" || read.encoding === "utf16be") notes.push(ENCODING_LABELS[read.encoding]);
  return notes.length > 0 ? ` (${notes.join(", ")})` : "";
}
