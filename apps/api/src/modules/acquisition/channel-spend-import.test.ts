// Channel spend import: validation (header, line and column errors, nothing half-written),
// idempotent re-import, tab-separated and UTF-16 files, the CLI, and how spend is allocated to customers.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { runLtvloop } from "../../testing/cli.ts";
import { csv, tsv, unicodeText } from "../../testing/delimited-text.ts";
import { importCustomers } from "../import/customers-import.service.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { acquisitionEconomics } from "./acquisition.service.ts";
import { importChannelSpend, parseMonth } from "./channel-spend-import.ts";

const rejection = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe("month cells", () => {
  it("accepts YYYY-MM, YYYY/MM and the first day; rejects other days and bad months", () => {
    expect(parseMonth("2025-01")).toEqual({ ok: true, value: "2025-01-01" });
    expect(parseMonth("2025/1")).toEqual({ ok: true, value: "2025-01-01" });
    expect(parseMonth("2025-12-01")).toEqual({ ok: true, value: "2025-12-01" });
    expect(parseMonth("2025-12-15")).toMatchObject({ ok: false, code: "DAY_NOT_MONTH", params: { value: "2025-12-15", expected: "2025-12" }, message: expect.stringMatching(/is a day, not a month/) });
    expect(parseMonth("2025-13")).toMatchObject({ ok: false, code: "BAD_MONTH", params: { value: "2025-13", month: 13 }, message: expect.stringMatching(/01–12/) });
    expect(parseMonth("1850-01")).toMatchObject({ ok: false, code: "YEAR_OUT_OF_RANGE", params: { value: "1850-01", min: 1900, max: 2999 } });
    expect(parseMonth("Jan 2025")).toMatchObject({ ok: false, code: "NOT_A_MONTH", params: { value: "Jan 2025" }, message: expect.stringMatching(/write YYYY-MM/) });
  });
});

