// The `ltvloop import` command end to end: a real process on an embedded database in a temp dir.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLtvloop } from "../../testing/cli.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ltvloop-import-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ltvloop = (...args: string[]) => runLtvloop(join(dir, "pglite"), ...args);

describe("ltvloop import (CLI)", () => {
  it("imports a good file, then rejects a bad one with exit code 1 and the problems on stderr", { timeout: 120_000 }, async () => {
    const customers = join(dir, "customers.csv");
    await writeFile(customers, "external_id,name\nC1,山田 花子\n");
    const ok = await ltvloop("import", "customers", customers);
    expect(ok.stderr).not.toContain("ltvloop:");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Imported ${customers}: 1 row read`);
    expect(ok.stdout).toContain("customers  1 inserted, 0 updated, 0 unchanged");

    const orders = join(dir, "orders.csv");
    await writeFile(orders, "external_id,customer_external_id,ordered_at,amount\nO1,C1,2024-01-01,100\nO2,C1,2024-01-02,¥100\n");
    const bad = await ltvloop("import", "orders", orders);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`ltvloop: ${orders} was rejected: 1 problem in 2 order rows; nothing was imported.`);
    expect(bad.stderr).toContain('  line 3, column amount: "¥100" contains a currency sign or code');
    expect(bad.stdout).toBe("");

    // 120 bad rows: the message says the first 100 are reported, and all 100 are printed (not
    // 50 and "… and 50 more", which read as 50 more in a file with 70 more).
    const many = join(dir, "many-bad-orders.csv");
    await writeFile(many, `external_id,customer_external_id,ordered_at,amount\n${Array.from({ length: 120 }, (_, i) => `M${i},C1,2024-13-01,100\n`).join("")}`);
    const manyBad = await ltvloop("import", "orders", many);
    expect(manyBad.code).toBe(1);
    expect(manyBad.stderr).toContain("120 problems in 120 order rows (the first 100 are reported)");
    expect(manyBad.stderr.match(/^ {2}line \d+, column ordered_at: /gm)).toHaveLength(100);
    expect(manyBad.stderr).toContain("  line 101, column ordered_at:");
    expect(manyBad.stderr).not.toContain("more");

    // A future order is named in the business time zone (Asia/Tokyo by default) with its offset, not in UTC.
    const future = join(dir, "future-orders.csv");
    await writeFile(future, "external_id,customer_external_id,ordered_at,amount\nF1,C1,2099-01-01,100\n");
    const refused = await ltvloop("import", "orders", future);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ {2}line 2, column ordered_at: 2099-01-01 00:00:00\+09:00 is after the import time \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+09:00 \(tolerance 60 min\)/);

    // Excel's "Text (Tab delimited)": read as tab-separated, and the output says so.
    const tabs = join(dir, "customers.txt");
    await writeFile(tabs, "external_id\tname\temail_opt_in\nC2\t佐藤 次郎\tはい\n");
    const tsv = await ltvloop("import", "customers", tabs);
    expect(tsv.code).toBe(0);
    expect(tsv.stdout).toContain(`Imported ${tabs}: 1 row read (tab-separated)`);

    const dryRun = await ltvloop("import", "orders", orders, "--skip-invalid", "--dry-run");
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain("Dry run (nothing was written)");
    expect(dryRun.stdout).toContain("orders     1 inserted, 0 updated, 0 unchanged");
    expect(dryRun.stdout).toContain("skipped    1 invalid row:");
  });

  it("documents the columns in --help and rejects an unknown encoding", { timeout: 60_000 }, async () => {
    const help = await ltvloop("import", "orders", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/customer_external_id\s+required/);
    expect(help.stdout).toContain("--format <format>");
    const badEncoding = await ltvloop("import", "customers", join(dir, "missing.csv"), "--encoding", "latin1");
    expect(badEncoding.code).toBe(1);
    expect(badEncoding.stderr).toContain('Unknown encoding "latin1": use utf8, shift_jis (aliases sjis, cp932), utf16le or utf16be.');
  });
});
