// Where the time of an import goes, statement by statement (the bench:seed figures say how
// long; this says where): imports DIR/customers.csv into a fresh schema `prof_import` of the
// DATABASE_URL database, then DIR/orders.csv (--twice: a second time, the re-import; the schema
// is dropped at the end), printing each statement that took more than 5 ms. --explain first runs
// every query under EXPLAIN (ANALYZE, BUFFERS) to a savepoint and prints the plan (the import
// then takes twice as long). BULK_MIN=N sets the smallest load written in bulk mode (both imports); FAST_LANE=0 sends every
// line through the record path (no plain-line lanes).
//   DATABASE_URL=postgres://… node --import tsx bench/import-trace.ts DIR [--explain] [--twice]
// Make the files with `bench:seed --csv-dir DIR`.
import { createReadStream } from "node:fs";
import { importCustomers } from "../src/modules/import/customers-import.service.ts";
import { importOrders } from "../src/modules/import/orders-import.service.ts";
import type { ImportSummary } from "../src/modules/import/import.types.ts";
import type { DbHandle, Query } from "@ltvloop/db/client";
import { freshSchema, requirePostgresUrl } from "./bench-util.ts";

const url = requirePostgresUrl();
const dir = process.argv[2];
if (!dir || dir.startsWith("--")) throw new Error("usage: import-trace.ts DIR [--explain] [--twice] (DIR holds customers.csv and orders.csv)");
const explain = process.argv.includes("--explain");
const twice = process.argv.includes("--twice");
const handle = await freshSchema(url, "prof_import", 2);
const base = { handle, encoding: "utf8", skipInvalid: false, dryRun: false, actor: { kind: "cli" }, fastLane: process.env.FAST_LANE !== "0" } as const;

const log: { ms: number; text: string }[] = [];
const traced: Pick<DbHandle, "transaction"> = {
  transaction: (work) =>
    handle.transaction(async (tx) => {
      const query: Query = async (text, params) => {
        const t = text.trim();
        if (explain && /^(select|with|insert|update|delete|create temp table .* as)/is.test(t) && !/set_config/.test(t)) {
          await tx.query("savepoint trace");
          const plan = await tx.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${t}`, params);
          await tx.query("rollback to savepoint trace");
          process.stdout.write(`\n=== ${t.replace(/\s+/g, " ").slice(0, 200)}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}\n`);
        }
        const start = performance.now();
        const rows = await tx.query(text, params);
        log.push({ ms: performance.now() - start, text: t.replace(/\s+/g, " ").slice(0, 110) });
        return rows as never;
      };
      const copyIn: typeof tx.copyIn = async (table, columns) => {
        const start = performance.now();
        const w = await tx.copyIn(table, columns);
        return { ...w, end: async () => { await w.end(); log.push({ ms: performance.now() - start, text: `COPY ${table} (open to end)` }); } };
      };
      return work({ ...tx, query, copyIn });
    }),
};
/** Runs one import through the traced handle and prints its time and its statements over 5 ms. */
async function trace(name: string, work: () => Promise<ImportSummary>, counts: (summary: ImportSummary) => unknown) {
  log.length = 0;
  const start = performance.now();
  const summary = await work();
  const total = performance.now() - start;
  process.stdout.write(`\n--- ${name}: ${summary.rowsRead} rows in ${(total / 1000).toFixed(2)} s (${Math.round(summary.rowsRead / (total / 1000))} rows/s) ${JSON.stringify(counts(summary))}\n`);
  for (const l of log) if (l.ms > 5) process.stdout.write(`${l.ms.toFixed(0).padStart(6)} ms  ${l.text}\n`);
  process.stdout.write(`${log.reduce((s, l) => s + l.ms, 0).toFixed(0).padStart(6)} ms  (sum of statements)\n`);
}
const bulkMin = process.env.BULK_MIN ? { bulkMinRows: Number(process.env.BULK_MIN) } : {};
await trace(
  "customers",
  () => importCustomers({ ...base, ...bulkMin, handle: traced, source: createReadStream(`${dir}/customers.csv`, { highWaterMark: 1 << 20 }), label: "customers.csv" }),
  (summary) => summary.customers,
);
for (let i = 0; i < (twice ? 2 : 1); i++) {
  await trace(
    `orders, run ${i + 1}`,
    () => importOrders({ ...base, ...bulkMin, handle: traced, source: createReadStream(`${dir}/orders.csv`, { highWaterMark: 1 << 20 }), label: "orders.csv", format: "csv" }),
    (summary) => summary.orders,
  );
}
await handle.query('drop schema "prof_import" cascade');
await handle.close();
