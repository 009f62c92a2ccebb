import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./acquisition-csv.ts";

describe("acquisition CSV export", () => {
  it("quotes separators and defuses spreadsheet formulas", () => {
    expect(csvCell("paid_search")).toBe("paid_search");
    expect(csvCell("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
    expect(csvCell("+81")).toBe("'+81");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@sum")).toBe("'@sum");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(-1.5)).toBe("-1.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(toCsv(["a", "b"], [[1, "x"], [null, "y\nz"]])).toBe('a,b\r\n1,x\r\n,"y\nz"\r\n');
  });
});
