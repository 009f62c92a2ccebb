// The shape of a data row as its file's header sets it, checked before the row's cells are read
// by every import: the large ones (staging.ts) and the small files (small-csv.ts).
import { isTrimmed } from "./plain-cells.ts";
import { cellValue, importProblem, type ImportProblem } from "./problems.ts";

/**
 * How many of a header's columns are named: the unnamed ones at its end (Excel saves a sheet's
 * emptied columns as `external_id,name,,,` with `,,,` on every line) are not columns of the file.
 */
export function namedColumns(fields: readonly string[]): number {
  let named = fields.length;
  while (named > 0 && (fields[named - 1] as string).trim() === "") named--;
  return named;
}

/**
 * A line that repeats the header (files concatenated, or a header pasted again): the same cells,
 * trimmed and in any letter case, unnamed trailing cells aside. `mayBe` is a cheap test for the
 * plain-line lane, true for every such line and for few others (the first header name must begin
 * the line); `is` decides for a record.
 */
export class RepeatedHeader {
  private readonly names: string[];
  private readonly first: string;
  constructor(fields: readonly string[], private readonly separator: number) {
    this.names = fields.slice(0, namedColumns(fields)).map((f) => f.trim().toLowerCase());
    this.first = this.names[0] ?? "";
    this.firstCode = this.first === "" ? -1 : this.first.charCodeAt(0) | 0x20;
  }

  /** The first header name's first character with ASCII letters folded to lower case (0x20 set), or -1. */
  readonly firstCode: number;

  mayBe(text: string, start: number, end: number): boolean {
    let i = start;
    while (i < end && isTrimmed(text.charCodeAt(i))) i++;
    const { first } = this;
    if (end - i < first.length || first === "") return false;
    for (let k = 0; k < first.length; k++) {
      const c = text.charCodeAt(i + k);
      const folded = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
      if (folded !== first.charCodeAt(k) && (c < 0x80 || text[i + k]?.toLowerCase() !== first[k])) return false;
    }
    const next = text.charCodeAt(i + first.length);
    return i + first.length === end || next === this.separator || isTrimmed(next);
  }

  is(fields: readonly string[]): boolean {
    const named = namedColumns(fields);
    if (named !== this.names.length) return false;
    for (let i = 0; i < named; i++) if ((fields[i] as string).trim().toLowerCase() !== this.names[i]) return false;
    return true;
  }
}

/**
 * The shape every data row must have, as its file's header line sets it: not the header again,
 * and as many cells as the header (unnamed trailing columns may be left out of a row, and their
 * cells must be empty). The large imports check each record with it before reading its cells,
 * and so do the small files (small-csv.ts): one set of problems (HEADER_REPEATED, FIELD_COUNT,
 * UNNAMED_COLUMN_DATA) for every import.
 */
export class RowShape {
  /** Columns of the header, and how many of them are named (the rest are unnamed trailing ones). */
  readonly width: number;
  readonly named: number;
  readonly repeated: RepeatedHeader;
  constructor(
    header: readonly string[],
    private readonly delimiter: "comma" | "tab",
  ) {
    this.width = header.length;
    this.named = namedColumns(header);
    this.repeated = new RepeatedHeader(header, delimiter === "tab" ? 0x09 : 0x2c);
  }

  /** Reports what is wrong with a data row's shape; true when its cells may be read. */
  check(fields: readonly string[], line: number, report: (problem: ImportProblem) => void): boolean {
    if (this.repeated.is(fields)) {
      report(importProblem(line, undefined, "HEADER_REPEATED", { line }));
      return false;
    }
    if (fields.length > this.width || fields.length < this.named) {
      report(importProblem(line, undefined, "FIELD_COUNT", { found: fields.length, expected: this.width, ...(this.delimiter === "tab" ? { separator: "tab" } : {}) }));
      return false;
    }
    let unnamedData = false;
    for (let i = this.named; i < fields.length; i++) {
      const value = (fields[i] as string).trim();
      if (value === "") continue;
      report(importProblem(line, undefined, "UNNAMED_COLUMN_DATA", { position: i + 1, value: cellValue(value) }));
      unnamedData = true;
    }
    return !unnamedData;
  }
}
