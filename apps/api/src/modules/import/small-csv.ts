// Small reference files read whole before anything is written (channel spend, loyalty
// redemptions and adjustments): the header is checked against the documented columns, every row
// goes through the caller's parser, and one BAD_USER_INPUT lists every problem by line and
// column. The large imports (customers, orders, deliveries) stream into a staging table instead.
// The file is read as those are: commas or tabs as the header line says, UTF-16 when it starts
// with a UTF-16 byte order mark; the caller learns which. Its rows are held to the same shape
// (RowShape): a row with more or fewer cells than the header (FIELD_COUNT) or the header line
// again (HEADER_REPEATED) is refused, not read cell by cell.
import { fileRejected, type FieldProblem } from "../../errors.ts";
import type { ColumnDoc } from "./columns.ts";
import { readCsvRecords } from "./csv-records.ts";
import type { ImportEncoding, ImportSource } from "./import.types.ts";
import { cellValue, columnParams, importProblem, toFieldProblem, unknownColumnParams, type ImportProblem, type ImportProblemCode, type ProblemParams } from "./problems.ts";
import { RowShape } from "./row-shape.ts";
import { decodeSource } from "./text-source.ts";

const MAX_PROBLEMS = 100;

/** What a row parser gets: the trimmed cell of a column ("" when absent) and a problem reporter for this line. */
export interface SmallCsvRow {
  line: number;
  cell: (column: string) => string;
  problem: (column: string, code: ImportProblemCode, params?: ProblemParams) => void;
  /** Problems reported so far on this line. */
  problemCount: () => number;
}

/** The rows of a small file, and how it was read: the separator its header line has, the encoding (a UTF-16 byte order mark overrides the one chosen). */
export interface SmallCsvRead<T> {
  rows: T[];
  delimiter: "comma" | "tab";
  encoding: ImportEncoding;
}

/**
 * Reads the whole file: `parseRow` returns the row's value, or undefined when it reported a
 * problem. `what` names the file in messages ("The channel spend file"). Throws when the file is
 * empty, the header is wrong, or any row has a problem; nothing is returned half-read.
 */
export async function readSmallCsv<T>(
  source: ImportSource,
  options: { label: string; encoding?: ImportEncoding; what: string; columns: readonly ColumnDoc[] },
  parseRow: (row: SmallCsvRow) => T | undefined,
): Promise<SmallCsvRead<T>> {
  const { columns } = options;
  const problems: FieldProblem[] = [];
  let total = 0;
  const report = (found: ImportProblem) => {
    total++;
    if (problems.length < MAX_PROBLEMS) problems.push(toFieldProblem(found));
  };
  const problem = (line: number, column: string | undefined, code: ImportProblemCode, params: ProblemParams = {}) => report(importProblem(line, column, code, params));
  let header: Map<string, number> | null = null;
  let shape: RowShape | null = null;
  const rows: T[] = [];
  let encoding: ImportEncoding = options.encoding ?? "utf8";
  let delimiter: "comma" | "tab" = "comma";
  const text = decodeSource(source, encoding, undefined, (read) => (encoding = read));
  for await (const record of readCsvRecords(text, { delimiter: "auto", onDelimiter: (d) => (delimiter = d) })) {
    if (!header) {
      const index = new Map<string, number>();
      const known = new Set(columns.map((c) => c.name));
      record.fields.forEach((raw, i) => {
        const name = raw.trim().toLowerCase();
        if (name === "") problem(record.line, undefined, "UNNAMED_COLUMN", { position: i + 1 });
        else if (index.has(name)) problem(record.line, name, "DUPLICATE_COLUMN", { column: name });
        else if (!known.has(name)) problem(record.line, cellValue(raw.trim(), 60), "UNKNOWN_COLUMN", unknownColumnParams(cellValue(raw.trim(), 60), columns));
        else index.set(name, i);
      });
      const missing = columns.filter((c) => c.isRequired && !index.has(c.name)).map((c) => c.name);
      for (const name of missing) problem(record.line, name, "MISSING_COLUMN", { column: name, ...columnParams(columns) });
      if (total > 0) {
        throw fileRejected(
          `${options.what} ${missing.length > 0 ? `is missing the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}` : "has a header problem"}; nothing was imported.`,
          problems,
        );
      }
      header = index;
      shape = new RowShape(record.fields, delimiter);
      continue;
    }
    if (record.fields.every((f) => f.trim() === "")) continue;
    if (!shape?.check(record.fields, record.line, report)) continue;
    const fields = record.fields;
    const index: Map<string, number> = header;
    const before = total;
    const value = parseRow({
      line: record.line,
      cell: (name) => {
        const i = index.get(name);
        return i === undefined ? "" : (fields[i] ?? "").trim();
      },
      problem: (column, code, params) => problem(record.line, column, code, params),
      problemCount: () => total - before,
    });
    if (value !== undefined && total === before) rows.push(value);
  }
  if (!header) {
    const names = columns.filter((c) => c.isRequired).map((c) => c.name).join(",");
    throw fileRejected(`The file is empty: expected a header row ${names} followed by data rows.`, [toFieldProblem(importProblem(1, undefined, "EMPTY_FILE", columnParams(columns)))]);
  }
  if (total > 0) {
    const listed = total > problems.length ? ` (the first ${problems.length} are reported)` : "";
    throw fileRejected(
      `${options.label} was rejected: ${total} problem${total === 1 ? "" : "s"}${listed}; nothing was imported. Fix the rows below and import the file again.`,
      problems,
    );
  }
  return { rows, delimiter, encoding };
}
