// The transaction reader's fast lane (plain lines taken apart by hand) must read every file
// exactly as the record path does: same customers in the same order, same purchase days and
// spend, same rows counted, same problems. Checked on randomised files full of the cases where
// the two could part: leading zeros, quoted and padded cells, timestamps, odd amounts, CRLF.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@ltvloop/scoring/testing/cdnow";
import { readTransactionsCsv } from "./transactions-csv.ts";


const IDS = ["7", "007", "70", "1000000000000000", "999999999999999", "0", "00", "abc", "A-17", "山田", " 12", "12 ", '"12"', '"7"', "12"];
const DAYS = ["1997-01-01", "1997-01-02", "1997-02-28", "1997-03-01", "1997-12-31", "1998-01-01", "1997-01-01 23:30", "1997-01-01T23:30:00+00:00", '"1997-03-01"', " 1997-03-01", "1997-1-05"];
const AMOUNTS = ["0", "12", "12.5", "12.50", "0.01", "99999999999.99", "1234567890123", "007", "3.", ".5", "12.345", '"1,234"', " 8", "¥1,280", "1e3"];

function randomFile(seed: number, rows: number, crlf: boolean): string {
  const rand = mulberry32(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(rand() * values.length)] as T;
  const eol = crlf ? "\r\n" : "\n";
  let text = `customer_id,ordered_at,amount,note${eol}`;
  for (let i = 0; i < rows; i++) {
    if (rand() < 0.03) {
      text += eol;
      continue;
    }
    const id = rand() < 0.6 ? String(1 + Math.floor(rand() * 40)) : pick(IDS);
    const day = rand() < 0.7 ? `1997-${String(1 + Math.floor(rand() * 12)).padStart(2, "0")}-${String(1 + Math.floor(rand() * 28)).padStart(2, "0")}` : pick(DAYS);
    const amount = rand() < 0.7 ? `${Math.floor(rand() * 5000)}.${String(Math.floor(rand() * 100)).padStart(2, "0")}` : pick(AMOUNTS);
    text += `${id},${day},${amount},${rand() < 0.1 ? '"a, b"' : "x"}${eol}`;
  }
  return text;
}

async function readBothWays(text: string) {
  const read = async (fastLane: boolean) => {
    try {
      const file = await readTransactionsCsv(text, { label: "t.csv", fastLane });
      const s = file.log.summarize({ calibrationEnd: 10_000, holdoutEnd: 20_000, unitDays: 1 });
      const ids = Array.from({ length: file.log.customers }, (_, c) => file.log.id(c));
      return { rowsRead: file.rowsRead, transactions: file.log.transactions, ids, summary: { ...s, customer: [...s.customer], frequency: [...s.frequency], recency: [...s.recency], T: [...s.T], monetaryValue: [...s.monetaryValue] } };
    } catch (error) {
      return { error: (error as Error).message, problems: (error as { extensions?: unknown }).extensions };
    }
  };
  return { fast: await read(true), slow: await read(false) };
}

describe("the transaction reader's fast lane", () => {
  it("reads randomised files exactly as the record path does", async () => {
    let accepted = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { fast, slow } = await readBothWays(randomFile(seed, 300, seed % 2 === 0));
      expect(fast).toEqual(slow);
      if (!("error" in fast)) accepted++;
    }
    // Most randomised files hold a bad cell somewhere, so the comparison covers the problem
    // lists too; files of clean rows are compared here.
    for (let seed = 100; seed < 110; seed++) {
      const rand = mulberry32(seed);
      let text = "amount,customer_id,ordered_at\n";
      for (let i = 0; i < 500; i++) text += `${Math.floor(rand() * 9000) / 100},${rand() < 0.5 ? Math.floor(rand() * 60) : `c${Math.floor(rand() * 60)}`},1997-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}\n`;
      const { fast, slow } = await readBothWays(text);
      expect(fast).toEqual(slow);
      expect("error" in fast).toBe(false);
      accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(10);
  });

  it("keeps ids that differ only in leading zeros apart and a quoted id equal to its plain form", async () => {
    const file = await readTransactionsCsv('customer_id,ordered_at,amount\n7,1997-01-01,10\n007,1997-01-02,20\n"7",1997-01-03,30\n 7 ,1997-01-04,40\n', { label: "t.csv" });
    expect(file.log.customers).toBe(2);
    expect([file.log.id(0), file.log.id(1)]).toEqual(["7", "007"]);
    const s = file.log.summarize({ calibrationEnd: 10_000, unitDays: 1 });
    expect(s.frequency[0]).toBe(2); // 7 bought on three days: two repeats
    expect(s.monetaryValue[0]).toBe(35); // (30 + 40) / 2
  });
});

