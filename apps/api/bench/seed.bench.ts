// pnpm bench:seed — seeds N demo customers (default 1,000,000, ~9M orders) into PostgreSQL,
// exports them to CSV, and imports the CSV files into a second database through the
// `ltvloop import` code path. Prints rows/s per step and the peak memory of this process.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:seed [--customers 1000000]
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import postgres from "postgres";
import { silentProgress } from "../src/cli/progress.ts";
import { importCustomers } from "../src/modules/import/customers-import.service.ts";
import { importOrders } from "../src/modules/import/orders-import.service.ts";
import { seedDemoData } from "../src/modules/seed/seed.service.ts";
import { createReadStream } from "node:fs";
import { argValue, freshDatabase, machine, peakRssMb, printTable, requirePostgresUrl, time } from "./bench-util.ts";

const url = requirePostgresUrl();
const customers = argValue("customers", 1_000_000);
process.stdout.write(`bench:seed on ${machine()}, PostgreSQL, ${customers.toLocaleString("en-US")} customers\n\n`);
const rows: Record<string, string | number>[] = [];

const source = await freshDatabase(url, "ltvloop_bench_seed");
const seeded = await time(() =>
  seedDemoData(source.handle, { seed: 42, customers, years: 3, asOf: new Date("2026-01-01T00:00:00+09:00"), progress: silentProgress }),
);
const orders = seeded.result.orders;
rows.push({ step: "seed (generate + write + rollups)", rows: customers + orders, seconds: seeded.seconds.toFixed(1), "rows/s": Math.round((customers + orders) / seeded.seconds), "peak RSS MB": peakRssMb() });

const dir = await mkdtemp(join(tmpdir(), "ltvloop-bench-"));
const customersCsv = join(dir, "customers.csv");
const ordersCsv = join(dir, "orders.csv");
// One client per COPY: a second COPY TO on a client whose first one streamed to the end never
// starts (postgres.js 3.4), so each export opens and closes its own.
const copyTo = async (text: string, file: string) => {
  const sql = postgres(source.url, { max: 1 });
  try {
    await pipeline(await sql.unsafe(text).readable(), createWriteStream(file));
  } finally {
    await sql.end();
  }
};
const exported = await time(async () => {
  await copyTo(
    `copy (select external_id, name, email, attributes->>'prefecture' as prefecture, attributes->>'gender' as gender,
                          attributes->>'birthYear' as birth_year, acquisition_channel, acquisition_cost,
                          to_char(acquired_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI:SS') as acquired_at,
                          email_opt_in::text, line_opt_in::text, sms_opt_in::text, dm_opt_in::text
                     from customers order by id) to stdout with (format csv, header true)`,
    customersCsv,
  );
  await copyTo(
    `copy (select o.external_id, c.external_id as customer_external_id,
                          to_char(o.ordered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as ordered_at,
                          o.amount, o.currency, o.status, o.channel, o.items
                     from orders o join customers c on c.id = o.customer_id order by o.id) to stdout with (format csv, header true)`,
    ordersCsv,
  );
});
const csvMb = ((await stat(customersCsv)).size + (await stat(ordersCsv)).size) / 2 ** 20;
rows.push({ step: `export CSV (${csvMb.toFixed(0)} MB)`, rows: customers + orders, seconds: exported.seconds.toFixed(1), "rows/s": Math.round((customers + orders) / exported.seconds), "peak RSS MB": peakRssMb() });
await source.handle.close();

const target = await freshDatabase(url, "ltvloop_bench_import");
const importedCustomers = await time(() =>
  importCustomers({ handle: target.handle, source: createReadStream(customersCsv), label: customersCsv, encoding: "utf8", skipInvalid: false, dryRun: false, actor: { kind: "cli" } }),
);
rows.push({ step: "import customers CSV", rows: customers, seconds: importedCustomers.seconds.toFixed(1), "rows/s": Math.round(customers / importedCustomers.seconds), "peak RSS MB": peakRssMb() });
const importedOrders = await time(() =>
  importOrders({ handle: target.handle, source: createReadStream(ordersCsv), label: ordersCsv, encoding: "utf8", skipInvalid: false, dryRun: false, actor: { kind: "cli" }, format: "csv" }),
);
rows.push({ step: "import orders CSV (+ rollups)", rows: orders, seconds: importedOrders.seconds.toFixed(1), "rows/s": Math.round(orders / importedOrders.seconds), "peak RSS MB": peakRssMb() });
await target.handle.close();
await rm(dir, { recursive: true, force: true });

printTable(rows);
