// One measured step of `pnpm bench:seed`, in its own process so its peak RSS is its own:
//   tsx bench/seed-step.ts import-customers|import-orders|copy-customers|copy-orders|floor-orders-{unkeyed,keyed,rollups} FILE SCHEMA
// DATABASE_URL names the database; SCHEMA is a migrated schema in it (the import target) or,
// for copy-*, the schema of the bare unindexed table. floor-orders is bare SQL storing the
// orders where the product keeps them (see storedCopy), in SCHEMA once its customers are
// imported. Prints one JSON line: { seconds, rows, peakRssMb }.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { deferIndexesAndKeys } from "@ltvloop/db/bulk";
import { createDb, type Query } from "@ltvloop/db/client";
import { importCustomers } from "../src/modules/import/customers-import.service.ts";
import { importOrders } from "../src/modules/import/orders-import.service.ts";
import { refreshRollups } from "../src/modules/orders/rollups.service.ts";
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

/** The order columns of the bench's export, with the customer's id where the file has its external id. */
const STORED_ORDER_COLUMNS = "external_id, customer_id, ordered_at, amount, currency, status, channel, items";

/**
 * The floor under any import: the same orders COPYed straight into the product's `orders` table
 * (customer ids looked up beforehand, untimed), with nothing else — no reading or checking in
 * JavaScript. `keyed`: its keys and indexes dropped first and rebuilt after (the fastest way to
 * have them, what the import's bulk mode does); `unkeyed`: written with none at all (the cost of
 * its columns, defaults and checks alone); `rollups`: keyed, then the rollups every order write
 * keeps in its transaction (one statement, rollups.service.ts, as in the import's bulk mode).
 * Rolled back afterwards, so the round's import finds the table as it was.
 */
async function storedCopy(mode: "unkeyed" | "keyed" | "rollups"): Promise<{ rows: number; seconds: number }> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { search_path: schema as string, timezone: "Asia/Tokyo" } });
  const dir = await mkdtemp(join(tmpdir(), "ltvloop-floor-"));
  try {
    const ids = new Map((await sql.unsafe<{ external_id: string; id: string }[]>("select external_id, id::text from customers")).map((r) => [r.external_id, r.id]));
    if (ids.size === 0) throw new Error(`floor-orders needs the customers imported into ${schema} first`);
    // The export writes plain fields (no quotes, no commas inside): the second one is the customer.
    const resolved = join(dir, "orders-with-ids.csv");
    const out = createWriteStream(resolved);
    let rows = -1;
    for await (const line of createInterface({ input: createReadStream(file as string), crlfDelay: Infinity })) {
      const first = line.indexOf(",");
      const second = line.indexOf(",", first + 1);
      const customer = rows < 0 ? "customer_id" : ids.get(line.slice(first + 1, second));
      if (customer === undefined) throw new Error(`floor-orders: no customer for line ${rows + 2}`);
      if (!out.write(`${line.slice(0, first + 1)}${customer}${line.slice(second)}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      rows++;
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    let seconds = 0;
    await sql
      .begin(async (tx) => {
        await tx.unsafe("truncate customer_day_activity, customer_rollups, orders");
        const query: Query = async <T,>(text: string, params: readonly unknown[] = []) => (await tx.unsafe(text, params as never[])) as unknown as T[];
        const restore = await deferIndexesAndKeys(query, "orders", { dropUnique: true });
        await tx.unsafe("checkpoint");
        const start = performance.now();
        const writable = await tx.unsafe(`copy orders (${STORED_ORDER_COLUMNS}) from stdin with (format csv, header true)`).writable();
        await pipeline(createReadStream(resolved, { highWaterMark: 1 << 20 }), writable);
        if (mode !== "unkeyed") await restore();
        if (mode === "rollups") {
          const [settings] = await query<{ time_zone: string }>("select time_zone from settings where id = 1");
          await refreshRollups(query, settings?.time_zone ?? "Asia/Tokyo", undefined, { bulk: true });
        }
        seconds = (performance.now() - start) / 1000;
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return { rows, seconds };
  } finally {
    await sql.end();
    await rm(dir, { recursive: true, force: true });
  }
}
class RolledBack extends Error {}

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
    : step === "floor-orders-unkeyed" || step === "floor-orders-keyed" || step === "floor-orders-rollups"
      ? await storedCopy(step.slice("floor-orders-".length) as "unkeyed" | "keyed" | "rollups")
      : undefined;
if (!result) throw new Error(`unknown step ${step}`);
process.stdout.write(`${JSON.stringify({ ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