describe("a header without the required columns", () => {
  const refusal = async (csv: string) => {
    try {
      await readTransactionsCsv(csv, { label: "t.csv" });
    } catch (error) {
      return (error as { problems: { path: string; message: string }[] }).problems;
    }
    throw new Error("the file was accepted");
  };

  it("names the separator when the whole header was read as one column", async () => {
    const problems = await refusal("customer_id;ordered_at;amount\nA;2024-01-01;100\n");
    expect(problems.map((p) => p.path)).toEqual(["line 1, column customer_id", "line 1, column ordered_at"]);
    expect(problems[0]?.message).toMatch(/The header looks separated by semicolons \(;\): save the file with commas between columns\.$/);
  });

  it("lists the header's columns and names one that looks like the missing column", async () => {
    const [customer] = await refusal("Customer ID,Date,amount\nA,2024-01-01,100\n");
    expect(customer?.message).toMatch(/The header has Customer ID, Date, amount; if Customer ID is customer_id, rename it to customer_id\.$/);
    const [, ordered] = await refusal("client,date\nA,2024-01-01\n");
    expect(ordered?.message).toMatch(/The header has client, date\.$/);
  });
});

describe("dates the models cannot have observed", () => {
  // 2026-12-05 17:00 in Tokyo, 03:00 in New York.
  const now = new Date("2026-12-05T08:00:00Z");
  type Refusal = Error & { problems: { path: string; reason: string; message: string; params: Record<string, unknown> }[] };
  /** The refusal of a file (undefined when accepted), the same through the fast lane and the record path. */
  const rejection = async (text: string, options: { timeZone?: string } = {}): Promise<Refusal | undefined> => {
    const read = (fastLane: boolean) =>
      readTransactionsCsv(text, { label: "t.csv", now, fastLane, ...options }).then(
        () => undefined,
        (e: unknown) => e as Refusal,
      );
    const [fast, slow] = [await read(true), await read(false)];
    expect(fast?.problems).toEqual(slow?.problems);
    return fast;
  };

  it("refuses a purchase after today (a mistyped year would stretch every T to it), through both lanes", async () => {
    const error = await rejection("customer_id,ordered_at,amount\n1,1997-01-18,29.73\n1,2097-01-18,29.73\n2,2026-12-05,1\n2,2026-12-06T00:00:00+09:00,1\n");
    expect(error?.message).toBe("t.csv was rejected: 2 problems in 4 rows; no predictions were made. Fix the rows below and run the command again.");
    expect(error?.problems).toEqual([
      expect.objectContaining({ path: "line 3, column ordered_at", reason: "FUTURE_PURCHASE", params: { value: "2097-01-18", max: "2026-12-05" } }),
      expect.objectContaining({ path: "line 5, column ordered_at", reason: "FUTURE_PURCHASE", params: { value: "2026-12-06T00:00:00+09:00", max: "2026-12-05" } }),
    ]);
    expect(error?.problems[0]?.message).toContain('"2097-01-18" is after today (2026-12-05 in Asia/Tokyo): a purchase cannot be in the future.');
    // Today in the business time zone is accepted, up to its last instant.
    expect(await rejection("customer_id,ordered_at\n1,2026-12-05\n1,2026-12-05T23:59:59+09:00\n")).toBeUndefined();
    // In New York it is still 2026-12-05: the date 2026-12-06 is refused there too, 2026-12-05 is not.
    const ny = await rejection("customer_id,ordered_at\n1,2026-12-05\n1,2026-12-06\n", { timeZone: "America/New_York" });
    expect(ny?.problems.map((p) => [p.path, p.params.max])).toEqual([["line 3, column ordered_at", "2026-12-05"]]);
  });

  it("refuses a customer id Excel turned into an exponent number, which would merge customers", async () => {
    const error = await rejection("customer_id,ordered_at\n4567890123456,2024-01-05\n4.56789E+12,2024-01-06\n4.56789E+12,2024-02-06\n");
    expect(error?.problems.map((p) => [p.path, p.reason])).toEqual([
      ["line 3, column customer_id", "EXPONENT_ID"],
      ["line 4, column customer_id", "EXPONENT_ID"],
    ]);
  });

  it("counts an instant at UTC midnight on its own calendar day west of UTC (2024-01-05T00:00Z is 2024-01-04 in New York)", async () => {
    const file = await readTransactionsCsv("customer_id,ordered_at\n1,2024-01-04T12:00:00-05:00\n1,2024-01-05T00:00:00Z\n1,2024-01-05T00:00:00+00:00\n", { label: "t.csv", now, timeZone: "America/New_York" });
    const s = file.log.summarize({ calibrationEnd: 20_000, unitDays: 1 });
    // One calendar day in New York: no repeat purchase.
    expect([s.n, s.frequency[0]]).toEqual([1, 0]);
    expect(file.log.firstDay).toBe(file.log.lastDay);
  });
});
