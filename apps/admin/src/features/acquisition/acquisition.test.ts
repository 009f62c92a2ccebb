import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./acquisition-csv.ts";
import { assumptionText } from "./acquisition-format.ts";

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

describe("assumptions in words", () => {
  const t = (key: string, values?: Record<string, unknown>) => `${key} ${JSON.stringify(values ?? {})}`;
  const f = {
    money: (v: number | null | undefined) => `¥${v}`,
    number: (v: number | null | undefined) => new Intl.NumberFormat("en-US").format(v ?? 0),
    percent: (v: number | null | undefined, d = 0) => new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: d }).format(v ?? 0),
    dateTime: (v: string | null | undefined) => v ?? "",
    channel: (v: string | null | undefined) => v ?? "",
  };
  it("shows the bootstrap's seed as an identifier, without thousands separators, and counts with them", () => {
    const text = assumptionText(t, f, {
      code: "INTERVAL_BOOTSTRAP",
      parameters: [
        { key: "level", value: "0.95" },
        { key: "resamples", value: "2000" },
        { key: "seed", value: "20240601" },
      ],
    });
    expect(text).toContain('"seed":"20240601"');
    expect(text).toContain('"resamples":"2,000"');
    expect(text).toContain('"level":"95%"');
  });
});
