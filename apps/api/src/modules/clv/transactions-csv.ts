// Reads an analyst's transaction export (customer_id, ordered_at, amount) for `ltvloop clv`,
// with the import's decoding, CSV streaming and cell rules, so a file that the import accepts
// is read the same way here and a bad file gets the same line-numbered messages.
import type { Transaction } from "@ltvloop/scoring/summary";
import { badInput, type FieldProblem } from "../../errors.ts";
import { readCsvRecordBlocks } from "../import/csv-records.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { decodeSource } from "../import/text-source.ts";
import { parseMoney, parseTimestamp } from "../import/values.ts";

/** The columns the command reads; any other column is ignored (and named in the report). */
export const TRANSACTION_COLUMNS = ["customer_id", "ordered_at", "amount"] as const;
type TransactionColumn = (typeof TRANSACTION_COLUMNS)[number];

/** Problems listed in the rejection; the CLI prints at most 50 anyway. */
const MAX_LISTED_PROBLEMS = 50;

export interface ReadTransactionsOptions {
  /** File name for messages. */
  label: string;
  encoding?: ImportEncoding;
  onBytes?: (bytesRead: number) => void;
}

export interface TransactionFile {
  transactions: Transaction[];
  /** Data rows read (the header and blank rows not counted). */
  rowsRead: number;
  /** Header names of columns that were present but not used. */
  ignoredColumns: string[];
}

interface Problem {
  line: number;
  column?: TransactionColumn;
  message: string;
}

const problemPath = (p: Problem) => (p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`);

/**
 * The `at` of a transaction as `summarizeTransactions` takes it. A cell without a zone is a
 * wall-clock time in the business time zone, so its calendar day is simply its date part; a
 * cell with a zone is an instant, converted to the business time zone's calendar day later.
 */
function transactionAt(local: string, offset: string | null): string {
  return offset === null ? local.slice(0, 10) : `${local.replace(" ", "T")}${offset}`;
}

/**
 * Amount rule of `@ltvloop/scoring/summary`: a zero amount still makes a purchase day, a
 * negative one is refused because refunds must be left out, never netted. The refund hint of
 * the import ("status refunded") does not apply to an export, so negatives are caught here.
 */
function parseAmount(raw: string): { ok: true; value: number } | { ok: false; message: string } {
  const negative = /^\s*-/.test(raw);
  const parsed = parseMoney(negative ? raw.replace(/^\s*-/, "") : raw, "amount");
  if (!parsed.ok) return parsed;
  if (negative && Number(parsed.value) !== 0) {
    return {
      ok: false,
      message: `amount must be 0 or more, got ${raw}: leave refunds and cancellations out of the export (the models count purchases only; a 0 amount is allowed and counts as a purchase day).`,
    };
  }
  return { ok: true, value: Number(parsed.value) };
}

function resolveHeader(fields: string[], line: number): { index: Map<TransactionColumn, number>; ignored: string[] } {
  const index = new Map<TransactionColumn, number>();
  const ignored: string[] = [];
  const problems: Problem[] = [];
  const expected = TRANSACTION_COLUMNS.join(",");
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const column = TRANSACTION_COLUMNS.find((c) => c === name);
    if (column === undefined) {
      ignored.push(raw.trim() === "" ? `(column ${i + 1}, no name)` : raw.trim());
    } else if (index.has(column)) {
      problems.push({ line, column, message: `the column ${column} appears twice: keep one.` });
    } else {
      index.set(column, i);
    }
  });
  for (const column of TRANSACTION_COLUMNS) {
    if (!index.has(column)) {
      problems.push({ line, column, message: `the required column ${column} is missing: the header must name ${expected} (any order, other columns are ignored).` });
    }
  }
  if (problems.length > 0) {
    throw badInput(
      "The transaction file's header is not usable; no predictions were made.",
      problems.map((p) => ({ path: problemPath(p), message: p.message })),
    );
  }
  return { index, ignored };
}

/**
 * Reads the whole file into transactions, or throws one `BAD_USER_INPUT` listing every bad
 * row (line and column, as the import does): the models are fitted on all rows or none, so a
 * half-read file never produces numbers. Header names are case-insensitive, column order is
 * free, extra columns are ignored; blank rows and rows of empty cells are skipped.
 */
export async function readTransactionsCsv(source: ImportSource, options: ReadTransactionsOptions): Promise<TransactionFile> {
  const text = decodeSource(source, options.encoding ?? "utf8", options.onBytes);
  const transactions: Transaction[] = [];
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };
  let header: { index: Map<TransactionColumn, number>; ignored: string[]; size: number } | undefined;
  let rowsRead = 0;
  for await (const records of readCsvRecordBlocks(text)) for (const record of records) {
    if (!header) {
      header = { ...resolveHeader(record.fields, record.line), size: record.fields.length };
      continue;
    }
    if (record.fields.every((f) => f.trim() === "")) continue;
    rowsRead++;
    if (record.fields.length !== header.size) {
      report({
        line: record.line,
        message: `the row has ${record.fields.length} fields but the header has ${header.size}: quote values that contain commas ("1,234") and check for missing or extra separators.`,
      });
      continue;
    }
    const { index } = header;
    const cell = (column: TransactionColumn) => (record.fields[index.get(column) ?? -1] ?? "").trim();
    const before = problemCount;
    const customerId = cell("customer_id");
    if (customerId === "") report({ line: record.line, column: "customer_id", message: "customer_id is required: every row needs the id of the customer who bought." });
    const orderedRaw = cell("ordered_at");
    const ordered = orderedRaw === "" ? undefined : parseTimestamp(orderedRaw);
    if (ordered === undefined) report({ line: record.line, column: "ordered_at", message: "ordered_at is required: write the purchase date, e.g. 2024-03-01 or 2024-03-01 14:05." });
    else if (!ordered.ok) report({ line: record.line, column: "ordered_at", message: ordered.message });
    const amountRaw = cell("amount");
    const amount = amountRaw === "" ? undefined : parseAmount(amountRaw);
    if (amount === undefined) report({ line: record.line, column: "amount", message: "amount is required: write the purchase value, e.g. 1280 (0 is allowed)." });
    else if (!amount.ok) report({ line: record.line, column: "amount", message: amount.message });
    if (problemCount > before || !ordered?.ok || !amount?.ok) continue;
    transactions.push({ customerId, at: transactionAt(ordered.value.local, ordered.value.offset), amount: amount.value });
  }
  if (!header) {
    throw badInput(`${options.label} is empty: expected a header row ${TRANSACTION_COLUMNS.join(",")} followed by one row per purchase.`, [
      { path: "line 1", message: `no header row; expected ${TRANSACTION_COLUMNS.join(",")}` },
    ]);
  }
  if (problemCount > 0) {
    const listed = problemCount > problems.length ? ` (the first ${problems.length} are listed)` : "";
    const list: FieldProblem[] = problems.map((p) => ({ path: problemPath(p), message: p.message }));
    throw badInput(
      `${options.label} was rejected: ${problemCount} problem${problemCount === 1 ? "" : "s"} in ${rowsRead} row${rowsRead === 1 ? "" : "s"}${listed}; no predictions were made. Fix the rows below and run the command again.`,
      list,
    );
  }
  if (rowsRead === 0) {
    throw badInput(`${options.label} has a header row but no transactions: add one row per purchase (${TRANSACTION_COLUMNS.join(",")}).`);
  }
  return { transactions, rowsRead, ignoredColumns: header.ignored };
}
