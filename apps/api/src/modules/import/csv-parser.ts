// The one CSV reader of every file path (the customer and order imports, `ltvloop clv`): text
// blocks in, records out through a synchronous callback, with the physical line each record
// starts on. RFC 4180: comma separator (or a tab: see CsvDelimiter), double-quoted fields with
// "" for a quote, CRLF, LF or CR line ends; blank lines are skipped.
//
// Why a small state machine and not a library: measured with `pnpm --filter @ltvloop/api
// bench:csv 150` (CDNOW sample ×150, 1.04M rows of customer_id,ordered_at,amount, decoding
// included, best of 3 interleaved rounds on the shared 2-core machine): csv-parse 6 as a stream
// with one async hop per record 4.85 s (0.21M rows/s), csv-parse driven synchronously through
// write()/read() per block 5.70 s, this reader 0.65 s (1.6M rows/s, 7.4×): lines without a quote
// are split natively (String.prototype.split), only quoted lines walk characters (papaparse, not
// a dependency of the project, was not measured). This reader also knows
// where a record starts, so an unbalanced quote is reported on the line that opened it (csv-parse
// reported the line where it gave up, often the end of the file), and it enforces the limits
// below while reading, so a 1 GB "cell" never reaches memory.
import type { ImportProblemCode, ProblemParams } from "./problems.ts";

/** Limits of every CSV file; the README states them. */
export const CSV_LIMITS = {
  /** Characters in one cell. */
  maxCellChars: 10_000,
  /** Columns in the header and in any row. */
  maxColumns: 200,
} as const;

/** A syntax or limit problem at a place in the file; callers turn it into BAD_USER_INPUT. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    /** 1-based field number in the record, when known. */
    readonly field: number | undefined,
    message: string,
    /** The problem code (problems.ts) and its parameters, for clients that word it themselves. */
    readonly code: ImportProblemCode,
    readonly params: ProblemParams = {},
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/**
 * What separates the cells: a comma, a tab (Excel's "Text (Tab delimited)" and "Unicode Text",
 * many Japanese EC exports), or `auto`: read from the first line, a tab when it holds a tab and
 * no comma, else a comma. The first line of an import is its header, whose names (the documented
 * columns, attr_<key>) hold neither, so the header says which separator the file uses; a header
 * with both is read with commas and its unknown column says so.
 */
export type CsvDelimiter = "comma" | "tab" | "auto";

/** The separator `auto` picks for a file whose first line is `firstLine`. */
export function detectDelimiter(firstLine: string): "comma" | "tab" {
  return firstLine.includes("\t") && !firstLine.includes(",") ? "tab" : "comma";
}

export type RecordCallback = (fields: string[], line: number) => void;

/**
 * Optional fast lane for a reader that can take a line apart itself: called with each non-empty
 * line that has no double quote and no CR inside, as `text` from `start` to `end` (line end
 * excluded; at most {@link PLAIN_LINE_MAX_CHARS} long, so no cell or column limit can be
 * exceeded); returning true consumes the line, false sends it on to `split` and the record
 * callback as usual. No substring is made for a consumed line.
 */
export type PlainLineCallback = (text: string, start: number, end: number, line: number) => boolean;

/** Longest line offered to a {@link PlainLineCallback}. */
export const PLAIN_LINE_MAX_CHARS = 200;

const QUOTE = 0x22;
const COMMA = 0x2c;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Incremental CSV parser. `push` text blocks in file order (any boundaries), then `end`.
 * Records are delivered synchronously to the callback given at construction.
 */
export class CsvParser {
  /** Unparsed tail of the previous block (an incomplete line or quoted field). */
  private carry = "";
  /** Physical line number of the first character of `carry`. */
  private line = 1;
  private readonly onRecord: RecordCallback;
  private readonly onPlainLine: PlainLineCallback | undefined;
  private readonly maxCell: number;
  private readonly maxColumns: number;
  /** The separator as a string (for split) and as a character code (for the character walk). */
  private separator = ",";
  private separatorCode = COMMA;
  /** `auto` until the first line has been seen. */
  private detecting: boolean;

  constructor(
    onRecord: RecordCallback,
    options: { maxCellChars?: number; maxColumns?: number; onPlainLine?: PlainLineCallback; delimiter?: CsvDelimiter } = {},
  ) {
    this.onRecord = onRecord;
    this.onPlainLine = options.onPlainLine;
    this.maxCell = options.maxCellChars ?? CSV_LIMITS.maxCellChars;
    this.maxColumns = options.maxColumns ?? CSV_LIMITS.maxColumns;
    this.detecting = options.delimiter === "auto";
    if (options.delimiter === "tab") this.useDelimiter("tab");
  }

