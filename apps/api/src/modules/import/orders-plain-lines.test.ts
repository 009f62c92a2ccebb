// The orders import's fast lane (plain lines written as COPY text by hand) must stage every file
// exactly as the record path does: the same COPY bytes, the same rows counted, the same problems
// with their lines and columns, the same refusal. Checked on randomised files full of the cases
// where the two could part: column orders, padded, quoted, non-ASCII and escaped cells, every
// spelling of a timestamp, odd amounts, ratios, statuses and item counts, blank rows, CRLF.
import { describe, expect, it } from "vitest";
import { stageCsvOrders } from "./orders-import.service.ts";
import { orderPlainLane } from "./orders-plain-lines.ts";
import { compareLanes, randomCsv, stageBothWays } from "../../testing/plain-lanes.ts";

const IDS = ["O-1", " O-2", "O-3 ", "山田-4", "a\\b", "x\ty", "\u3000id", "id\u00a0", "😀5", "", '"q,6"', '"7"', "x".repeat(255), "y".repeat(256), "e\u0001f", "\ufeffg"];
const TIMES = [
  "2025-07-01", "2025-07-01 10:11", "2025-07-01T10:11:12", "2025-07-01T10:11:12Z", "2025-07-01T10:11:12+09:00", "2025-07-01 10:11:12-0530",
  "2025-07-01 10:11+09:00", "2025-7-1", "2025/07/01", "2025-02-29", "2024-02-29", "2100-02-29", "2000-02-29", "2025-04-31", "2025-13-01",
  "1899-12-31", "2101-01-01", "2025-07-01 24:00", "2025-07-01 23:60", "2025-07-01 23:59:60", "2025-07-01T10:11:12.123Z", "2025-07-01t10:11z",
  "2025-07-01 10:11:12 +09:00", "2025-07-01T10:11:12+15:00", "2025-07-01T10:11:12+14:59", "2025-07-01T10:11:12+09", "2025-07-01Z", "2025-07-01 1:05",
  " 2025-07-01", "2025-07-01 ", "", "2025-07-01T10:11:12-00:00", "2025-07-01T", "2025-07-01T10", "2025-07-01T10:1", "2025-07-01T10:11:1",
];
const AMOUNTS = ["0", "12", "12.5", "12.50", "007", "000000000000123.45", "1234567890123", "123456789012", "999999999999.99", "3.", ".5", "12.345", "-5", '"1,234"', "¥100", "1e3", " 8", "", "0.00", "00"];
const CURRENCIES = ["", "JPY", "USD", "jpy", "JP", " JPY", "J1Y"];
const MARGINS = ["", "0", "1", "0.35", ".5", "1.0", "1.0000", "1.5", "0.12345", "35", "35%", ".", "0.", "01", "1.00001", " 0.3"];
const STATUSES = ["", "completed", "refunded", "cancelled", "Completed", "done", " completed"];
const CHANNELS = ["", "web", "店舗", "a\\b", " web", "web ", "x\u0001y", "de\u007fl", '"a,b"'];
const ITEMS = ["", "1", "0", "007", "+3", "-1", "2147483647", "2147483648", "1.5", "9999999999999999", "123456789012345", " 2"];
const COLUMNS = ["external_id", "customer_external_id", "ordered_at", "amount", "currency", "gross_margin", "status", "channel", "items"];

function randomFile(seed: number, rows: number, oddness: number, shape: { separator?: string; unnamed?: number } = {}): string {
  return randomCsv(seed, rows, oddness, {
    ...shape,
    columns: COLUMNS,
    required: 4,
    keep: 0.7,
    cells: ({ rand, pick, odd }, i) => ({
      external_id: odd() ? pick(IDS) : `o${seed}-${i}`,
      customer_external_id: odd() ? pick(IDS) : `c${Math.floor(rand() * 50)}`,
      ordered_at: odd() ? pick(TIMES) : `2025-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}${rand() < 0.5 ? `T0${Math.floor(rand() * 9)}:3${Math.floor(rand() * 9)}:0${Math.floor(rand() * 9)}Z` : ""}`,
      amount: odd() ? pick(AMOUNTS) : `${Math.floor(rand() * 50000)}${rand() < 0.5 ? `.${Math.floor(rand() * 100)}` : ""}`,
      currency: odd() ? pick(CURRENCIES) : "JPY",
      gross_margin: odd() ? pick(MARGINS) : rand() < 0.5 ? "" : `0.${Math.floor(rand() * 100)}`,
      status: odd() ? pick(STATUSES) : "completed",
      channel: odd() ? pick(CHANNELS) : "online",
      items: odd() ? pick(ITEMS) : String(Math.floor(rand() * 5)),
    }),
  });
}

