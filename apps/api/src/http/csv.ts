// CSV files for spreadsheets: cells that stay what they are (numbers as numbers, text that can
// never run as a formula), and downloads that are either whole or visibly broken.
import type { Response } from "express";
import { CSV_BOM, csvCell, type CsvType } from "../csv-cell.ts";

export { CSV_BOM, csvCell, type CsvType };

export interface CsvColumn<Row> {
  name: string;
  type: CsvType;
  value: (row: Row) => unknown;
}

/**
 * Streams a CSV download page by page (keyset pages, back-pressure respected). The first page is
 * read before anything is sent, so a failure there is a proper error response. A failure after
 * the first byte cuts the connection without the final chunk: every HTTP client then reports an
 * incomplete download instead of a shorter file that looks whole. A complete file ends with the
 * trailer `X-Export-Rows`.
 */
export async function streamCsv<Row>(
  res: Response,
  options: { filename: string; columns: CsvColumn<Row>[]; page: (after: Row | null) => Promise<Row[]>; pageSize: number },
): Promise<void> {
  let rows = await options.page(null);
  res.status(200);
  res.setHeader("content-type", "text/csv; charset=utf-8");
  res.setHeader("content-disposition", `attachment; filename="${options.filename}"`);
  res.setHeader("cache-control", "no-store");
  res.setHeader("trailer", "X-Export-Rows");
  res.write(`${CSV_BOM}${options.columns.map((c) => c.name).join(",")}\r\n`);
  let total = 0;
  try {
    while (rows.length > 0) {
      const chunk = rows.map((row) => options.columns.map((c) => csvCell(c.value(row), c.type)).join(",")).join("\r\n");
      total += rows.length;
      if (!res.write(`${chunk}\r\n`)) await new Promise((resolve) => res.once("drain", resolve));
      if (rows.length < options.pageSize) break;
      rows = await options.page(rows[rows.length - 1] as Row);
    }
  } catch (error) {
    process.stderr.write(`[export] ${options.filename} failed after ${total} rows: ${error instanceof Error ? error.message : String(error)}\n`);
    res.destroy();
    return;
  }
  res.addTrailers({ "X-Export-Rows": String(total) });
  res.end();
}

/** The JSON error body every export route answers with before its first byte. */
export function exportError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}
