// pnpm bench:seed — seeds N demo customers (default 1,000,000, ~9M orders) into PostgreSQL,
// exports them to CSV, then imports the CSV files through the `ltvloop import` code path and,
// interleaved with the imports, loads the same files with a bare `COPY … FROM STDIN (format
// csv)` into an unindexed table: the speed of the database itself, and — the floor under any
// import — COPY of the same orders straight into the product's orders table, with its keys
// rebuilt after and with none. Prints rows/s of each, the ratios to the bare COPY, the peak RSS
// of each step (each runs in its own process) and the 1-minute load average around it; the
// machine may be shared, so read the ratios.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench pnpm bench:seed [--customers 100000]
//     [--rounds 3] [--csv-dir DIR]
// Everything lives in schemas of the DATABASE_URL database: bench_seed_source (the seeded
// data), bench_seed_import (each round's import target, recreated) and bench_seed_copy (the
// bare tables). --csv-dir keeps the exported files there and reuses them when they exist
// (skipping the seed and export).
import { execFile } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import postgres from "postgres";
import { createDb } from "@ltvloop/db/client";
import { silentProgress } from "../src/cli/progress.ts";
import { seedDemoData } from "../src/modules/seed/seed.service.ts";
import { argValue, freshSchema, loadAverage, machine, peakRssMb, printTable, requirePostgresUrl, time } from "./bench-util.ts";

const url = requirePostgresUrl();
const customers = argValue("customers", 1_000_000);
const rounds = argValue("rounds", 3);
const dirIndex = process.argv.indexOf("--csv-dir");
const keptDir = dirIndex >= 0 ? process.argv[dirIndex + 1] : undefined;
const SOURCE = "bench_seed_source";
const TARGET = "bench_seed_import";
const COPY = "bench_seed_copy";

process.stdout.write(`bench:seed on ${machine()}, PostgreSQL, load average ${loadAverage()}\n\n`);
const dir = keptDir ?? (await mkdtemp(join(tmpdir(), "ltvloop-bench-")));
await mkdir(dir, { recursive: true });
const customersCsv = join(dir, "customers.csv");
const ordersCsv = join(dir, "orders.csv");
const setup: Record<string, string | number>[] = [];

