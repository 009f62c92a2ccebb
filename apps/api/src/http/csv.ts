// CSV cells for files people open in spreadsheets.

/** Excel in Japan opens UTF-8 CSV correctly only with a byte order mark. */
export const CSV_BOM = "\uFEFF";

/**
 * One RFC 4180 cell. Text starting with = + - @ (or a tab/CR) gets a leading apostrophe so
 * spreadsheets show it instead of running it as a formula (CSV injection); numbers are left as
 * they are, so negative amounts stay numbers.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