describe("the orders import's fast lane", () => {
  it("stages randomised files exactly as the record path does", async () => {
    const files = Array.from({ length: 60 }, (_, i) => randomFile(i + 1, 400, (i + 1) % 3 === 0 ? 0.02 : 0.3));
    const { taken, rows, problems } = await compareLanes(files, "orders.csv", stageCsvOrders, orderPlainLane);
    // The comparison means something only if both lanes were used and problems were found.
    expect(taken).toBeGreaterThan(rows / 3);
    expect(taken).toBeLessThan(rows);
    expect(problems).toBeGreaterThan(100);
  });

  it("stages randomised tab-separated files, and files with unnamed trailing columns, exactly as the record path does", async () => {
    const files = Array.from({ length: 40 }, (_, i) =>
      randomFile(i + 101, 300, (i + 1) % 3 === 0 ? 0.02 : 0.3, i % 2 === 0 ? { separator: "\t", unnamed: i % 4 === 0 ? 2 : 0 } : { unnamed: 1 + (i % 3) }),
    );
    const { taken, rows, problems } = await compareLanes(files, "orders.tsv", stageCsvOrders, orderPlainLane);
    expect(taken).toBeGreaterThan(rows / 3);
    expect(taken).toBeLessThan(rows);
    expect(problems).toBeGreaterThan(100);
  });

  it("stages a tab-separated file exactly as the same file with commas, through either lane", async () => {
    const rows = [
      ["external_id", "customer_external_id", "ordered_at", "amount", "currency", "status", "channel", "items"],
      ["A1", "C1", "2025-07-01T01:11:00Z", "3181.00", "JPY", "completed", "online", "1"],
      ["A2", "C1", "2025-07-02 09:00", "12", "USD", "refunded", "", ""],
      ["A3", "C2", "2025/07/03", "1,234", "", "", "店舗, 本店", "2"],
      ["A4", "C2", "2025-07-04", "5", "", "", 'say "hi"', "1"],
    ];
    const csvCell = (c: string) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const tsvCell = (c: string) => (/["\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const csv = rows.map((r) => r.map(csvCell).join(",")).join("\r\n");
    const tsv = rows.map((r) => r.map(tsvCell).join("\t")).join("\r\n");
    const comma = await stageBothWays(csv, "orders.csv", stageCsvOrders, orderPlainLane);
    const tab = await stageBothWays(tsv, "orders.tsv", stageCsvOrders, orderPlainLane);
    expect(tab.fast).toEqual({ ...comma.fast, taken: tab.taken });
    expect(tab.slow).toEqual(comma.slow);
    expect(tab.fast).toMatchObject({ rowsRead: 4, problems: 0 });
    // A2 in both; A1 too; A3 (1,234 unquoted in the TSV) and A4 (quoted) take the record path.
    expect(tab.taken).toBe(2);
  });

  it("takes every line of a clean export and writes the stage's COPY text", async () => {
    const text = "external_id,customer_external_id,ordered_at,amount,currency,status,channel,items\nA1,C1,2025-07-01T01:11:00Z,3181.00,JPY,completed,online,1\nA2,C1,2025-07-02 09:00,12,USD,refunded,,\n";
    const { fast, taken } = await stageBothWays(text, "orders.csv", stageCsvOrders, orderPlainLane);
    expect(taken).toBe(2);
    expect(fast).toMatchObject({
      copy: "2\tA1\tC1\t2025-07-01 01:11:00+00:00\t3181.00\tJPY\t\\N\tcompleted\tonline\t1\n3\tA2\tC1\t2025-07-02 09:00:00\t12\tUSD\t\\N\trefunded\t\\N\t1\n",
      rowsRead: 2,
      problems: 0,
    });
  });
});
