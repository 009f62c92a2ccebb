// Reads an analyst's transaction export (customer_id, ordered_at[, amount]) for `ltvloop clv`,
// with the import's decoding, CSV reader and cell rules, so a file that the import accepts is
// read the same way here and a bad file gets the same line-numbered messages. Rows are folded
// into per-customer purchase days as they are read (a PurchaseLog): no object per transaction.
import { PurchaseLog } from "@ltvloop/scoring/purchase-log";
import { calendarDay, formatDay } from "@ltvloop/scoring/summary";
import { badInput, type FieldProblem } from "../../errors.ts";
import { CsvParser, CsvSyntaxError } from "../import/csv-parser.ts";
import { syntaxProblem } from "../import/csv-records.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { decodeSource } from "../import/text-source.ts";
import { likelyColumn, otherSeparatorIn, separatorAdvice, type ImportProblemCode, type ProblemParams } from "../import/problems.ts";
import { parseId, parseMoney, parseTimestamp } from "../import/values.ts";

/** The columns the command reads; any other column is ignored (and named in the report). */
export const TRANSACTION_COLUMNS = ["customer_id", "ordered_at", "amount"] as const;
type TransactionColumn = (typeof TRANSACTION_COLUMNS)[number];
/** Without `amount` the file is read for the frequency models only. */
const REQUIRED_COLUMNS: readonly TransactionColumn[] = ["customer_id", "ordered_at"];

/** Problems listed in the rejection (the message says how many there are in all). */
const MAX_LISTED_PROBLEMS = 50;

export interface ReadTransactionsOptions {
  /** File name for messages. */
  label: string;
  encoding?: ImportEncoding;
  /** IANA time zone that defines calendar days (default Asia/Tokyo). */
  timeZone?: string;
  onBytes?: (bytesRead: number) => void;
  /** The file's size when known: room for its rows is made at once (see PurchaseLog). */
  expectedBytes?: number;
  /** false: every line takes the record path (tests compare the two). Default true. */
  fastLane?: boolean;
  /** The time of the run (default now): purchases on a later calendar day are refused. */
  now?: Date;
}

export interface TransactionFile {
  /** Every valid row, as per-customer purchase days. */
  log: PurchaseLog;
  /** Whether the file has an amount column (without it: frequency models only). */
  hasAmount: boolean;
  /** Data rows read (the header and blank rows not counted). */
  rowsRead: number;
  /** Header names of columns that were present but not used. */
  ignoredColumns: string[];
}

interface Problem {
  line: number;
  column?: TransactionColumn;
  /** The import problem code nearest to it; the message is this command's own. */
  code: ImportProblemCode;
  params: ProblemParams;
  message: string;
}

const toField = (p: Problem): FieldProblem => ({ path: problemPath(p), message: p.message, reason: p.code, params: p.params, line: p.line, ...(p.column ? { column: p.column } : {}) });

