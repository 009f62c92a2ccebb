// One measured step of `pnpm bench:seed`, in its own process so its peak RSS is its own:
//   tsx bench/seed-step.ts import-customers|import-orders|copy-customers|copy-orders FILE SCHEMA
// DATABASE_URL names the database; SCHEMA is a migrated schema in it (the import target) or,
// for copy-*, the schema of the bare unindexed table. Prints one JSON line:
// { seconds, rows, peakRssMb }.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { createDb } from "@ltvloop/db/client";
import { importCustomers } from "../src/modules/import/customers-import.service.ts";
import { importOrders } from "../src/modules/import/orders-import.service.ts";
import { requirePostgresUrl } from "./bench-util.ts";

const [step, file, schema] = process.argv.slice(2);
if (!step || !file || !schema) throw new Error("usage: seed-step.ts STEP FILE SCHEMA");
const url = requirePostgresUrl();

/** The unindexed tables a bare COPY loads: the CSV's columns with the types the import stages. */
const BARE_TABLES: Record<string, string> = {
  "copy-customers": `bare_customers (external_id text, name text, email text, prefecture text, gender text, birth_year int,
     acquisition_channel text, acquisition_cost numeric(14, 2), acquired_at timestamptz, email_opt_in boolean,
     line_opt_in boolean, sms_opt_in boolean, dm_opt_in boolean)`,
  "copy-orders": `bare_orders (external_id text, customer_external_id text, ordered_at timestamptz, amount numeric(14, 2),
     currency text, status text, channel text, items int)`,
};

async function bareCopy(definition: string): Promise<{ rows: number; seconds: number }> {
  const name = definition.slice(0, definition.indexOf(" "));
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema as string, timezone: "Asia/Tokyo" } });
  try {
    await sql.unsafe(`drop table if exists ${name}`);
    await sql.unsafe(`create table ${definition}`);
    const start = performance.now();
    const writable = await sql.unsafe(`copy ${name} from stdin with (format csv, header true)`).writable();
    await pipeline(createReadStream(file as string, { highWaterMark: 1 << 20 }), writable);
    const seconds = (performance.now() - start) / 1000;
    const [row] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${name}`);
    await sql.unsafe(`drop table ${name}`);
    return { rows: row?.n ?? 0, seconds };
  } finally {
    await sql.end();
  }
}

async function runImport(kind: "customers" | "orders"): Promise<{ rows: number; seconds: number }> {
  const handle = await createDb({ databaseUrl: url, schemaName: schema, maxConnections: 2 });
  try {
    const options = { handle, source: createReadStream(file as string, { highWaterMark: 1 << 20 }), label: file as string, encoding: "utf8", skipInvalid: false, dryRun: false, actor: { kind: "cli" } } as const;
    const start = performance.now();
    const summary = kind === "customers" ? await importCustomers(options) : await importOrders({ ...options, format: "csv" });
    const seconds = (performance.now() - start) / 1000;
    const counts = summary.customers ?? summary.orders;
    if (!counts || counts.inserted + counts.updated + counts.unchanged !== summary.rowsRead) throw new Error(`import wrote ${JSON.stringify(counts)} of ${summary.rowsRead} rows`);
    return { rows: summary.rowsRead, seconds };
  } finally {
    await handle.close();
  }
}

const definition = BARE_TABLES[step];
const result = definition
  ? await bareCopy(definition)
  : step === "import-customers" || step === "import-orders"
    ? await runImport(step === "import-customers" ? "customers" : "orders")
    : undefined;
if (!result) throw new Error(`unknown step ${step}`);
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
