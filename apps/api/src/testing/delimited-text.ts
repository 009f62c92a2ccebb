// The same rows as the files users bring: comma-separated, tab-separated (Excel's "Text (Tab
// delimited)", Japanese EC tools) and Excel's "Unicode Text" (UTF-16LE with a byte order mark,
// tab-separated). A cell holding the separator, a quote or a line break is quoted, "" for a quote.

const quoted = (separator: string) => (cell: string) => (cell.includes(separator) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);

export const csv = (rows: readonly (readonly string[])[]) => `${rows.map((r) => r.map(quoted(",")).join(",")).join("\r\n")}\r\n`;
export const tsv = (rows: readonly (readonly string[])[]) => `${rows.map((r) => r.map(quoted("\t")).join("\t")).join("\r\n")}\r\n`;
/** Excel's "Unicode Text": UTF-16LE with a byte order mark, tab-separated. */
export const unicodeText = (rows: readonly (readonly string[])[]) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv(rows), "utf16le")]);
