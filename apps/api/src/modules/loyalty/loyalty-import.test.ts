// Loyalty entries import: a tab-separated file (UTF-8, Shift_JIS, Excel's "Unicode Text") records
// exactly what its CSV twin records, and the result and the CLI say how the file was read (the
// GraphQL result's separator is checked in loyalty.test.ts).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLtvloop } from "../../testing/cli.ts";
import { csv, tsv, unicodeText } from "../../testing/delimited-text.ts";
import { importCustomers } from "../import/customers-import.service.ts";
import type { ImportEncoding, ImportSource } from "../import/import.types.ts";
import { importLoyaltyEntries } from "./loyalty-import.ts";
import { addPointRule } from "./loyalty-rules.service.ts";

const NOW = new Date("2025-06-10T12:00:00+09:00");
// k1 is credited 500 and then redeems 200 of them (file order); the notes hold a comma, a quote and a tab.
const ENTRIES = [
  ["customer_external_id", "kind", "points", "entry_id", "note"],
  ["k1", "adjust", "500", "cs-981", "お詫び, 配送遅延"],
  ["k1", "redeem", "200", "pos-2025-0001", '500円 "coupon"'],
  ["k2", "adjust", "-0", "cs-982", ""],
  ["k2", "adjust", "+1000", "cs-983", "campaign\tbonus"],
];
// "-0" is no change: the file is refused. The twin without that row is what gets recorded.
const GOOD = ENTRIES.filter((row) => row[3] !== "cs-982");

