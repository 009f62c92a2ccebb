import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { badInput } from "../../errors.ts";

export interface CsvRecord {
  /** Physical line where the record starts (1-based, the header is usually 1). */
  line: number;
  fields: string[];
}

interface ParsedChunk {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/**
 * Streams CSV records with the physical line each starts on. csv-parse reports the line a
 * record ends on; a quoted field may span lines, so the start is derived from the previous
 * record's end plus the blank lines skipped in between.
 */
export async function* readCsvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false });
  pipeline(Readable.from(text, { objectMode: true }), parser, () => {});
  let previousEnd = 0;
  let previousEmpty = 0;
  try {
    for await (const chunk of parser as AsyncIterable<ParsedChunk>) {
      const line = previousEnd + 1 + (chunk.info.empty_lines - previousEmpty);
      previousEnd = chunk.info.lines;
      previousEmpty = chunk.info.empty_lines;
      yield { line, fields: chunk.record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? error.lines : previousEnd + 1;
      throw badInput(`The file is not valid CSV near line ${line}: ${error.message}. Check for an unbalanced double quote.`, [
        { path: `line ${line}`, message: error.message },
      ]);
    }
    throw error;
  }
}
