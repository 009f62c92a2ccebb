import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { CUSTOMER_COLUMNS, ORDER_COLUMNS } from "./columns.ts";
import type { CsvDelimiter } from "./csv-parser.ts";
import { readCsvRecords } from "./csv-records.ts";
import { IMPORT_PROBLEM_CODES, importProblem, importProblemMessage, likelyColumn } from "./problems.ts";
import { readSmallCsv } from "./small-csv.ts";
import { resolveHeader } from "./staging.ts";
import { decodeSource } from "./text-source.ts";

async function refusal(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

async function readAll(csv: string | Uint8Array, encoding: "utf8" | "utf16le" = "utf8", delimiter: CsvDelimiter = "comma") {
  const out = [];
  for await (const record of readCsvRecords(decodeSource(csv, encoding), { delimiter })) out.push(record);
  return out;
}

describe("import problem codes", () => {
  it("are unique, and every code renders an English sentence from its parameters alone", () => {
    expect(new Set(IMPORT_PROBLEM_CODES).size).toBe(IMPORT_PROBLEM_CODES.length);
    for (const code of IMPORT_PROBLEM_CODES) {
      const message = importProblemMessage(code, { value: "X1", column: "amount", line: 3, field: 2, limit: 10, min: 0, max: 9, expected: "a, b" });
      expect(message, code).toMatch(/^[^\s].*[a-z].*\.$/);
      expect(message, code).not.toMatch(/undefined|\[object/);
    }
  });

  it("a problem keeps its line, column, code and parameters next to the message rendered from them", () => {
    expect(importProblem(4, "ordered_at", "BAD_DATE", { value: "yesterday" })).toEqual({
      line: 4,
      column: "ordered_at",
      code: "BAD_DATE",
      params: { value: "yesterday" },
      message: '"yesterday" is not a date: write YYYY-MM-DD or YYYY/MM/DD, optionally with a time HH:mm[:ss] and a zone (Z or +09:00).',
    });
  });
});

describe("instants in the business time zone", () => {
  it("a delivery in the future or before the launch names both times in the business time zone with its offset", () => {
    const future = { value: "2025-06-12T01:00:00.000Z", importTime: "2025-06-09T15:00:00.000Z", toleranceMinutes: 60 };
    expect(importProblemMessage("FUTURE_DELIVERY", { ...future, timeZone: "Asia/Tokyo" })).toBe(
      "2025-06-12 10:00:00+09:00 is after the import time 2025-06-10 00:00:00+09:00 (tolerance 60 min): a delivery cannot be in the future; fix the date or the time zone.",
    );
    const early = { value: "2025-06-01T14:00:00.000Z", launchedAt: "2025-06-01T15:00:00.000Z" };
    expect(importProblemMessage("BEFORE_LAUNCH", { ...early, timeZone: "Asia/Tokyo" })).toBe(
      "2025-06-01 23:00:00+09:00 is before the campaign's launch at 2025-06-02 00:00:00+09:00: check the date or the campaign id.",
    );
    // Another zone, in summer time: its own offset, not Tokyo's.
    expect(importProblemMessage("BEFORE_LAUNCH", { ...early, timeZone: "America/New_York" })).toBe(
      "2025-06-01 10:00:00-04:00 is before the campaign's launch at 2025-06-01 11:00:00-04:00: check the date or the campaign id.",
    );
    // Without a zone (a client's own parameters) the instants are shown as given.
    expect(importProblemMessage("BEFORE_LAUNCH", early)).toBe("2025-06-01T14:00:00.000Z is before the campaign's launch at 2025-06-01T15:00:00.000Z: check the date or the campaign id.");
  });
});

describe("file-level problems carry codes", () => {
  it.each([
    ['a,b\n1,"open\n', { line: 2, column: "b" }, "UNCLOSED_QUOTE", { field: 2 }],
    ['a,b\n1,x"y\n', { line: 2, column: "b" }, "QUOTE_IN_VALUE", { field: 2 }],
    ['a,b\n"1"x,2\n', { line: 2, column: "a" }, "TEXT_AFTER_QUOTE", { field: 1 }],
    ["a,b\n1,2\u0000\n", { line: 2, column: "b" }, "NUL_CHARACTER", { field: 2 }],
  ])("CSV syntax %j", async (csv, where, reason, params) => {
    const error = await refusal(readAll(csv));
    expect(error.message).toMatch(/^The file is not valid CSV: /);
    expect(error.problems).toMatchObject([{ ...where, reason, params }]);
  });

  it("too many columns and an over-long cell", async () => {
    const names = Array.from({ length: 201 }, (_, i) => `c${i}`);
    const wide = await refusal(readAll(`${names.join(",")}\n`));
    expect(wide.message).toContain("line 1 has 201 columns; at most 200 are accepted. Check the separator (a comma) and remove unused columns.");
    expect(wide.problems).toEqual([
      {
        path: "line 1",
        line: 1,
        reason: "TOO_MANY_COLUMNS",
        params: { count: 201, limit: 200 },
        message: "the line has 201 columns; at most 200 are accepted. Check the separator (a comma) and remove unused columns.",
      },
    ]);
    // A tab-separated file is told about its tabs, in a data row too (quoted or not).
    for (const row of [names.join("\t"), `"x"\t${names.slice(1).join("\t")}`]) {
      const tabs = await refusal(readAll(`a\tb\n${row}\n`, "utf8", "auto"));
      expect(tabs.message).toContain("line 2 has 201 columns; at most 200 are accepted. Check the separator (a tab: the file is tab-separated) and remove unused columns.");
      expect(tabs.problems).toMatchObject([
        {
          line: 2,
          reason: "TOO_MANY_COLUMNS",
          params: { count: 201, limit: 200, separator: "tab" },
          message: "the line has 201 columns; at most 200 are accepted. Check the separator (a tab: the file is tab-separated) and remove unused columns.",
        },
      ]);
    }
    const long = await refusal(readAll(`a,b\n1,${"x".repeat(10_001)}\n`));
    expect(long.problems).toMatchObject([{ line: 2, column: "b", reason: "CELL_TOO_LONG", params: { field: 2, limit: 10_000 } }]);
  });

  it("encodings: UTF-16 without a byte order mark and without declaring it, an unpaired surrogate, and a cut-off last character", async () => {
    const utf16 = new Uint8Array(Buffer.from("external_id\nC1\n", "utf16le"));
    const wide = await refusal(readAll(utf16));
    expect(wide.problems).toMatchObject([{ line: 1, reason: "WIDE_ENCODING", params: { found: "UTF-16LE", declare: "utf16le" } }]);
    const broken = await refusal(readAll(new Uint8Array([0x61, 0x00, 0x00, 0xd8, 0x0a, 0x00]), "utf16le"));
    expect(broken.problems).toMatchObject([{ reason: "BAD_SURROGATE", params: { encoding: "UTF-16LE" } }]);
    // A file cut off inside its last character (an odd number of bytes) is refused the same way, not a crash.
    const cut = await refusal(readAll(new Uint8Array([...Buffer.from("external_id\nC1\n", "utf16le"), 0x43]), "utf16le"));
    expect(cut.problems).toMatchObject([{ reason: "BAD_SURROGATE", params: { encoding: "UTF-16LE" } }]);
  });

  it("header problems of the large imports: unnamed, twice, unknown, missing", () => {
    let error: unknown;
    try {
      resolveHeader({ line: 1, fields: ["", "name", "name", "colour"] }, { kind: "customers", columns: CUSTOMER_COLUMNS, allowsAttributes: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).problems).toMatchObject([
      { line: 1, reason: "UNNAMED_COLUMN", params: { position: 1 } },
      { line: 1, column: "name", reason: "DUPLICATE_COLUMN", params: { column: "name" } },
      { line: 1, column: "colour", reason: "UNKNOWN_COLUMN", params: { column: "colour", expected: expect.stringMatching(/^external_id, name, .*, attr_<key>$/), required: "external_id" } },
      { line: 1, column: "external_id", reason: "MISSING_COLUMN", params: { column: "external_id" } },
    ]);
  });

  it("small files (channel spend, loyalty entries): the header, an empty file, and a row's own codes", async () => {
    const columns = [
      { name: "code", isRequired: true, description: "" },
      { name: "note", isRequired: false, description: "" },
    ];
    const read = (csv: string) =>
      readSmallCsv(csv, { label: "f.csv", what: "The file", columns }, ({ cell, problem }) => {
        if (cell("code") === "") problem("code", "REQUIRED_VALUE", { column: "code" });
        return cell("code");
      });
    expect((await refusal(read(""))).problems).toMatchObject([{ line: 1, reason: "EMPTY_FILE", params: { expected: "code, note", required: "code" } }]);
    expect((await refusal(read("note,extra\n"))).problems).toMatchObject([
      { line: 1, column: "extra", reason: "UNKNOWN_COLUMN", message: 'unknown column "extra": rename or delete it. Expected columns: code (required), note.' },
      { line: 1, column: "code", reason: "MISSING_COLUMN", params: { column: "code" } },
    ]);
    expect((await refusal(read("code,note\nA,\n,x\n"))).problems).toEqual([
      { path: "line 3, column code", line: 3, column: "code", reason: "REQUIRED_VALUE", params: { column: "code" }, message: "code is required." },
    ]);
    // Rows the header does not fit, as the large imports refuse them (RowShape).
    expect((await refusal(read("code,note\nA,b,c\nB\nCode , NOTE\n"))).problems).toEqual([
      { path: "line 2", line: 2, reason: "FIELD_COUNT", params: { found: 3, expected: 2 }, message: 'the row has 3 fields but the header has 2: quote values that contain commas ("1,234") and check for missing or extra separators.' },
      { path: "line 3", line: 3, reason: "FIELD_COUNT", params: { found: 1, expected: 2 }, message: 'the row has 1 fields but the header has 2: quote values that contain commas ("1,234") and check for missing or extra separators.' },
      { path: "line 4", line: 4, reason: "HEADER_REPEATED", params: { line: 4 }, message: "the header is repeated at line 4 (files joined together?): remove that line." },
    ]);
  });
});

describe("an unknown column says what to change", () => {
  const header = (fields: string[], columns = ORDER_COLUMNS, kind: "orders" | "customers" = "orders") => {
    try {
      resolveHeader({ line: 1, fields }, { kind, columns, allowsAttributes: kind === "customers" });
    } catch (e) {
      return (e as DomainError).problems.filter((p) => p.reason === "UNKNOWN_COLUMN");
    }
    return [];
  };

  it("names the separator when the whole header was read as one column", () => {
    const [semicolons] = header(["external_id;customer_external_id;ordered_at;amount"]);
    expect(semicolons?.params).toMatchObject({ separator: "semicolon" });
    expect(semicolons?.message).toMatch(/The header looks separated by semicolons \(;\): save the file with commas between columns\.$/);
    expect(header(["external_id\tcustomer_external_id"])[0]?.params).toMatchObject({ separator: "tab" });
    expect(header(["external_id|amount"])[0]?.params).toMatchObject({ separator: "pipe" });
  });

  it("suggests the accepted column a header most likely means", () => {
    const [orderId, customerId] = header(["order_id", "customer_id", "ordered_at", "amount"]);
    expect(orderId?.params).toMatchObject({ column: "order_id", suggestion: "external_id" });
    expect(customerId?.params).toMatchObject({ column: "customer_id", suggestion: "customer_external_id" });
    expect(customerId?.message).toMatch(/\. If you mean customer_external_id, rename the column to customer_external_id\.$/);
    const names = CUSTOMER_COLUMNS.map((c) => c.name);
    expect(likelyColumn("External ID", names)).toBe("external_id");
    expect(likelyColumn("acquisition-channel", names)).toBe("acquisition_channel");
    expect(likelyColumn("customer_id", names)).toBe("external_id");
    expect(likelyColumn("favourite_colour", names)).toBeNull();
    expect(likelyColumn(" ", names)).toBeNull();
    const [colour] = header(["external_id", "colour"], CUSTOMER_COLUMNS, "customers");
    expect(colour?.params).not.toHaveProperty("suggestion");
    expect(colour?.message).toMatch(/attr_<key>\.$/);
  });
});
