// Files as spreadsheets and Japanese EC tools write them: tab-separated text (Excel's "Text (Tab
// delimited)" in Shift_JIS, its "Unicode Text" in UTF-16LE), Excel's unnamed trailing columns,
// yes/no cells written in Japanese, and a header pasted again mid-file. Each is stored exactly as
// the same data in a plain UTF-8 CSV, or refused with one clear problem and nothing written.
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import iconv from "iconv-lite";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { csv, tsv, unicodeText } from "../../testing/delimited-text.ts";
import { importCustomers } from "./customers-import.service.ts";
import type { ImportEncoding, ImportSource } from "./import.types.ts";
import { importOrders } from "./orders-import.service.ts";

const CUSTOMERS = [
  ["external_id", "name", "email", "prefecture", "acquisition_cost", "acquired_at", "email_opt_in", "line_opt_in"],
  ["C1", "山田 花子", "hanako@example.jp", "東京都", "1200", "2024-01-15", "true", "false"],
  ["C2", "佐藤, 次郎", "", "大阪府", "1,500", "2024/02/01 10:00", "", "1"],
  ["C3", 'O"Brien\tJr', "ob@example.com", "", "", "2024-03-01T09:00:00+09:00", "no", ""],
];
const ORDERS = [
  ["external_id", "customer_external_id", "ordered_at", "amount", "currency", "status", "channel", "items"],
  ["O1", "C1", "2024-03-01 12:00", "3181", "JPY", "completed", "楽天市場", "2"],
  ["O2", "C1", "2024-03-02", "1,200", "", "refunded", "", ""],
  ["O3", "C2", "2024-03-03T10:00:00Z", "980.50", "", "", "店舗, 本店", "1"],
  ["O4", "C3", "2024/03/04", "0", "", "cancelled", "web", "3"],
];

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected the import to be rejected");
}