describe.each(testDatabaseKinds())("channel spend import on %s", (kind) => {
  let db: TestDatabase;
  const count = async () => (await db.query<{ n: number }>("select count(*)::int as n from channel_spend"))[0]?.n;
  const load = (csv: string) => importChannelSpend(db, csv, { label: "spend.csv", actor: null });

  beforeAll(async () => {
    db = await createTestDb(kind);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("rejects a bad header and lists every bad row by line and column, writing nothing", async () => {
    const header = await rejection(load("channel,amount,cost\nads,100,1\n"));
    expect(header.message).toBe("The channel spend file is missing the column month; nothing was imported.");
    expect(header.problems).toEqual([
      { path: "line 1, column cost", line: 1, column: "cost", reason: "UNKNOWN_COLUMN", params: { column: "cost", expected: "channel, month, amount, currency", required: "channel, month, amount" }, message: expect.stringContaining('unknown column "cost"') },
      { path: "line 1, column month", line: 1, column: "month", reason: "MISSING_COLUMN", params: { column: "month", expected: "channel, month, amount, currency", required: "channel, month, amount" }, message: expect.stringContaining("the required column month is missing") },
    ]);
    const rows = await rejection(
      load("Channel,Month,Amount,Currency\nads,2025-01,1000,\n,2025-01,5,\nads,2025-1-15,¥100,\nsocial,2025-02,-3,USD\nads,2025/01,7,\n\nsocial,2025-02,10,JPY\n"),
    );
    expect(rows.message).toBe("spend.csv was rejected: 6 problems; nothing was imported. Fix the rows below and import the file again.");
    expect(rows.problems.map((p) => p.path)).toEqual([
      "line 3, column channel",
      "line 4, column month",
      "line 4, column amount",
      "line 5, column amount",
      "line 5, column currency",
      "line 6, column month",
    ]);
    expect(rows.problems.map((p) => p.reason)).toEqual(["REQUIRED_VALUE", "DAY_NOT_MONTH", "CURRENCY_SIGN", "NEGATIVE_AMOUNT", "WRONG_CURRENCY", "DUPLICATE_KEY"]);
    // A negative spend is not an order: no refund hint, and the column it names is the file's.
    expect(rows.problems[3]).toMatchObject({ params: { value: "-3", column: "amount" }, message: "amount must be 0 or more, got -3." });
    expect(rows.problems[5]).toMatchObject({ reason: "DUPLICATE_KEY", params: { key: "channel + month", value: "ads 2025-01", firstLine: 2 }, message: "ads 2025-01 already appears on line 2: each row needs its own combination of channel + month." });
    expect(rows.problems[4]).toMatchObject({ reason: "WRONG_CURRENCY", params: { value: "USD", expected: "JPY" }, message: expect.stringContaining("USD is not the business currency JPY") });
    expect(await count()).toBe(0);
    const empty = await rejection(load(""));
    expect(empty.message).toMatch(/The file is empty/);
  });

  it("refuses a row with more or fewer cells than the header, and the header pasted again, as the customers import does", async () => {
    // The customers import's problems for the same shapes are the yardstick: same codes, parameters and messages.
    const refusedBy = async (run: Promise<unknown>) => (await rejection(run)).problems;
    const shapes = (header: string[], wide: string[], narrow: string[]) => [header, wide, narrow, header.map((h) => h.toUpperCase()), header.map(() => "x")];
    const spend = shapes(["channel", "month", "amount"], ["ads", "2025-01", "1000", "5"], ["ads", "2025-02"]);
    const customers = shapes(["external_id", "name", "email"], ["c1", "A", "a@example.com", "5"], ["c2", "B"]);
    for (const [form, write] of [["comma", csv], ["tab", tsv]] as const) {
      const problems = await refusedBy(load(write(spend)));
      expect(problems.map((p) => [p.path, p.reason, p.params]), form).toEqual([
        ["line 2", "FIELD_COUNT", { found: 4, expected: 3, ...(form === "tab" ? { separator: "tab" } : {}) }],
        ["line 3", "FIELD_COUNT", { found: 2, expected: 3, ...(form === "tab" ? { separator: "tab" } : {}) }],
        ["line 4", "HEADER_REPEATED", { line: 4 }],
        ["line 5, column month", "NOT_A_MONTH", { value: "x" }],
        ["line 5, column amount", "BAD_NUMBER", { value: "x" }],
      ]);
      const asCustomers = await refusedBy(importCustomers({ handle: db, source: write(customers), label: "customers.csv" }));
      expect(problems.slice(0, 3), form).toEqual(asCustomers.slice(0, 3));
    }
    // More cells than any file may have: refused while reading, as the orders and customers imports refuse it.
    const wide = await refusedBy(load(`channel,month,amount\nads,2025-01,${"1,".repeat(198)}1\n`));
    expect(wide).toMatchObject([{ line: 2, reason: "TOO_MANY_COLUMNS", params: { count: 201, limit: 200 } }]);
    expect(await count()).toBe(0);
  });

  it("imports, re-imports without change, and replaces a month's amount", async () => {
    const csv = "channel,month,amount\nads,2025-01,1000\nads,2025-02,\"1,500\"\nsocial,2025-01,300.50\n";
    expect(await load(csv)).toMatchObject({ rowsRead: 3, inserted: 3, updated: 0, unchanged: 0 });
    expect(await load(csv)).toMatchObject({ rowsRead: 3, inserted: 0, updated: 0, unchanged: 3 });
    expect(await load("channel,month,amount\nads,2025-02,1600\nads,2025-03,0\n")).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const rows = await db.query<{ channel: string; month: string; amount: string }>(
      "select channel, to_char(month, 'YYYY-MM') as month, amount::text as amount from channel_spend order by channel, month",
    );
    expect(rows).toEqual([
      { channel: "ads", month: "2025-01", amount: "1000.00" },
      { channel: "ads", month: "2025-02", amount: "1600.00" },
      { channel: "ads", month: "2025-03", amount: "0.00" },
      { channel: "social", month: "2025-01", amount: "300.50" },
    ]);
    const [audit] = await db.query<{ n: number }>("select count(*)::int as n from audit_log where operation = 'importChannelSpend'");
    expect(audit?.n).toBe(3);
  });

  it("shares a month's spend equally among that month's customers of the channel without their own cost", async () => {
    // ads 2025-01: 1000 over x1, x2 (x3 has its own cost 80); 2025-02: 1600 over x4 alone.
    // x5 at 2025-02-01 00:30 JST (still January in UTC) belongs to February in the business time zone.
    await importCustomers({
      handle: db,
      source:
        "external_id,acquisition_channel,acquisition_cost,acquired_at\nx1,ads,,2025-01-05\nx2,ads,,2025-01-31 23:30\nx3,ads,80,2025-01-10\nx4,ads,,2025-02-03\nx5,ads,,2025-02-01 00:30\nx6,store,,2025-01-03\n",
      label: "customers.csv",
    });
    const result = await acquisitionEconomics(db.query, { groupBy: "channel_cohort", cohortUnit: "month" });
    const byCohort = new Map(result.groups.map((g) => [`${g.channel}|${g.cohort}`, g]));
    expect(byCohort.get("ads|2025-01")).toMatchObject({ customers: 3, totalCac: 1080, customersWithoutCost: 0 });
    expect(byCohort.get("ads|2025-02")).toMatchObject({ customers: 2, totalCac: 1600, meanCac: 800, customersWithoutCost: 0 });
    expect(byCohort.get("store|2025-01")).toMatchObject({ customers: 1, totalCac: 0, customersWithoutCost: 1, ltvToCac: null });
  });

  it("stores a tab-separated file (UTF-8, Shift_JIS, Excel's Unicode Text) exactly as its CSV twin, and says how each was read", async () => {
    const rows = [
      ["channel", "month", "amount", "currency"],
      ["paid_search", "2025-01", "1,250,000", "JPY"],
      ["店舗, 本店", "2025/02", "480000.50", ""],
      ["line", "2025-03-01", "0", ""],
    ];
    const reset = () => db.query("truncate channel_spend");
    const stored = () => db.query("select channel, to_char(month, 'YYYY-MM') as month, amount::text as amount, currency from channel_spend order by month, channel");
    const read = (source: ImportSource, encoding?: ImportEncoding) => importChannelSpend(db, source, { label: "spend", actor: null, ...(encoding ? { encoding } : {}) });
    await reset();
    expect(await read(Buffer.from(csv(rows)))).toMatchObject({ delimiter: "comma", encoding: "utf8", rowsRead: 3, inserted: 3 });
    const expected = await stored();
    expect(expected).toEqual([
      { channel: "paid_search", month: "2025-01", amount: "1250000.00", currency: "JPY" },
      { channel: "店舗, 本店", month: "2025-02", amount: "480000.50", currency: "JPY" },
      { channel: "line", month: "2025-03", amount: "0.00", currency: "JPY" },
    ]);
    const variants: [string, () => Promise<unknown>, { delimiter: string; encoding: string }][] = [
      ["UTF-8 TSV", () => read(Buffer.from(tsv(rows))), { delimiter: "tab", encoding: "utf8" }],
      ["Shift_JIS TSV", () => read(iconv.encode(tsv(rows), "cp932"), "shift_jis"), { delimiter: "tab", encoding: "shift_jis" }],
      ["Unicode Text, chosen as UTF-8", () => read(unicodeText(rows)), { delimiter: "tab", encoding: "utf16le" }],
      ["TSV text, as the GraphQL mutation passes it", () => read(tsv(rows)), { delimiter: "tab", encoding: "utf8" }],
    ];
    for (const [name, load, how] of variants) {
      await reset();
      expect(await load(), name).toMatchObject({ ...how, rowsRead: 3, inserted: 3, updated: 0, unchanged: 0 });
      expect(await stored(), name).toEqual(expected);
    }
    // The same file again in the other form changes nothing.
    expect(await read(Buffer.from(csv(rows)))).toMatchObject({ delimiter: "comma", inserted: 0, updated: 0, unchanged: 3 });
  });
});

describe("ltvloop import channel-spend (CLI)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ltvloop-spend-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("imports a file, re-imports it without change and rejects a bad one with the problems", { timeout: 120_000 }, async () => {
    const ltvloop = (...args: string[]) => runLtvloop(join(dir, "pglite"), ...args);
    const file = join(dir, "spend.csv");
    await writeFile(file, "channel,month,amount\npaid_search,2025-01,125000\nsocial,2025-01,48000\n");
    const first = await ltvloop("import", "channel-spend", file);
    expect(first.stderr).not.toContain("ltvloop:");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Imported ${file}: 2 rows read\n  channel spend 2 inserted, 0 updated, 0 unchanged`);
    const again = await ltvloop("import", "channel-spend", file);
    expect(again.stdout).toContain("channel spend 0 inserted, 0 updated, 2 unchanged");
    // Excel's "Unicode Text" of the same sheet: read as saved, and the output says how.
    const unicode = join(dir, "spend.txt");
    await writeFile(unicode, unicodeText([["channel", "month", "amount"], ["paid_search", "2025-01", "125000"], ["social", "2025-01", "48000"]]));
    const tabs = await ltvloop("import", "channel-spend", unicode);
    expect(tabs.stderr).not.toContain("ltvloop:");
    expect(tabs.stdout).toBe(`Imported ${unicode}: 2 rows read (tab-separated, UTF-16LE)\n  channel spend 0 inserted, 0 updated, 2 unchanged\n`);
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "channel,month,amount\npaid_search,2025-02,100\nsocial,2025-02,abc\n");
    const rejected = await ltvloop("import", "channel-spend", bad);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`ltvloop: ${bad} was rejected: 1 problem; nothing was imported.`);
    expect(rejected.stderr).toContain('line 3, column amount: "abc" is not a number');
    const help = await ltvloop("import", "channel-spend", "--help");
    expect(help.stdout).toMatch(/month\s+required/);
  });
});