  /** The separator in use: the one given, or the one `auto` read from the first line (comma before it has). */
  get delimiter(): "comma" | "tab" {
    return this.separatorCode === TAB ? "tab" : "comma";
  }

  private useDelimiter(delimiter: "comma" | "tab"): void {
    this.separator = delimiter === "tab" ? "\t" : ",";
    this.separatorCode = delimiter === "tab" ? TAB : COMMA;
  }

  /**
   * Under `auto`: holds the text back until the first line has ended (or the text is longer than
   * any line may be), then picks the separator; returns the text to parse, or undefined to wait.
   */
  private detect(block: string, isLast: boolean): string | undefined {
    const text = this.carry + block;
    let end = text.search(/[\r\n]/);
    if (end === -1) {
      if (!isLast && text.length <= (this.maxCell + 3) * this.maxColumns) {
        this.carry = text;
        return undefined;
      }
      end = text.length;
    }
    this.detecting = false;
    this.carry = "";
    this.useDelimiter(detectDelimiter(text.slice(0, end)));
    return text;
  }

  push(input: string): void {
    let block = input;
    if (this.detecting) {
      const text = this.detect(block, false);
      if (text === undefined) return;
      block = text;
    }
    const text = this.carry === "" ? block : this.carry + block;
    const nul = block.indexOf("\u0000");
    if (nul !== -1) this.nulByte(text, text.length - block.length + nul);
    this.carry = "";
    const consumed = this.parse(text, false);
    this.carry = text.slice(consumed);
    // A line longer than any row can be (every cell at its limit) is refused before it grows.
    if (this.carry.length > (this.maxCell + 3) * this.maxColumns) {
      throw new CsvSyntaxError(this.line, undefined, `line ${this.line} is longer than ${(this.maxCell + 3) * this.maxColumns} characters without ending: a cell is at most ${this.maxCell} characters and a row at most ${this.maxColumns} columns; check for an unbalanced double quote.`, "LINE_TOO_LONG", {
        line: this.line,
        limit: (this.maxCell + 3) * this.maxColumns,
        maxCell: this.maxCell,
        maxColumns: this.maxColumns,
      });
    }
  }

  end(): void {
    if (this.detecting) {
      const text = this.detect("", true);
      if (text !== undefined) this.carry = text;
    }
    const text = this.carry;
    this.carry = "";
    if (text !== "") this.parse(text, true);
  }

  /** Parses whole records from `text`; returns how many characters were consumed. */
  private parse(text: string, isLast: boolean): number {
    const n = text.length;
    let pos = 0;
    let nextQuote = text.indexOf('"');
    if (nextQuote === -1) nextQuote = n;
    let nextCr = -1;
    while (pos < n) {
      let lf = text.indexOf("\n", pos);
      // A lone CR also ends a line (old Mac exports); checked only when there is no LF ahead.
      if (lf === -1) {
        if (!isLast) return pos;
        lf = n;
      }
      if (nextQuote < pos) {
        nextQuote = text.indexOf('"', pos);
        if (nextQuote === -1) nextQuote = n;
      }
      if (nextQuote >= lf) {
        // Fast path: no quote on this line.
        let end = lf;
        if (end > pos && text.charCodeAt(end - 1) === CR) end--;
        if (nextCr < pos) {
          nextCr = text.indexOf("\r", pos);
          if (nextCr === -1) nextCr = n;
        }
        if (nextCr < end) {
          // Lone CR line ends inside: hand the piece to the slow path, which handles them.
          const used = this.parseQuoted(text, pos, isLast);
          if (used === -1) return pos;
          pos = used;
          continue;
        }
        if (end > pos && !(end - pos <= PLAIN_LINE_MAX_CHARS && this.onPlainLine?.(text, pos, end, this.line))) this.emitSplit(text.slice(pos, end));
        this.line++;
        pos = lf + 1;
        continue;
      }
      const used = this.parseQuoted(text, pos, isLast);
      if (used === -1) return pos;
      pos = used;
    }
    return pos;
  }

  private emitSplit(content: string): void {
    const fields = content.split(this.separator);
    if (fields.length > this.maxColumns) this.tooManyColumns(fields.length);
    for (let i = 0; i < fields.length; i++) {
      if ((fields[i] as string).length > this.maxCell) this.cellTooLong(i + 1);
    }
    this.onRecord(fields, this.line);
  }

