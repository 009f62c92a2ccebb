import { fileRejected } from "../../errors.ts";
import { importProblem, toFieldProblem } from "./problems.ts";
import { CsvParser, CsvSyntaxError, type CsvDelimiter } from "./csv-parser.ts";

export interface CsvRecord {
  /** Physical line where the record starts (1-based, the header is usually 1). */
  line: number;
  fields: string[];
}

/**
 * How to read the cells: `delimiter` as CsvParser takes it (comma by default; `auto` reads it
 * from the header line), and `onDelimiter`, told the separator in use when the first record (the
 * header) has been read.
 */
export interface CsvReadOptions {
  delimiter?: CsvDelimiter;
  onDelimiter?: (delimiter: "comma" | "tab") => void;
}

/**
 * Parses decoded text blocks into CSV records, a block's records at a time: one await per
 * block (about a megabyte), none per record. The first record is the header; its names are
 * used to name the column of a syntax error. A syntax or limit problem becomes one
 * BAD_USER_INPUT with the line and column.
 */
export async function* readCsvRecordBlocks(text: AsyncIterable<string>, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  let out: CsvRecord[] = [];
  let header: string[] | undefined;
  const parser = new CsvParser(
    (fields, line) => {
      if (!header) {
        header = fields.map((f) => f.trim());
        options.onDelimiter?.(parser.delimiter);
      }
      out.push({ line, fields });
    },
    options.delimiter ? { delimiter: options.delimiter } : {},
  );
  try {
    for await (const block of text) {
      parser.push(block);
      if (out.length > 0) {
        const records = out;
        out = [];
        yield records;
      }
    }
    parser.end();
    if (out.length > 0) yield out;
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw syntaxProblem(error, header);
    throw error;
  }
}

/** A CSV syntax or limit problem as one BAD_USER_INPUT naming the line and, when known, the column. */
export function syntaxProblem(error: CsvSyntaxError, header: string[] | undefined) {
  const name = error.field === undefined ? undefined : header?.[error.field - 1];
  const where = error.field === undefined ? undefined : name !== undefined && name !== "" && error.line > 1 ? name : String(error.field);
  return fileRejected(`The file is not valid CSV: ${error.message}`, [toFieldProblem(importProblem(error.line, where, error.code, error.params))]);
}

/** Record by record, for callers that do little per record (tests, small files). */
export async function* readCsvRecords(text: AsyncIterable<string>, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRecordBlocks(text, options)) yield* records;
}