const problemPath = (p: Problem) => (p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`);

const PLAIN_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const MS_PER_DAY = 86_400_000;

/**
 * The calendar day of an instant in `timeZone`. `calendarDay` takes an instant exactly at UTC
 * midnight as the day it names (its rule for SQL dates), which is the previous day west of UTC
 * (2024-01-05T00:00:00Z is the evening of 2024-01-04 in New York): one millisecond later is
 * always the same local day, and is converted.
 */
function instantDay(ms: number, timeZone: string): number {
  return calendarDay(new Date(ms % MS_PER_DAY === 0 ? ms + 1 : ms), timeZone);
}

/**
 * Calendar day number of an ordered_at cell. A cell without a zone is a wall-clock time in the
 * business time zone, so its calendar day is its date part; a cell with a zone is an instant,
 * converted to the business time zone's calendar day. Plain YYYY-MM-DD cells (most exports)
 * take a cached fast path.
 */
function createDayParser(timeZone: string) {
  const cache = new Map<string, number>();
  return (raw: string): { ok: true; day: number } | { ok: false; code: ImportProblemCode; params: ProblemParams; message: string } => {
    const cached = cache.get(raw);
    if (cached !== undefined) return { ok: true, day: cached };
    const plain = PLAIN_DAY.exec(raw);
    const parsed = parseTimestamp(raw);
    if (!parsed.ok) return parsed;
    const { local, offset } = parsed.value;
    const day = offset === null ? calendarDay(local.slice(0, 10)) : instantDay(Date.parse(`${local.replace(" ", "T")}${offset}`), timeZone);
    if (plain) {
      if (cache.size > 100_000) cache.clear();
      cache.set(raw, day);
    }
    return { ok: true, day };
  };
}

/**
 * Amount rule of `@ltvloop/scoring/summary`: a zero amount still makes a purchase day, a
 * negative one is refused because refunds must be left out, never netted. The refund hint of
 * the import ("status refunded") does not apply to an export, so negatives are caught here.
 */
const SIMPLE_AMOUNT = /^\d{1,12}(?:\.\d{1,2})?$/;

function parseAmount(raw: string): { ok: true; value: number } | { ok: false; code: ImportProblemCode; params: ProblemParams; message: string } {
  if (SIMPLE_AMOUNT.test(raw)) return { ok: true, value: Number(raw) };
  const negative = /^\s*-/.test(raw);
  const parsed = parseMoney(negative ? raw.replace(/^\s*-/, "") : raw, "amount");
  if (!parsed.ok) return parsed;
  if (negative && Number(parsed.value) !== 0) {
    return {
      ok: false,
      code: "NEGATIVE_AMOUNT",
      params: { column: "amount", value: raw },
      message: `amount must be 0 or more, got ${raw}: leave refunds and cancellations out of the export (the models count purchases only; a 0 amount is allowed and counts as a purchase day).`,
    };
  }
  return { ok: true, value: Number(parsed.value) };
}

/**
 * What the header held instead: the separator, when the whole header was read as one column
 * ("customer_id;ordered_at"), else its columns, naming one that looks like the missing column.
 */
function missingColumnHint(column: TransactionColumn, fields: string[]): string {
  const separator = fields.length === 1 ? otherSeparatorIn(fields[0] ?? "") : null;
  if (separator) return ` ${separatorAdvice(separator)}.`;
  const names = fields.map((f) => f.trim()).filter((f) => f !== "");
  const alike = names.find((name) => likelyColumn(name, TRANSACTION_COLUMNS) === column);
  return ` The header has ${names.length > 0 ? names.join(", ") : "no named columns"}${alike ? `; if ${alike} is ${column}, rename it to ${column}` : ""}.`;
}

function resolveHeader(fields: string[], line: number): { index: Map<TransactionColumn, number>; ignored: string[] } {
  const index = new Map<TransactionColumn, number>();
  const ignored: string[] = [];
  const problems: Problem[] = [];
  const expected = `${REQUIRED_COLUMNS.join(",")} (and amount for the spend model)`;
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    const column = TRANSACTION_COLUMNS.find((c) => c === name);
    if (column === undefined) {
      ignored.push(raw.trim() === "" ? `(column ${i + 1}, no name)` : raw.trim());
    } else if (index.has(column)) {
      problems.push({ line, column, code: "DUPLICATE_COLUMN", params: { column }, message: `the column ${column} appears twice: keep one.` });
    } else {
      index.set(column, i);
    }
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!index.has(column)) {
      problems.push({
        line,
        column,
        code: "MISSING_COLUMN",
        params: { column, expected: TRANSACTION_COLUMNS.join(", "), required: REQUIRED_COLUMNS.join(", ") },
        message: `the required column ${column} is missing: the header must name ${expected}, in any order; other columns are ignored.${missingColumnHint(column, fields)}`,
      });
    }
  }
  if (problems.length > 0) {
    throw badInput(
      "The transaction file's header is not usable; no predictions were made.",
      problems.map(toField),
      "IMPORT_REJECTED",
    );
  }
  return { index, ignored };
}

/**
 * Reads the whole file into a PurchaseLog, or throws one `BAD_USER_INPUT` listing every bad row
 * (line and column, as the import does): the models are fitted on all rows or none, so a
 * half-read file never produces numbers. Header names are case-insensitive, column order is
 * free, extra columns are ignored; blank rows and rows of empty cells are skipped.
 */
export async function readTransactionsCsv(source: ImportSource, options: ReadTransactionsOptions): Promise<TransactionFile> {
  const text = decodeSource(source, options.encoding ?? "utf8", options.onBytes);
  // The shortest row a file can hold is about 13 bytes ("1,2024-03-01" and a line end).
  const log = new PurchaseLog({ expectedEntries: Math.ceil((options.expectedBytes ?? 0) / 13) });
  const timeZone = options.timeZone ?? "Asia/Tokyo";
  const dayOf = createDayParser(timeZone);
  // No purchase can be after today: one mistyped year (2097 for 1997) would stretch every
  // customer's T to it and wreck the fits and the holdout without a word.
  const today = instantDay((options.now ?? new Date()).getTime(), timeZone);
  const futureProblem = (line: number, value: string): Problem => ({
    line,
    column: "ordered_at",
    code: "FUTURE_PURCHASE",
    params: { value, max: formatDay(today) },
    message: `"${value}" is after today (${formatDay(today)} in ${timeZone}): a purchase cannot be in the future. Check the date (a mistyped year?) and, for times with a zone, --time-zone.`,
  });
  const problems: Problem[] = [];
  let problemCount = 0;
  const report = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };
  let header: { index: Map<TransactionColumn, number>; ignored: string[]; size: number; names: string[] } | undefined;
  let idAt = 0;
  let orderedAt = 0;
  let amountAt = -1;
  let rowsRead = 0;

  const onRecord = (fields: string[], line: number): void => {
    if (!header) {
      header = { ...resolveHeader(fields, line), size: fields.length, names: fields.map((f) => f.trim()) };
      idAt = header.index.get("customer_id") ?? 0;
      orderedAt = header.index.get("ordered_at") ?? 0;
      amountAt = header.index.get("amount") ?? -1;
      return;
    }
    if (fields.length !== header.size) {
      if (fields.every((f) => f.trim() === "")) return;
      rowsRead++;
      report({
        line,
        code: "FIELD_COUNT",
        params: { found: fields.length, expected: header.size },
        message: `the row has ${fields.length} fields but the header has ${header.size}: quote values that contain commas ("1,234") and check for missing or extra separators.`,
      });
      return;
    }
    const customerId = (fields[idAt] ?? "").trim();
    const orderedRaw = (fields[orderedAt] ?? "").trim();
    const amountRaw = amountAt === -1 ? "0" : (fields[amountAt] ?? "").trim();
    if (customerId === "" && orderedRaw === "" && (amountAt === -1 || amountRaw === "") && fields.every((f) => f.trim() === "")) return;
    rowsRead++;
    const before = problemCount;
    if (customerId === "") report({ line, column: "customer_id", code: "REQUIRED_VALUE", params: { column: "customer_id" }, message: "customer_id is required: every row needs the id of the customer who bought." });
    else {
      const id = parseId(customerId);
      if (!id.ok) report({ line, column: "customer_id", code: id.code, params: id.params, message: id.message });
    }
    const ordered = orderedRaw === "" ? undefined : dayOf(orderedRaw);
    if (ordered === undefined) report({ line, column: "ordered_at", code: "REQUIRED_VALUE", params: { column: "ordered_at" }, message: "ordered_at is required: write the purchase date, e.g. 2024-03-01 or 2024-03-01 14:05." });
    else if (!ordered.ok) report({ line, column: "ordered_at", code: ordered.code, params: ordered.params, message: ordered.message });
    else if (ordered.day > today) report(futureProblem(line, orderedRaw));
    const amount = amountRaw === "" ? undefined : parseAmount(amountRaw);
    if (amount === undefined) report({ line, column: "amount", code: "REQUIRED_VALUE", params: { column: "amount" }, message: "amount is required: write the purchase value, e.g. 1280 (0 is allowed)." });
    else if (!amount.ok) report({ line, column: "amount", code: amount.code, params: amount.params, message: amount.message });
    if (problemCount > before || !ordered?.ok || !amount?.ok) return;
    const customer = log.customerIndex(customerId);
    lastId = "";
    lastNumericId = -1;
    lastCustomer = customer;
    log.add(customer, ordered.day, amount.value);
  };

  // The fast lane: most lines of an export are `id,YYYY-MM-DD,123.45` without quotes or spaces.
  // They are taken apart here with indexOf and char codes (no field array, no per-row objects);
  // the first sighting of a date still goes through the full day parser, so every value is the
  // one the record path would produce. Anything unusual returns false and takes the record path,
  // which reports problems with line and column.
  let lastId = "";
  let lastNumericId = -1;
  let lastCustomer = -1;
  const plainDays = new Map<number, number>();
  const onPlainLine = (content: string, lineStart: number, lineEnd: number): boolean => {
    if (!header) return false;
    const size = header.size;
    let idStart = -1;
    let idEnd = -1;
    let dayStart = -1;
    let amountStart = -1;
    let amountEnd = -1;
    let start = lineStart;
    for (let field = 0; ; field++) {
      let end = content.indexOf(",", start);
      if (end >= lineEnd) end = -1;
      const last = field === size - 1;
      if (last) {
        if (end !== -1) return false;
        end = lineEnd;
      } else if (end === -1) return false;
      if (field === idAt) {
        idStart = start;
        idEnd = end;
      } else if (field === orderedAt) {
        if (end - start !== 10) return false;
        dayStart = start;
      } else if (field === amountAt) {
        amountStart = start;
        amountEnd = end;
      }
      if (last) break;
      start = end + 1;
    }
    if (idEnd <= idStart || content.charCodeAt(idStart) <= 0x20 || content.charCodeAt(idEnd - 1) <= 0x20) return false;
    // YYYY-MM-DD → yyyymmdd, then its day number (computed once per distinct date by the full parser).
    let key = 0;
    for (let i = dayStart; i < dayStart + 10; i++) {
      const c = content.charCodeAt(i);
      if (i === dayStart + 4 || i === dayStart + 7) {
        if (c !== 0x2d) return false;
      } else if (c >= 0x30 && c <= 0x39) key = key * 10 + (c - 0x30);
      else return false;
    }
    let day = plainDays.get(key);
    if (day === undefined) {
      const parsed = dayOf(content.slice(dayStart, dayStart + 10));
      if (!parsed.ok) return false;
      day = parsed.day;
      plainDays.set(key, day);
    }
    if (day > today) return false;
    // Amount: 1–12 digits, optionally a point and 1–2 decimals (the pattern Number() reads exactly as written).
    let amount = 0;
    if (amountAt !== -1) {
      let whole = 0;
      let digits = 0;
      let i = amountStart;
      for (; i < amountEnd; i++) {
        const c = content.charCodeAt(i);
        if (c < 0x30 || c > 0x39) break;
        whole = whole * 10 + (c - 0x30);
        digits++;
      }
      if (digits === 0 || digits > 12) return false;
      if (i === amountEnd) amount = whole;
      else {
        if (content.charCodeAt(i) !== 0x2e) return false;
        const decimals = amountEnd - i - 1;
        if (decimals < 1 || decimals > 2) return false;
        let fraction = 0;
        for (let j = i + 1; j < amountEnd; j++) {
          const c = content.charCodeAt(j);
          if (c < 0x30 || c > 0x39) return false;
          fraction = fraction * 10 + (c - 0x30);
        }
        // An exact integer divided by 10 or 100 rounds to the same double as Number("whole.fraction").
        amount = decimals === 1 ? (whole * 10 + fraction) / 10 : (whole * 100 + fraction) / 100;
      }
    }
    // A plain decimal id (most exports) is keyed by its value; any other id by its text.
    let numericId = -1;
    const idLength = idEnd - idStart;
    if (idLength <= 15 && (idLength === 1 || content.charCodeAt(idStart) !== 0x30)) {
      numericId = 0;
      for (let i = idStart; i < idEnd; i++) {
        const c = content.charCodeAt(i);
        if (c < 0x30 || c > 0x39) {
          numericId = -1;
          break;
        }
        numericId = numericId * 10 + (c - 0x30);
      }
    }
    let customer = lastCustomer;
    if (numericId !== -1) {
      if (numericId !== lastNumericId) {
        customer = log.numericCustomerIndex(numericId);
        lastNumericId = numericId;
        lastId = "";
        lastCustomer = customer;
      }
    } else if (!(idLength === lastId.length && content.startsWith(lastId, idStart))) {
      const id = content.slice(idStart, idEnd);
      if (!parseId(id).ok) return false;
      customer = log.customerIndex(id);
      lastId = id;
      lastNumericId = -1;
      lastCustomer = customer;
    }
    rowsRead++;
    log.add(customer, day, amount);
    return true;
  };

  const parser = new CsvParser(onRecord, options.fastLane === false ? {} : { onPlainLine });
  try {
    for await (const block of text) parser.push(block);
    parser.end();
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw syntaxProblem(error, header?.names);
    throw error;
  }
  if (!header) {
    throw badInput(`${options.label} is empty: expected a header row ${TRANSACTION_COLUMNS.join(",")} followed by one row per purchase.`, [
      { path: "line 1", message: `no header row; expected ${TRANSACTION_COLUMNS.join(",")}`, reason: "EMPTY_FILE", params: { expected: TRANSACTION_COLUMNS.join(", ") }, line: 1 },
    ], "IMPORT_REJECTED");
  }
  if (problemCount > 0) {
    const listed = problemCount > problems.length ? ` (the first ${problems.length} are listed)` : "";
    const list: FieldProblem[] = problems.map(toField);
    throw badInput(
      `${options.label} was rejected: ${problemCount} problem${problemCount === 1 ? "" : "s"} in ${rowsRead} row${rowsRead === 1 ? "" : "s"}${listed}; no predictions were made. Fix the rows below and run the command again.`,
      list,
      "IMPORT_REJECTED",
    );
  }
  if (rowsRead === 0) {
    throw badInput(`${options.label} has a header row but no transactions: add one row per purchase (${TRANSACTION_COLUMNS.join(",")}).`, [], "NO_TRANSACTIONS");
  }
  return { log, hasAmount: amountAt !== -1, rowsRead, ignoredColumns: header.ignored };
}
