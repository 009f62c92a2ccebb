// A 100 MB orders file is streamed, not loaded: the import must find a bad row near the end,
// name its exact line, write nothing, and keep the JS heap bounded while doing so.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../errors.ts";
import { importOrders } from "./orders-import.service.ts";

const CUSTOMERS = 10_000;
const TARGET_BYTES = 100 * 1024 * 1024;

/** Writes orders until the file reaches TARGET_BYTES; the last-but-one row has a negative amount. */
async function writeLargeOrdersFile(path: string): Promise<{ badLine: number; lines: number }> {
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write("external_id,customer_external_id,ordered_at,amount,currency,gross_margin,status,channel,items\n");
  let bytes = 0;
  let row = 0;
  const line = (n: number, amount: string) => {
    const day = String(1 + (n % 28)).padStart(2, "0");
    const month = String(1 + (n % 12)).padStart(2, "0");
    return `ORD-${String(n).padStart(9, "0")},C${1 + (n % CUSTOMERS)},2023-${month}-${day} 12:34:56,${amount},JPY,0.3500,completed,online-store,3\n`;
  };
  while (bytes < TARGET_BYTES) {
    let chunk = "";
    for (let i = 0; i < 1000; i++) chunk += line(++row, `${(row % 50_000) + 100}.50`);
    bytes += chunk.length;
    await write(chunk);
  }
  await write(line(++row, "-1200"));
  await write(line(++row, "980"));
  out.end();
  await once(out, "finish");
  // header is line 1, row n is on line n + 1
  return { badLine: row, lines: row + 1 };
}

describe.each(testDatabaseKinds())("a 100 MB orders file on %s", (kind) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb(kind);
    dir = await mkdtemp(join(tmpdir(), "ltvloop-import-large-"));
    await db.query(`insert into customers (external_id, name) select 'C' || g, 'Customer ' || g from generate_series(1, ${CUSTOMERS}) g`);
  });
  afterAll(async () => {
    await db?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is rejected with the exact line of its bad row, writes nothing, and keeps the heap bounded", { timeout: 600_000 }, async () => {
    const file = join(dir, "orders-100mb.csv");
    const started = Date.now();
    const { badLine, lines } = await writeLargeOrdersFile(file);
    const generatedAt = Date.now();
    expect((await stat(file)).size).toBeGreaterThanOrEqual(TARGET_BYTES);

    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    let rowsSeen = 0;
    const error = await importOrders({
      handle: db,
      source: createReadStream(file, { highWaterMark: 1 << 20 }),
      label: "orders-100mb.csv",
      onProgress: (p) => {
        rowsSeen = p.rowsRead;
        heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const importedAt = Date.now();

    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).problems).toEqual([
      {
        path: `line ${badLine}, column amount`,
        line: badLine,
        column: "amount",
        reason: "NEGATIVE_ORDER_AMOUNT",
        params: { value: "-1200" },
        message: "amount must be 0 or more, got -1200: record a refund as its own order with status refunded, not as a negative amount.",
      },
    ]);
    expect((error as DomainError).message).toContain(`1 problem in ${lines - 1} order rows`);
    expect(rowsSeen).toBeGreaterThan(lines - 1 - 100_000);
    const [written] = await db.query<{ orders: number; rollups: number; audits: number }>(
      `select (select count(*) from orders)::int as orders, (select count(*) from customer_rollups)::int as rollups,
              (select count(*) from audit_log)::int as audits`,
    );
    expect(written).toEqual({ orders: 0, rollups: 0, audits: 0 });
    const growthMb = (heapPeak - heapBefore) / 1024 / 1024;
    expect(growthMb).toBeLessThan(300);
    // Figures for the report, not assertions: timings vary by machine.
    console.info(
      `100 MB import: ${lines - 1} rows, generated in ${((generatedAt - started) / 1000).toFixed(1)}s, ` +
        `rejected in ${((importedAt - generatedAt) / 1000).toFixed(1)}s, heap growth ${growthMb.toFixed(0)} MB (${kind})`,
    );
  });
});
