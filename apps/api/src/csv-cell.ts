// One CSV cell for spreadsheets: numbers stay numbers, and text can never run as a formula.
// Shared by the HTTP downloads (http/csv.ts) and the files the CLI writes (clv --out).

/** Excel in Japan opens UTF-8 CSV correctly only with a byte order mark. */
export const CSV_BOM = "\uFEFF";

export type CsvType = "text" | "number" | "time" | "boolean";

/**
 * Text a spreadsheet would run as a formula: starting (after any spaces) with = + - @, their
 * full-width forms ＝ ＋ － ＠ (Japanese input methods type those), the minus sign −, or a tab /
 * carriage return.
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\u2212]|^[\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * One RFC 4180 cell. A `number` column writes numbers (PostgreSQL's numerics arrive as strings)
 * as plain numbers, negative ones included; text that could run as a formula gets a leading
 * apostrophe so spreadsheets show it (CSV injection).
 */
export function csvCell(value: unknown, type: CsvType = "text"): string {
  if (value === null || value === undefined) return "";
  if (type === "number" && (typeof value === "number" || (typeof value === "string" && NUMBER.test(value)))) return String(value);
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value !== "number" && typeof value !== "boolean" && !(value instanceof Date) && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