if (keptDir && existsSync(customersCsv) && existsSync(ordersCsv)) {
  process.stdout.write(`Reusing ${customersCsv} and ${ordersCsv} (no seed, no export)\n\n`);
} else {
  const source = await freshSchema(url, SOURCE);
  const seeded = await time(() =>
    seedDemoData(source, { seed: 42, customers, years: 3, asOf: new Date("2026-01-01T00:00:00+09:00"), progress: silentProgress }),
  );
  const seededRows = customers + seeded.result.orders;
  setup.push({ step: "seed (generate + write + rollups)", rows: seededRows, seconds: seeded.seconds.toFixed(1), "rows/s": Math.round(seededRows / seeded.seconds), "peak RSS MB": peakRssMb(), load: loadAverage() });
  await source.close();
  // One client per COPY: a second COPY TO on a client whose first one streamed to the end never
  // starts (postgres.js 3.4), so each export opens and closes its own.
  const copyTo = async (text: string, file: string) => {
    const sql = postgres(url, { max: 1, connection: { search_path: SOURCE } });
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
  setup.push({ step: `export CSV (${csvMb.toFixed(0)} MB)`, rows: seededRows, seconds: exported.seconds.toFixed(1), "rows/s": Math.round(seededRows / exported.seconds), "peak RSS MB": peakRssMb(), load: loadAverage() });
  const admin = await createDb({ databaseUrl: url, maxConnections: 1 });
  await admin.query(`drop schema if exists ${SOURCE} cascade`);
  await admin.close();
}
if (setup.length > 0) {
  printTable(setup);
  process.stdout.write("\n");
}

interface StepResult {
  rows: number;
  seconds: number;
  peakRssMb: number;
}
const run = promisify(execFile);
const stepScript = fileURLToPath(new URL("./seed-step.ts", import.meta.url));
/** Runs one step in a fresh process (tsx), timed inside it; returns its figures and the load around it. */
async function step(name: string, file: string, schema: string): Promise<StepResult & { load: string }> {
  const before = loadAverage();
  const { stdout } = await run(process.execPath, ["--import", "tsx", stepScript, name, file, schema], { maxBuffer: 1 << 20 });
  const line = stdout.trim().split("\n").pop() ?? "";
  return { ...(JSON.parse(line) as StepResult), load: `${before}–${loadAverage()}` };
}

const admin = await createDb({ databaseUrl: url, maxConnections: 1 });
await admin.query(`create schema if not exists ${COPY}`);
await admin.close();
const results: Record<string, string | number>[] = [];
const ratios: Record<"customers" | "orders" | "unkeyed" | "keyed" | "rollups" | "importVsFloor", number[]> = { customers: [], orders: [], unkeyed: [], keyed: [], rollups: [], importVsFloor: [] };
// Orders also get the floor under any import (seed-step.ts storedCopy): the same rows COPYed
// straight into the product's orders table with no keys, with its keys rebuilt after, and that
// plus the rollups the import keeps in its transaction.
const STEPS = { customers: ["copy", "import"], orders: ["copy", "import", "unkeyed", "keyed", "rollups"] } as const;
const LABELS: Record<string, string> = {
  copy: "bare COPY",
  import: "import",
  unkeyed: "floor: COPY into orders, no keys",
  keyed: "floor: COPY into orders, keys rebuilt",
  rollups: "floor: keys rebuilt + rollups",
};
for (let round = 1; round <= rounds; round++) {
  // A fresh, empty product schema per round; the steps' order rotates from round to round.
  await (await freshSchema(url, TARGET, 1)).close();
  for (const kind of ["customers", "orders"] as const) {
    const file = kind === "customers" ? customersCsv : ordersCsv;
    const steps: readonly string[] = STEPS[kind];
    const order = steps.map((_, i) => steps[(i + round - 1) % steps.length] as string);
    const measured: Record<string, StepResult & { load: string }> = {};
    for (const which of order) {
      const name = which === "copy" || which === "import" ? `${which}-${kind}` : `floor-orders-${which}`;
      measured[which] = await step(name, file, which === "copy" ? COPY : TARGET);
    }
    const rate = (which: string) => (measured[which] as StepResult).rows / (measured[which] as StepResult).seconds;
    const bare = rate("copy");
    ratios[kind].push(rate("import") / bare);
    if (kind === "orders") {
      for (const floor of ["unkeyed", "keyed", "rollups"] as const) ratios[floor].push(rate(floor) / bare);
      ratios.importVsFloor.push(rate("import") / rate("rollups"));
    }
    for (const which of steps) {
      const r = measured[which] as StepResult & { load: string };
      results.push({ round, step: which === "copy" || which === "import" ? `${LABELS[which]} ${kind}` : LABELS[which] as string, rows: r.rows, seconds: r.seconds.toFixed(2), "rows/s": Math.round(r.rows / r.seconds), "÷ bare COPY": which === "copy" ? "" : `${(rate(which) / bare).toFixed(2)}×`, "peak RSS MB": r.peakRssMb, load: r.load });
    }
  }
}
printTable(results);
const span = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}× (median ${[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(2)}×)`;
process.stdout.write(`\nimport / bare COPY over ${rounds} interleaved rounds: orders ${span(ratios.orders)}, customers ${span(ratios.customers)}; target ≥ 0.5× for orders\n`);
process.stdout.write(
  `bare SQL storing the same orders where the product keeps them / bare COPY: orders with no keys ${span(ratios.unkeyed)}, ` +
    `with keys rebuilt ${span(ratios.keyed)}, and the rollups ${span(ratios.rollups)}\n` +
    `import (reading and checks in JavaScript, staging, upsert) / that last floor: ${span(ratios.importVsFloor)}\n`,
);

const cleanup = await createDb({ databaseUrl: url, maxConnections: 1 });
await cleanup.query(`drop schema if exists ${TARGET} cascade`);
await cleanup.query(`drop schema if exists ${COPY} cascade`);
await cleanup.close();
if (!keptDir) await rm(dir, { recursive: true, force: true });