describe.each(testDatabaseKinds())("loyalty entries import on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDb(kind);
    await db.transaction(({ query }) =>
      addPointRule(query, { effectiveFrom: new Date("2025-01-01T00:00:00+09:00"), earnRate: 0.01, rounding: "floor", minOrderAmount: 0, expiryMode: "none", pointValue: 1, channelMultipliers: {} }, null, { allowPast: true }),
    );
    await importCustomers({ handle: db, source: "external_id\nk1\nk2\n", label: "customers.csv" });
  }, 60_000);
  afterAll(() => db?.destroy());

  const reset = () => db.query("delete from loyalty_point_entries");
  const stored = () =>
    db.query(
      `select c.external_id, e.kind, e.points::int as points, e.idempotency_key as key, e.note
         from loyalty_point_entries e join customers c on c.id = e.customer_id order by c.external_id, e.points`,
    );
  const load = (source: ImportSource, encoding?: ImportEncoding) => importLoyaltyEntries(db, source, { label: "entries", actor: null, now: NOW, ...(encoding ? { encoding } : {}) });

  it("records a tab-separated file (UTF-8, Shift_JIS, Excel's Unicode Text) exactly as its CSV twin, and says how each was read", async () => {
    await reset();
    expect(await load(Buffer.from(csv(GOOD)))).toMatchObject({ delimiter: "comma", encoding: "utf8", rowsRead: 3, recorded: 3, unchanged: 0 });
    const expected = await stored();
    expect(expected).toEqual([
      { external_id: "k1", kind: "redeem", points: -200, key: "manual:pos-2025-0001", note: '500円 "coupon"' },
      { external_id: "k1", kind: "adjust", points: 500, key: "manual:cs-981", note: "お詫び, 配送遅延" },
      { external_id: "k2", kind: "adjust", points: 1000, key: "manual:cs-983", note: "campaign\tbonus" },
    ]);
    const variants: [string, () => Promise<unknown>, { delimiter: string; encoding: string }][] = [
      ["UTF-8 TSV", () => load(Buffer.from(tsv(GOOD))), { delimiter: "tab", encoding: "utf8" }],
      ["Shift_JIS TSV", () => load(iconv.encode(tsv(GOOD), "cp932"), "shift_jis"), { delimiter: "tab", encoding: "shift_jis" }],
      ["Unicode Text, chosen as UTF-8", () => load(unicodeText(GOOD)), { delimiter: "tab", encoding: "utf16le" }],
      ["TSV text, as the GraphQL mutation passes it", () => load(tsv(GOOD)), { delimiter: "tab", encoding: "utf8" }],
    ];
    for (const [name, run, how] of variants) {
      await reset();
      expect(await run(), name).toMatchObject({ ...how, rowsRead: 3, recorded: 3, unchanged: 0 });
      expect(await stored(), name).toEqual(expected);
    }
    // Replaying the rows in the other form changes nothing (entry ids).
    expect(await load(Buffer.from(csv(GOOD)))).toMatchObject({ delimiter: "comma", recorded: 0, unchanged: 3 });
  });

  it("refuses the same bad row at the same line and column in either form", async () => {
    await reset();
    const refusal = async (source: ImportSource) => {
      const error = await load(source).then(
        () => null,
        (e: unknown) => e as { problems: unknown[] },
      );
      return error?.problems;
    };
    const fromCsv = await refusal(Buffer.from(csv(ENTRIES)));
    expect(fromCsv).toMatchObject([{ path: "line 4, column points", reason: "ADJUST_ZERO" }]);
    expect(await refusal(Buffer.from(tsv(ENTRIES)))).toEqual(fromCsv);
    expect(await stored()).toEqual([]);
  });

  it("refuses extra or missing cells and a header pasted again with the customers import's problems, writing nothing", async () => {
    await reset();
    const problemsOf = async (run: Promise<unknown>) => {
      const error = await run.then(
        () => null,
        (e: unknown) => e as { problems: { path: string; reason: string; params: unknown }[] },
      );
      return error?.problems ?? [];
    };
    // A note with an unquoted comma, a row cut short, and a second file joined to the first.
    const [header, ...rows] = GOOD;
    const broken = [header!, [...rows[0]!.slice(0, 4), "お詫び", " 配送遅延"], rows[1]!.slice(0, 3), header!.map((h) => ` ${h.toUpperCase()} `), rows[2]!];
    for (const [form, write] of [["comma", csv], ["tab", tsv]] as const) {
      const problems = await problemsOf(load(Buffer.from(write(broken))));
      const tab = form === "tab" ? { separator: "tab" } : {};
      expect(problems.map((p) => [p.path, p.reason, p.params]), form).toEqual([
        ["line 2", "FIELD_COUNT", { found: 6, expected: 5, ...tab }],
        ["line 3", "FIELD_COUNT", { found: 3, expected: 5, ...tab }],
        ["line 4", "HEADER_REPEATED", { line: 4 }],
      ]);
      // The customers import words the same shapes the same way.
      const customers = [["external_id", "name", "email", "gender", "prefecture"], ["k9", "A", "a@example.com", "", "", "x"], ["k9", "A", "a@example.com"], ["EXTERNAL_ID", "NAME", "EMAIL", "GENDER", "PREFECTURE"]];
      expect(problems, form).toEqual(await problemsOf(importCustomers({ handle: db, source: Buffer.from(write(customers)), label: "customers.csv" })));
    }
    expect(await stored()).toEqual([]);
  });
});

describe("ltvloop import loyalty (CLI)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ltvloop-loyalty-cli-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("imports a tab-separated file and says it read tabs", { timeout: 180_000 }, async () => {
    const ltvloop = (...args: string[]) => runLtvloop(join(dir, "pglite"), ...args);
    // The demo data brings a points programme; the customers are the file's own.
    const seeded = await ltvloop("seed", "--customers", "20", "--years", "1", "--no-campaigns", "--no-snapshot", "--no-users");
    expect(seeded.code).toBe(0);
    const customers = join(dir, "customers.csv");
    await writeFile(customers, "external_id\nk1\nk2\n");
    expect((await ltvloop("import", "customers", customers)).code).toBe(0);
    const file = join(dir, "entries.txt");
    await writeFile(file, tsv(GOOD));
    const imported = await ltvloop("import", "loyalty", file);
    expect(imported.stderr).not.toContain("ltvloop:");
    expect(imported.stdout).toBe(`Imported ${file}: 3 rows read (tab-separated), 3 recorded, 0 already recorded\n`);
    const commas = join(dir, "entries.csv");
    await writeFile(commas, csv(GOOD));
    expect((await ltvloop("import", "loyalty", commas)).stdout).toBe(`Imported ${commas}: 3 rows read, 0 recorded, 3 already recorded\n`);
  });
});
