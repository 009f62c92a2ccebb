import { createReadStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import iconv from "iconv-lite";
import { CDNOW_SAMPLE_FILE } from "@ltvloop/scoring/testing/cdnow";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { importCustomers } from "./customers-import.service.ts";
import type { ImportSummary } from "./import.types.ts";
import { importOrders, type OrdersFormat } from "./orders-import.service.ts";

const cdnowFile = CDNOW_SAMPLE_FILE;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ltvloop-import-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function fixture(content: string | Uint8Array): Promise<string> {
  const path = join(dir, `fixture-${++fileNo}.csv`);
  await writeFile(path, content);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected the import to be rejected");
}

const CUSTOMERS = `external_id,name,email
C1,山田 花子,hanako@example.com
C2,Bob,bob@example.com
`;

describe.each(testDatabaseKinds())("import on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await db.query("truncate customer_rollups, orders, customers, audit_log restart identity cascade");
  });

  const customersFrom = async (content: string | Uint8Array, extra: { encoding?: "utf8" | "shift_jis"; skipInvalid?: boolean } = {}) => {
    const file = await fixture(content);
    return importCustomers({ handle: db, source: createReadStream(file), label: file, ...extra });
  };
  const ordersFrom = async (content: string | Uint8Array, extra: { skipInvalid?: boolean; format?: OrdersFormat; encoding?: "utf8" | "shift_jis" } = {}) => {
    const file = await fixture(content);
    return importOrders({ handle: db, source: createReadStream(file), label: file, ...extra });
  };
  const counts = async () => {
    const [row] = await db.query<{ customers: number; orders: number; rollups: number; audits: number }>(
      `select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders,
              (select count(*) from customer_rollups)::int as rollups, (select count(*) from audit_log)::int as audits`,
    );
    return row;
  };
  /** Imports two customers and one order, so "nothing written" is checked against non-empty tables. */
  const baseline = async () => {
    await customersFrom(CUSTOMERS);
    await ordersFrom("external_id,customer_external_id,ordered_at,amount\nO0,C1,2024-01-01,1000\n");
    const before = await counts();
    expect(before).toEqual({ customers: 2, orders: 1, rollups: 1, audits: 2 });
    return before;
  };
  /** Each problem: its path, English message, and the code and parameters clients word themselves. */
  type Expected = { path: string; message: string | RegExp; reason: string; params: Record<string, unknown> };
  const expectRejected = async (content: string | Uint8Array, problems: Expected[], message?: RegExp) => {
    const before = await baseline();
    const error = await rejection(ordersFrom(content));
    expect(error.code).toBe("BAD_USER_INPUT");
    if (message) expect(error.message).toMatch(message);
    expect(error.problems).toHaveLength(problems.length);
    problems.forEach((expected, i) => {
      expect(error.problems[i]?.path).toBe(expected.path);
      if (typeof expected.message === "string") expect(error.problems[i]?.message).toBe(expected.message);
      else expect(error.problems[i]?.message).toMatch(expected.message);
      expect(error.problems[i]).toMatchObject({ reason: expected.reason, params: expected.params });
    });
    expect(await counts()).toEqual(before);
    return error;
  };

  describe("rejects a bad orders file and writes nothing", () => {
    it("missing required column", async () => {
      await expectRejected(
        "external_id,customer_external_id,ordered_at\nO1,C1,2024-01-01\n",
        [{ path: "line 1, column amount", message: /^the required column amount is missing\. Expected columns: external_id \(required\), customer_external_id \(required\), ordered_at \(required\), amount \(required\), currency/, reason: "MISSING_COLUMN", params: { column: "amount", expected: expect.stringMatching(/^external_id, customer_external_id, ordered_at, amount, currency/), required: "external_id, customer_external_id, ordered_at, amount" } }],
        /missing the column amount/,
      );
    });

    it("unknown column", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount,colour\nO1,C1,2024-01-01,1\n", [
        { path: "line 1, column colour", message: /^unknown column "colour": rename or delete it\./, reason: "UNKNOWN_COLUMN", params: { column: "colour" } },
      ]);
    });

    it("bad date", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,1\nO2,C1,2024-02-30,1\nO3,C1,01/02/2024,1\n", [
        { path: "line 3, column ordered_at", message: '"2024-02-30" is not a calendar date: 2024-02 has 29 days.', reason: "NO_SUCH_DAY", params: { value: "2024-02-30", month: "2024-02", days: 29 } },
        { path: "line 4, column ordered_at", message: /^"01\/02\/2024" is not a date: write YYYY-MM-DD or YYYY\/MM\/DD/, reason: "BAD_DATE", params: { value: "01/02/2024" } },
      ], /rejected: 2 problems in 3 order rows; nothing was imported/);
    });

    it("negative amount", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,-500\n", [
        { path: "line 2, column amount", message: "amount must be 0 or more, got -500: record a refund as its own order with status refunded, not as a negative amount.", reason: "NEGATIVE_ORDER_AMOUNT", params: { value: "-500" } },
      ]);
    });

    it("non-numeric amount and currency signs", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,abc\nO2,C1,2024-01-01,¥1200\nO3,C1,2024-01-01,1.234\n", [
        { path: "line 2, column amount", message: '"abc" is not a number: write digits with an optional decimal point, e.g. 1234 or 1234.50 (1,234 is accepted too).', reason: "BAD_NUMBER", params: { value: "abc" } },
        { path: "line 3, column amount", message: '"¥1200" contains a currency sign or code: write the number only (e.g. 1234.50); the currency goes in the currency column.', reason: "CURRENCY_SIGN", params: { value: "¥1200" } },
        { path: "line 4, column amount", message: '"1.234" has more than 2 decimals: round it to the smallest currency unit.', reason: "TOO_MANY_DECIMALS", params: { value: "1.234", limit: 2 } },
      ]);
    });

    it("duplicate external ids within the file", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,1\nO2,C1,2024-01-01,1\nO1,C2,2024-01-02,1\n", [
        { path: "line 4, column external_id", message: "O1 already appears on line 2: each row needs its own external_id.", reason: "DUPLICATE_KEY", params: { key: "external_id", value: "O1", firstLine: 2 } },
      ]);
    });

    it("a repeated external id where one of its rows has another problem: both problems in one report", async () => {
      // The first O1 has a bad amount, the second a bad date; O2's second copy is fine.
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,abc\nO2,C1,2024-01-01,1\nO1,C2,2024-01-02,1\nO2,C2,2024-13-01,1\n", [
        { path: "line 2, column amount", message: /^"abc" is not a number/, reason: "BAD_NUMBER", params: { value: "abc" } },
        { path: "line 4, column external_id", message: "O1 already appears on line 2: each row needs its own external_id.", reason: "DUPLICATE_KEY", params: { key: "external_id", value: "O1", firstLine: 2 } },
        { path: "line 5, column ordered_at", message: '"2024-13-01" has no month 13: months are 01–12.', reason: "BAD_MONTH", params: { value: "2024-13-01" } },
        { path: "line 5, column external_id", message: "O2 already appears on line 3: each row needs its own external_id.", reason: "DUPLICATE_KEY", params: { key: "external_id", value: "O2", firstLine: 3 } },
      ]);
    });

    it("orders whose amounts each fit but whose customer's total does not", async () => {
      // 60 orders of ¥999,999,999,999 for C1 already stored; 50 more take its revenue past the
      // rollups' 99,999,999,999,999.99 ("numeric field overflow" from the database before).
      const before = await baseline();
      const rows = (from: number, n: number, customer = "C1") =>
        Array.from({ length: n }, (_, i) => `B${from + i},${customer},2024-02-${String(1 + ((from + i) % 28)).padStart(2, "0")},999999999999\n`).join("");
      await ordersFrom(`external_id,customer_external_id,ordered_at,amount\n${rows(0, 60)}`);
      const stored = await db.query("select * from customer_rollups order by customer_id");
      const error = await rejection(ordersFrom(`external_id,customer_external_id,ordered_at,amount\nB900,C2,2024-03-01,5\n${rows(100, 50)}`));
      expect(error.message).toMatch(/was rejected: the completed orders of 1 customer would add up to more than 99,999,999,999,999\.99, the largest revenue a customer can hold; nothing was imported\./);
      expect(error.problems).toEqual([
        {
          path: "line 52, column amount",
          line: 52,
          column: "amount",
          reason: "TOTAL_TOO_LARGE",
          params: { value: "C1", max: "99,999,999,999,999.99" },
          message: "the completed orders of customer C1 add up to more than 99,999,999,999,999.99, the largest revenue a customer can hold: check the amounts (a misplaced decimal point, or cents written for yen?).",
        },
      ]);
      expect(await counts()).toEqual({ ...before, orders: before!.orders + 60, audits: before!.audits + 1 });
      expect(await db.query("select * from customer_rollups order by customer_id")).toEqual(stored);
      // The same in bulk mode (a load larger than the orders table: keys and rollups rebuilt at the end).
      const bulkFile = await fixture(`external_id,customer_external_id,ordered_at,amount\n${rows(200, 120, "C2")}`);
      const bulk = await rejection(importOrders({ handle: db, source: createReadStream(bulkFile), label: bulkFile, bulkMinRows: 1 }));
      expect(bulk.problems.map((p) => [p.path, p.reason, p.params?.value])).toEqual([["line 121, column amount", "TOTAL_TOO_LARGE", "C2"]]);
      expect(await counts()).toEqual({ ...before, orders: before!.orders + 60, audits: before!.audits + 1 });
      expect(await db.query("select * from customer_rollups order by customer_id")).toEqual(stored);
    });

    it("unknown customer", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,1\nO2,C404,2024-01-01,1\n", [
        { path: "line 3, column customer_external_id", message: "unknown customer C404: import the customer first (ltvloop import customers) or correct the id.", reason: "UNKNOWN_CUSTOMER", params: { value: "C404" } },
      ]);
    });

    it("Shift_JIS bytes read as UTF-8", async () => {
      const bytes = iconv.encode("external_id,customer_external_id,ordered_at,amount,channel\nO1,C1,2024-01-01,1,web\nO2,C1,2024-01-01,1,店舗\n", "cp932");
      await expectRejected(bytes, [{ path: "line 3", message: /^bytes that are not UTF-8 text/, reason: "BAD_ENCODING", params: { encoding: "utf8" } }], /not valid UTF-8 \(first bad byte on line 3\).*--encoding shift_jis/);
    });

    it("empty file", async () => {
      await expectRejected("", [{ path: "line 1", message: /^no header row; expected external_id, customer_external_id, ordered_at, amount/, reason: "EMPTY_FILE", params: { expected: expect.stringMatching(/^external_id, customer_external_id/) } }], /^The file is empty: expected a header row with the orders columns \(at least external_id, customer_external_id, ordered_at, amount\)/);
    });

    it("a row with the wrong number of fields", async () => {
      await expectRejected("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,1,234\n", [
        { path: "line 2", message: /^the row has 5 fields but the header has 4: quote values that contain commas/, reason: "FIELD_COUNT", params: { found: 5, expected: 4 } },
      ]);
    });
  });

  it("a header-only file imports nothing and says so", async () => {
    const before = await baseline();
    const summary = await ordersFrom("external_id,customer_external_id,ordered_at,amount\r\n");
    expect(summary.rowsRead).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("imports a Shift_JIS file with --encoding shift_jis (CP932 characters included)", async () => {
    const bytes = iconv.encode("external_id,name,prefecture\r\nC1,山田 花子,東京都\r\nC2,㈱髙島屋 ①,大阪府\r\n", "cp932");
    const summary = await customersFrom(bytes, { encoding: "shift_jis" });
    expect(summary.customers).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const rows = await db.query<{ name: string; attributes: unknown }>("select name, attributes from customers order by external_id");
    expect(rows).toEqual([
      { name: "山田 花子", attributes: { prefecture: "東京都" } },
      { name: "㈱髙島屋 ①", attributes: { prefecture: "大阪府" } },
    ]);
  });

  it("handles a UTF-8 BOM, case-insensitive headers in any order and attributes", async () => {
    const summary = await customersFrom(
      "\uFEFFName , EXTERNAL_ID,email,gender,birth_year,prefecture,attr_Rank,line_opt_in,email_opt_in,acquisition_cost,acquired_at\n" +
        "花子,C1,h@example.com,female,1985,東京都,gold,yes,0,\"1,500\",2024-01-15\n",
    );
    expect(summary.customers).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const [row] = await db.query("select external_id, name, email, attributes, line_opt_in, email_opt_in, sms_opt_in, dm_opt_in, acquisition_cost, acquired_at from customers");
    expect(row).toEqual({
      external_id: "C1",
      name: "花子",
      email: "h@example.com",
      attributes: { gender: "female", birthYear: 1985, prefecture: "東京都", rank: "gold" },
      line_opt_in: true,
      email_opt_in: false,
      sms_opt_in: false,
      dm_opt_in: true,
      acquisition_cost: "1500.00",
      acquired_at: new Date("2024-01-14T15:00:00Z"),
    });
  });

  it("accepts a string source (for the API: pasted or uploaded text)", async () => {
    const summary = await importCustomers({ handle: db, source: "\uFEFFexternal_id,name\nC1,花子\n", label: "pasted text" });
    expect(summary).toMatchObject({ rowsRead: 1, customers: { inserted: 1, updated: 0, unchanged: 0 } });
    expect(await db.query("select external_id, name from customers")).toEqual([{ external_id: "C1", name: "花子" }]);
  });

  it("reports bad customer cells with line and column", async () => {
    const error = await rejection(customersFrom("external_id,email,birth_year,sms_opt_in\nC1,not-an-email,1850,maybe\n,a@b.jp,,\n"));
    expect(error.problems).toEqual([
      { path: "line 2, column email", line: 2, column: "email", reason: "BAD_EMAIL", params: { value: "not-an-email" }, message: '"not-an-email" is not an email address (expected name@example.com).' },
      { path: "line 2, column birth_year", line: 2, column: "birth_year", reason: "OUT_OF_RANGE", params: { value: "1850", min: 1900, max: new Date().getFullYear() }, message: `1850 is out of range: expected 1900 to ${new Date().getFullYear()}.` },
      { path: "line 2, column sms_opt_in", line: 2, column: "sms_opt_in", reason: "BAD_BOOLEAN", params: { value: "maybe" }, message: '"maybe" is not a yes/no value: write true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無 (leave empty for the default).' },
      { path: "line 3, column external_id", line: 3, column: "external_id", reason: "REQUIRED_VALUE", params: { column: "external_id" }, message: "external_id is required: every row needs your id for it." },
    ]);
    expect((await counts())?.customers).toBe(0);
  });

  it("refuses a name longer than 500 characters with line and column, and stores one of 500 random kanji", async () => {
    // Random kanji do not compress: 1,000 of them (3,000 bytes) overflowed the name's B-tree index
    // entry (2,704 bytes at most) and the import failed with the database's own error.
    let seed = 7;
    const kanji = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return String.fromCharCode(0x4e00 + (seed % 20000));
      }).join("");
    const error = await rejection(customersFrom(`external_id,name\nC1,ok\nC2,${kanji(1000)}\n`));
    expect(error.problems).toEqual([
      { path: "line 3, column name", line: 3, column: "name", reason: "TEXT_TOO_LONG", params: { column: "name", length: 1000, limit: 500 }, message: "the name is 1000 characters long; at most 500 are accepted." },
    ]);
    expect((await counts())?.customers).toBe(0);
    const longest = kanji(500);
    await customersFrom(`external_id,name\nC3,${longest}\n`);
    expect(await db.query<{ name: string }>("select name from customers where external_id = 'C3'")).toEqual([{ name: longest }]);
  });

  it("refuses ids Excel turned into exponent numbers (4.56789E+12), on plain lines too", async () => {
    const customers = await rejection(customersFrom("external_id,name\nC1,ok\n4.56789E+12,A\n"));
    expect(customers.problems).toEqual([
      expect.objectContaining({ path: "line 3, column external_id", reason: "EXPONENT_ID", params: { value: "4.56789E+12" }, message: expect.stringMatching(/^"4\.56789E\+12" is a number in Excel's exponent form: its digits are lost/) }),
    ]);
    await customersFrom(CUSTOMERS);
    const orders = await rejection(ordersFrom("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-05,100\nO2,1E+11,2024-01-05,100\n1.2345E+15,C2,2024-01-05,100\n"));
    expect(orders.problems.map((p) => [p.path, p.reason])).toEqual([
      ["line 3, column customer_external_id", "EXPONENT_ID"],
      ["line 4, column external_id", "EXPONENT_ID"],
    ]);
    expect((await counts())?.orders).toBe(0);
    // A "+" elsewhere in an id is an id like any other.
    expect((await ordersFrom("external_id,customer_external_id,ordered_at,amount\nA+1,C1,2024-01-05,100\n")).orders?.inserted).toBe(1);
  });

  it("reports a repeated customer id in the same round as the bad e-mail on its first row", async () => {
    const error = await rejection(customersFrom("external_id,email\nC1,not-an-email\nC2,b@example.com\nC1,c@example.com\n"));
    expect(error.problems.map((p) => [p.path, p.reason])).toEqual([
      ["line 2, column email", "BAD_EMAIL"],
      ["line 4, column external_id", "DUPLICATE_KEY"],
    ]);
    expect(error.problems[1]?.params).toEqual({ key: "external_id", value: "C1", firstLine: 2 });
    expect((await counts())?.customers).toBe(0);
  });

  it("stores prefectures by their official name and refuses a misspelt one with the nearest name", async () => {
    const error = await rejection(customersFrom("external_id,prefecture\nC1,東京\nC2,Tokio\nC3,California\n"));
    expect(error.problems.map((p) => [p.path, p.reason, p.params])).toEqual([
      ["line 3, column prefecture", "BAD_PREFECTURE", { value: "Tokio", suggestion: "東京都" }],
      ["line 4, column prefecture", "BAD_PREFECTURE", { value: "California" }],
    ]);
    expect(error.problems[0]?.message).toBe('"Tokio" is not one of Japan\'s 47 prefectures: write it as 東京都, 東京 or Tokyo, or leave it empty for customers outside Japan (did you mean 東京都?).');
    expect((await counts())?.customers).toBe(0);
    // Official names take the fast lane; other spellings the record path; both store 東京都.
    await customersFrom("external_id,prefecture\nC1,東京都\nC2,東京\nC3,Tokyo-to\nC4,\n");
    const stored = await db.query<{ external_id: string; prefecture: string | null }>("select external_id, attributes->>'prefecture' as prefecture from customers order by external_id");
    expect(stored).toEqual([
      { external_id: "C1", prefecture: "東京都" },
      { external_id: "C2", prefecture: "東京都" },
      { external_id: "C3", prefecture: "東京都" },
      { external_id: "C4", prefecture: null },
    ]);
  });

  it("importing the same files twice changes nothing", async () => {
    const orders = "external_id,customer_external_id,ordered_at,amount,currency,gross_margin,status,channel,items\nO1,C1,2024-01-01 10:00,1200,JPY,0.35,completed,web,2\nO2,C2,2024-01-02,800.5,,,refunded,,\n";
    const customersFile = await fixture("external_id,name,email,prefecture,attr_rank\nC1,山田,h@example.com,東京都,gold\nC2,Bob,,,\n");
    const ordersFile = await fixture(orders);
    const run = async () => ({
      customers: await importCustomers({ handle: db, source: createReadStream(customersFile), label: "c.csv" }),
      orders: await importOrders({ handle: db, source: createReadStream(ordersFile), label: "o.csv" }),
    });
    const first = await run();
    expect(first.customers.customers).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(first.orders.orders).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const snapshot = async () => ({
      customers: await db.query("select * from customers order by id"),
      orders: await db.query("select * from orders order by id"),
      rollups: await db.query("select * from customer_rollups order by customer_id"),
    });
    const before = await snapshot();
    const second = await run();
    expect(second.customers.customers).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(second.orders.orders).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
    const audits = await db.query<{ actor_kind: string; operation: string; details: { file: string; counts: { orders?: unknown } } }>(
      "select actor_kind, operation, details from audit_log order by id",
    );
    expect(audits.map((a) => a.operation)).toEqual(["import.customers", "import.orders", "import.customers", "import.orders"]);
    expect(audits[3]).toMatchObject({ actor_kind: "cli", details: { file: "o.csv", counts: { orders: { inserted: 0, updated: 0, unchanged: 2 } } } });
  });

  it("an update that changes a cell counts as updated and bumps updated_at", async () => {
    await customersFrom(CUSTOMERS);
    const summary = await customersFrom("external_id,email\nC1,new@example.com\nC2,bob@example.com\n");
    expect(summary.customers).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    const rows = await db.query<{ external_id: string; name: string; email: string; changed: boolean }>(
      "select external_id, name, email, updated_at > created_at as changed from customers order by external_id",
    );
    expect(rows).toEqual([
      { external_id: "C1", name: "山田 花子", email: "new@example.com", changed: true },
      { external_id: "C2", name: "Bob", email: "bob@example.com", changed: false },
    ]);
  });

  it("--skip-invalid writes the valid rows and reports the skipped ones", async () => {
    await customersFrom(CUSTOMERS);
    const summary = await ordersFrom(
      "external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,100\nO2,C1,2024-13-01,100\nO3,C9,2024-01-01,100\nO1,C2,2024-01-01,100\nO4,C2,2024-01-03,1,234\nO5,C2,2024-01-04,50\n",
      { skipInvalid: true },
    );
    expect(summary.rowsRead).toBe(6);
    expect(summary.orders).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(summary.skippedCount).toBe(4);
    expect(summary.skipped.map((p) => [p.line, p.column])).toEqual([
      [3, "ordered_at"],
      [4, "customer_external_id"],
      [5, "external_id"],
      [6, undefined],
    ]);
    const orders = await db.query<{ external_id: string; customer: string }>(
      "select o.external_id, c.external_id as customer from orders o join customers c on c.id = o.customer_id order by o.external_id",
    );
    expect(orders).toEqual([
      { external_id: "O1", customer: "C1" },
      { external_id: "O5", customer: "C2" },
    ]);
    expect((await counts())?.audits).toBe(2);
  });

  it("--dry-run validates and counts but writes nothing", async () => {
    await customersFrom(CUSTOMERS);
    const before = await counts();
    const file = await fixture("external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,100\n");
    const summary: ImportSummary = await importOrders({ handle: db, source: createReadStream(file), label: file, dryRun: true });
    expect(summary).toMatchObject({ isDryRun: true, orders: { inserted: 1, updated: 0, unchanged: 0 } });
    expect(await counts()).toEqual(before);
  });

  it("interprets dates without a zone in the business time zone (Asia/Tokyo)", async () => {
    await customersFrom(CUSTOMERS);
    await ordersFrom(
      "external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01 09:00,1\nO2,C1,2024/01/01,1\nO3,C1,2024-01-01T09:00:00Z,1\nO4,C1,2024-01-01 09:00:00-0500,1\nO5,C1,2024-07-01T12:34,1\n",
    );
    const rows = await db.query<{ external_id: string; ordered_at: Date }>("select external_id, ordered_at from orders order by external_id");
    expect(rows.map((r) => [r.external_id, r.ordered_at.toISOString()])).toEqual([
      ["O1", "2024-01-01T00:00:00.000Z"],
      ["O2", "2023-12-31T15:00:00.000Z"],
      ["O3", "2024-01-01T09:00:00.000Z"],
      ["O4", "2024-01-01T14:00:00.000Z"],
      ["O5", "2024-07-01T03:34:00.000Z"],
    ]);
  });

  it("keeps rollups right: purchase days in Asia/Tokyo, refunds and cancellations excluded, later changes applied", async () => {
    await customersFrom(CUSTOMERS);
    const header = "external_id,customer_external_id,ordered_at,amount,status\n";
    await ordersFrom(
      header +
        "O1,C1,2024-01-01T23:30+09:00,1000,completed\n" +
        "O2,C1,2024-01-02T00:30+09:00,2000,\n" +
        "O3,C1,2024-01-02T14:00:00Z,500,completed\n" + // 23:00 in Tokyo, same day as O2
        "O4,C1,2024-01-05,9999,refunded\n" +
        "O5,C2,2024-01-03,300,cancelled\n",
    );
    const rollups = () =>
      db.query<{ external_id: string; order_count: number; purchase_days: number; revenue: string; last_order_at: Date }>(
        "select c.external_id, r.order_count, r.purchase_days, r.revenue, r.last_order_at from customer_rollups r join customers c on c.id = r.customer_id order by 1",
      );
    expect(await rollups()).toEqual([
      { external_id: "C1", order_count: 3, purchase_days: 2, revenue: "3500.00", last_order_at: new Date("2024-01-02T14:00:00Z") },
    ]);
    const summary = await ordersFrom(header + "O3,C1,2024-01-02T14:00:00Z,500,refunded\nO5,C2,2024-01-03,300,completed\n");
    expect(summary.orders).toEqual({ inserted: 0, updated: 2, unchanged: 0 });
    expect(await rollups()).toEqual([
      { external_id: "C1", order_count: 2, purchase_days: 2, revenue: "3000.00", last_order_at: new Date("2024-01-01T15:30:00Z") },
      { external_id: "C2", order_count: 1, purchase_days: 1, revenue: "300.00", last_order_at: new Date("2024-01-02T15:00:00Z") },
    ]);
    // Moving an order to another customer refreshes both customers.
    await ordersFrom(header + "O1,C2,2024-01-01T23:30+09:00,1000,completed\n");
    const after = await rollups();
    expect(after.map((r) => [r.external_id, r.order_count, r.revenue])).toEqual([
      ["C1", 1, "2000.00"],
      ["C2", 2, "1300.00"],
    ]);
  });

  describe(`CDNOW transaction log (${cdnowFile})`, () => {
    it("imports 2,357 customers and 6,919 orders; a second import changes nothing", async () => {
      const run = () => importOrders({ handle: db, source: createReadStream(cdnowFile), label: "CDNOW_sample.txt", format: "cdnow" });
      const first = await run();
      expect(first).toMatchObject({
        rowsRead: 6919,
        customers: { inserted: 2357, updated: 0, unchanged: 0 },
        orders: { inserted: 6919, updated: 0, unchanged: 0 },
        skippedCount: 0,
      });
      const totals = async () =>
        (
          await db.query<{ customers: number; orders: number; days: number; revenue: string; usd: number }>(
            `select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders,
                    (select sum(purchase_days) from customer_rollups)::int as days, (select sum(revenue) from customer_rollups)::text as revenue,
                    (select count(*) from orders where currency = 'USD')::int as usd`,
          )
        )[0];
      expect(await totals()).toEqual({ customers: 2357, orders: 6919, days: 6696, revenue: "244091.94", usd: 6919 });
      const [sample] = await db.query<{ name: string; orders: string[] }>(
        `select c.name, array_agg(o.external_id order by o.external_id) as orders
           from customers c join orders o on o.customer_id = c.id where c.external_id = 'cdnow-00004' group by c.name`,
      );
      expect(sample).toEqual({ name: "CDNOW 00004", orders: ["cdnow-00004-19970101-1", "cdnow-00004-19970118-1", "cdnow-00004-19970802-1", "cdnow-00004-19971212-1"] });
      const second = await run();
      expect(second).toMatchObject({
        customers: { inserted: 0, updated: 0, unchanged: 2357 },
        orders: { inserted: 0, updated: 0, unchanged: 6919 },
      });
      expect(await totals()).toEqual({ customers: 2357, orders: 6919, days: 6696, revenue: "244091.94", usd: 6919 });
    });

    it("reports a bad CDNOW line with its line number", async () => {
      const before = await counts();
      const error = await rejection(ordersFrom(" 00001 1 19970101 1 10.00\r\n 00001 1 19970230 1 5.00\r\n 00002 2 19970101 x 1.00\r\n", { format: "cdnow" }));
      expect(error.problems).toEqual([
        { path: "line 2, column date", line: 2, column: "date", reason: "NO_SUCH_DAY", params: { value: "1997-02-30", month: "1997-02", days: 28 }, message: '"1997-02-30" is not a calendar date: 1997-02 has 28 days.' },
        { path: "line 3", line: 3, reason: "NOT_CDNOW_LINE", params: { value: "00002 2 19970101 x 1.00" }, message: '"00002 2 19970101 x 1.00" is not a CDNOW line: expected "master_id sample_id YYYYMMDD cds dollars".' },
      ]);
      expect(await counts()).toEqual(before);
    });
  });
});