describe.each(testDatabaseKinds())("spreadsheet files on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });
  const reset = () => db.query("truncate customer_rollups, orders, customers, audit_log, import_runs restart identity cascade");
  beforeEach(reset);

  const customers = (source: ImportSource, extra: { encoding?: ImportEncoding; fastLane?: boolean; skipInvalid?: boolean } = {}) =>
    importCustomers({ handle: db, source: typeof source === "string" ? Buffer.from(source) : source, label: "customers", ...extra });
  const orders = (source: ImportSource, extra: { encoding?: ImportEncoding; fastLane?: boolean; skipInvalid?: boolean } = {}) =>
    importOrders({ handle: db, source: typeof source === "string" ? Buffer.from(source) : source, label: "orders", ...extra });
  const stored = async () => ({
    customers: await db.query(
      `select external_id, name, email, attributes, acquisition_channel, acquisition_cost::text, acquired_at, email_opt_in, line_opt_in, sms_opt_in, dm_opt_in
         from customers order by external_id`,
    ),
    orders: await db.query(
      `select o.external_id, c.external_id as customer, o.ordered_at, o.amount::text, o.currency, o.status, o.channel, o.items
         from orders o join customers c on c.id = o.customer_id order by o.external_id`,
    ),
    rollups: await db.query("select customer_id, order_count, revenue::text from customer_rollups order by customer_id"),
  });
  const counts = async () => (await db.query<{ customers: number; orders: number }>("select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders"))[0];

  it("stores a tab-separated file (UTF-8, Shift_JIS, Excel's Unicode Text) exactly as the same data with commas, through either lane", async () => {
    const summary = await customers(csv(CUSTOMERS));
    expect(summary).toMatchObject({ delimiter: "comma", encoding: "utf8" });
    await orders(csv(ORDERS));
    const expected = await stored();
    expect(expected.customers).toHaveLength(3);
    expect(expected.orders).toHaveLength(4);

    const variants: [string, () => Promise<unknown>][] = [
      ["UTF-8 TSV", async () => {
        expect(await customers(tsv(CUSTOMERS))).toMatchObject({ delimiter: "tab", encoding: "utf8", rowsRead: 3 });
        expect(await orders(tsv(ORDERS))).toMatchObject({ delimiter: "tab", encoding: "utf8", rowsRead: 4 });
      }],
      ["UTF-8 TSV, record path only", async () => {
        await customers(tsv(CUSTOMERS), { fastLane: false });
        await orders(tsv(ORDERS), { fastLane: false });
      }],
      ["Shift_JIS TSV", async () => {
        await customers(iconv.encode(tsv(CUSTOMERS), "cp932"), { encoding: "shift_jis" });
        expect(await orders(iconv.encode(tsv(ORDERS), "cp932"), { encoding: "shift_jis" })).toMatchObject({ delimiter: "tab", encoding: "shift_jis" });
      }],
      ["Unicode Text, chosen as UTF-8", async () => {
        expect(await customers(unicodeText(CUSTOMERS))).toMatchObject({ delimiter: "tab", encoding: "utf16le" });
        await orders(unicodeText(ORDERS));
      }],
    ];
    for (const [name, load] of variants) {
      await reset();
      await load();
      expect(await stored(), name).toEqual(expected);
    }
  });

  it("ignores Excel's unnamed trailing columns when they are empty, and refuses data in one naming its position", async () => {
    const excel = (rows: string[][], extra: number) => csv(rows.map((r) => [...r, ...Array<string>(extra).fill("")]));
    await customers(csv(CUSTOMERS));
    await orders(csv(ORDERS));
    const expected = await stored();
    await reset();
    expect(await customers(excel(CUSTOMERS, 3))).toMatchObject({ rowsRead: 3, customers: { inserted: 3 } });
    // A row may leave the empty trailing cells out.
    await orders(`${excel(ORDERS, 2)}`.replace("O4,C3,2024/03/04,0,,cancelled,web,3,,", "O4,C3,2024/03/04,0,,cancelled,web,3"));
    expect(await stored()).toEqual(expected);

    await reset();
    const rows = excel(ORDERS, 3).split("\r\n");
    rows[2] = `${rows[2]}memo`;
    const error = await rejection(customers(csv(CUSTOMERS)).then(() => orders(rows.join("\r\n"))));
    expect(error.problems).toEqual([
      {
        path: "line 3",
        line: 3,
        reason: "UNNAMED_COLUMN_DATA",
        params: { position: 11, value: "memo" },
        message: 'column 11 has no name in the header but holds "memo" on this line: give the column a name in the header, or delete its values (empty unnamed columns at the end of the header are ignored).',
      },
    ]);
    expect(await counts()).toEqual({ customers: 3, orders: 0 });
    // A tab-separated row with a stray tab is told about tabs, not commas.
    const stray = await rejection(customers("external_id\tname\nC8\tA\tB\n"));
    expect(stray.problems).toMatchObject([
      { path: "line 2", reason: "FIELD_COUNT", params: { found: 3, expected: 2, separator: "tab" }, message: expect.stringMatching(/\(the file is tab-separated\): quote values that contain a tab/) },
    ]);
    // So is a row with more cells than any file may have.
    const wide = await rejection(customers(`external_id\tname\nC8\t${"x\t".repeat(200)}y\n`));
    expect(wide.problems).toMatchObject([
      { path: "line 2", reason: "TOO_MANY_COLUMNS", params: { count: 202, limit: 200, separator: "tab" }, message: expect.stringContaining("Check the separator (a tab: the file is tab-separated)") },
    ]);
    // An unnamed column before a named one is still a header problem.
    const middle = await rejection(customers("external_id,,name\nC9,,x\n"));
    expect(middle.problems).toMatchObject([{ path: "line 1", reason: "UNNAMED_COLUMN", params: { position: 2 } }]);
  });

  it("reads yes/no cells as Japanese sheets write them and refuses others listing what is accepted", async () => {
    const file = "external_id,email_opt_in,line_opt_in,sms_opt_in,dm_opt_in\nJ1,はい,いいえ,○,×\nJ2,ＴＲＵＥ,ｆａｌｓｅ,あり,なし\nJ3,有,無,〇,✕\nJ4,Yes,No,１,０\n";
    for (const fastLane of [true, false]) {
      await reset();
      await customers(file, { fastLane });
      expect(await db.query("select external_id, email_opt_in, line_opt_in, sms_opt_in, dm_opt_in from customers order by 1")).toEqual([
        { external_id: "J1", email_opt_in: true, line_opt_in: false, sms_opt_in: true, dm_opt_in: false },
        { external_id: "J2", email_opt_in: true, line_opt_in: false, sms_opt_in: true, dm_opt_in: false },
        { external_id: "J3", email_opt_in: true, line_opt_in: false, sms_opt_in: true, dm_opt_in: false },
        { external_id: "J4", email_opt_in: true, line_opt_in: false, sms_opt_in: true, dm_opt_in: false },
      ]);
    }
    await reset();
    const error = await rejection(customers("external_id,email_opt_in\nK1,希望する\nK2,はい\n"));
    expect(error.problems).toMatchObject([
      {
        path: "line 2, column email_opt_in",
        reason: "BAD_BOOLEAN",
        params: { value: "希望する" },
        message: '"希望する" is not a yes/no value: write true/false, 1/0, yes/no, t/f, はい/いいえ, ○/×, あり/なし or 有/無 (leave empty for the default).',
      },
    ]);
    expect(await counts()).toEqual({ customers: 0, orders: 0 });
  });

  it("reports a header pasted again mid-file once, at its line, and writes nothing", async () => {
    // Two customers files joined: with only external_id and name, the repeated header would read as a customer "external_id".
    const joined = "external_id,name\nC1,山田\nC2,佐藤\n\ufeffExternal_ID , Name\nC3,鈴木\n";
    for (const fastLane of [true, false]) {
      const error = await rejection(customers(joined, { fastLane }));
      expect(error.message).toMatch(/^customers was rejected: 1 problem in 4 customer rows; nothing was imported/);
      expect(error.problems).toEqual([
        { path: "line 4", line: 4, reason: "HEADER_REPEATED", params: { line: 4 }, message: "the header is repeated at line 4 (files joined together?): remove that line." },
      ]);
      expect(await counts()).toEqual({ customers: 0, orders: 0 });
    }
    // Quoted, tab-separated, and with Excel's empty trailing columns: still the header.
    await customers("external_id,name\nC1,山田\n");
    const orderFile = `${tsv(ORDERS.slice(0, 3))}${tsv([ORDERS[0] as string[]]).replace(/\w+/g, (w) => `"${w}"`).replace("\r\n", "\t\t\r\n")}${tsv(ORDERS.slice(3))}`;
    const error = await rejection(orders(orderFile.replaceAll("C2", "C1").replaceAll("C3", "C1")));
    expect(error.problems).toMatchObject([{ path: "line 4", reason: "HEADER_REPEATED" }]);
    // Under --skip-invalid the line is skipped like any refused row.
    const skipped = await customers(joined, { skipInvalid: true });
    expect(skipped).toMatchObject({ rowsRead: 4, skippedCount: 1, customers: { inserted: 2 } });
    expect(skipped.skipped).toMatchObject([{ line: 4, code: "HEADER_REPEATED" }]);
  });
});
