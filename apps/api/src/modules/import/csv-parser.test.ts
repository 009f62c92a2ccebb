import { describe, expect, it } from "vitest";
import { CsvParser, CsvSyntaxError } from "./csv-parser.ts";

function parseAll(blocks: string[], limits?: { maxCellChars?: number; maxColumns?: number }): [number, string[]][] {
  const out: [number, string[]][] = [];
  const parser = new CsvParser((fields, line) => out.push([line, fields]), limits);
  for (const b of blocks) parser.push(b);
  parser.end();
  return out;
}

function syntaxError(blocks: string[], limits?: { maxCellChars?: number; maxColumns?: number }): CsvSyntaxError {
  try {
    parseAll(blocks, limits);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return error;
    throw error;
  }
  throw new Error("expected a CsvSyntaxError");
}

describe("CsvParser", () => {
  it("reads plain, quoted, multi-line and escaped fields with the line each record starts on", () => {
    const text = 'a,b,c\r\n1,"x, y",3\n\n2,"line one\nline two","say ""hi"""\n3,,\n';
    expect(parseAll([text])).toEqual([
      [1, ["a", "b", "c"]],
      [2, ["1", "x, y", "3"]],
      [4, ["2", "line one\nline two", 'say "hi"']],
      [6, ["3", "", ""]],
    ]);
  });

  it("gives the same records however the text is cut into blocks", () => {
    const text = 'id,note\n1,"a\n""b"",c"\r\n2,plain\r3,"end"';
    const whole = parseAll([text]);
    expect(whole).toEqual([
      [1, ["id", "note"]],
      [2, ["1", 'a\n"b",c']],
      [4, ["2", "plain"]],
      [5, ["3", "end"]],
    ]);
    // Every cut into two or three blocks.
    for (let i = 0; i <= text.length; i++) {
      expect(parseAll([text.slice(0, i), text.slice(i)])).toEqual(whole);
      for (let j = i; j <= text.length; j += 3) expect(parseAll([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(whole);
    }
  });

  it("reports an unbalanced quote on the line that opened it, not at the end of the file", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${i},ok`);
    rows[41] = '41,"never closed';
    const error = syntaxError([`id,v\n${rows.join("\n")}\n`]);
    expect(error.line).toBe(43);
    expect(error.field).toBe(2);
    expect(error.message).toMatch(/never closed/);
  });

  it("refuses text after a closing quote and a quote inside an unquoted value", () => {
    expect(syntaxError(['a,b\n"x"y,2\n'])).toMatchObject({ line: 2, field: 1 });
    expect(syntaxError(['a,b\n1,ab"c\n'])).toMatchObject({ line: 2, field: 2 });
  });

  it("enforces the cell and column limits with line and field", () => {
    expect(syntaxError([`a,b\n1,${"x".repeat(101)}\n`], { maxCellChars: 100 })).toMatchObject({ line: 2, field: 2 });
    expect(syntaxError([`a,b\n1,"${"x".repeat(101)}"\n`], { maxCellChars: 100 })).toMatchObject({ line: 2, field: 2 });
    expect(syntaxError([`${Array.from({ length: 11 }, (_, i) => `c${i}`).join(",")}\n`], { maxColumns: 10 })).toMatchObject({ line: 1 });
  });

  it("refuses a NUL character with its line and field", () => {
    expect(syntaxError(["a,b\n1,2\n3,x\u0000y\n"])).toMatchObject({ line: 3, field: 2 });
  });
});