  /**
   * Refuses a NUL character, naming its line and (counting commas, quotes aside) its field; the
   * records before its line are parsed first, so the header is known to name the column.
   */
  private nulByte(text: string, at: number): never {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    this.carry = "";
    this.parse(text.slice(0, lineStart), false);
    const before = text.slice(0, at);
    let line = this.line;
    for (let i = before.indexOf("\n", lineStart); i !== -1; i = before.indexOf("\n", i + 1)) line++;
    const field = before.slice(lineStart).split(this.separator).length;
    throw new CsvSyntaxError(line, field, `field ${field} on line ${line} contains a NUL character (byte 0): the file is binary, or UTF-16/UTF-32 text read as another encoding. Save it as UTF-8 CSV.`, "NUL_CHARACTER", { field });
  }

  /** Too many cells: the advice names the separator in use (params.separator "tab" in a tab-separated file, as FIELD_COUNT's). */
  private tooManyColumns(count: number): never {
    const tab = this.delimiter === "tab";
    throw new CsvSyntaxError(
      this.line,
      undefined,
      `line ${this.line} has ${count} columns; at most ${this.maxColumns} are accepted. Check the separator (${tab ? "a tab: the file is tab-separated" : "a comma"}) and remove unused columns.`,
      "TOO_MANY_COLUMNS",
      { count, limit: this.maxColumns, ...(tab ? { separator: "tab" } : {}) },
    );
  }

  private cellTooLong(field: number): never {
    throw new CsvSyntaxError(this.line, field, `field ${field} on line ${this.line} is longer than ${this.maxCell} characters: shorten it (ids, names and notes have to fit), or check for an unbalanced double quote that runs into later lines.`, "CELL_TOO_LONG", { field, limit: this.maxCell });
  }

  /**
   * Character walk of one record starting at `start` (which may span lines inside quotes).
   * Returns the index after the record's line end, or -1 when the block ends first.
   */
  private parseQuoted(text: string, start: number, isLast: boolean): number {
    const n = text.length;
    const separator = this.separatorCode;
    const fields: string[] = [];
    const startLine = this.line;
    let line = this.line;
    let pos = start;
    for (;;) {
      // Start of a field.
      if (fields.length >= this.maxColumns) this.tooManyColumns(fields.length + 1);
      if (pos < n && text.charCodeAt(pos) === QUOTE) {
        const quoteLine = line;
        let value = "";
        let from = pos + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1) {
            if (!isLast) return -1;
            throw new CsvSyntaxError(quoteLine, fields.length + 1, `the double quote that opens field ${fields.length + 1} on line ${quoteLine} is never closed: close it, or double a quote that belongs to the value ("").`, "UNCLOSED_QUOTE", { field: fields.length + 1 });
          }
          value += text.slice(from, q);
          if (value.length > this.maxCell) {
            this.line = quoteLine;
            this.cellTooLong(fields.length + 1);
          }
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          if (q + 1 >= n && !isLast) return -1;
          pos = q + 1;
          break;
        }
        for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) line++;
        fields.push(value);
        const c = pos < n ? text.charCodeAt(pos) : -1;
        if (c === separator) {
          pos++;
          continue;
        }
        if (c !== -1 && c !== LF && c !== CR) {
          throw new CsvSyntaxError(line, fields.length, `field ${fields.length} on line ${line} has text after its closing double quote: quote the whole value, and write a quote inside it as "".`, "TEXT_AFTER_QUOTE", { field: fields.length });
        }
      } else {
        // Unquoted field: up to the next separator or line end; a quote inside is an error.
        let end = pos;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === separator || c === LF || c === CR) break;
          if (c === QUOTE) {
            throw new CsvSyntaxError(line, fields.length + 1, `field ${fields.length + 1} on line ${line} has a double quote inside an unquoted value: quote the whole value ("say ""hi""") or remove the quote.`, "QUOTE_IN_VALUE", { field: fields.length + 1 });
          }
          end++;
        }
        if (end >= n && !isLast) return -1;
        if (end - pos > this.maxCell) {
          this.line = line;
          this.cellTooLong(fields.length + 1);
        }
        fields.push(text.slice(pos, end));
        pos = end;
        if (pos < n && text.charCodeAt(pos) === separator) {
          pos++;
          continue;
        }
      }
      // Line end or end of text.
      if (pos < n && text.charCodeAt(pos) === CR) {
        if (pos + 1 >= n && !isLast) return -1;
        pos++;
        if (pos < n && text.charCodeAt(pos) === LF) pos++;
      } else if (pos < n) {
        pos++; // LF
      }
      line++;
      if (!(fields.length === 1 && fields[0] === "" && text.charCodeAt(start) !== QUOTE)) this.onRecord(fields, startLine);
      this.line = line;
      return pos;
    }
  }
}
