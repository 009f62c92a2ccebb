// pnpm bench:api — the product against PostGraphile v4 serving the same PostgreSQL tables, side
// by side and interleaved (each measurement runs both servers back to back, alternating which
// goes first), with autocannon on loopback. Three queries:
//   list     50 customers of 3 RFM segments by predicted CLV, with scores
//   detail   one customer with its last 10 orders (and its score)
//   typename `{ __typename }`, the framework floor (the product with an API key)
// at 1, 4 and 20 connections: req/s, p50/p95/p99 and the product/PostGraphile ratios, and each
// server's CPU time per request (from /proc; "CPU ratio" = PostGraphile's / the product's, so
// above 1 the product spends less), which other work on a shared machine moves far less than
// req/s, and the CPU time per request of the PostgreSQL backends serving each server (the
// sessions are told apart by application name; PostgreSQL must run on this machine); then
// p50/p95/p99 at a fixed, evenly paced 200 req/s on the list query (open loop: latency from
// each request's due time; see paced-load.ts). Both servers run in their own processes with
// 10 database connections each (the product as `ltvloop serve` from its production bundle); the machine load (os.loadavg) is printed with the figures.
//   DATABASE_URL=postgres://…/db pnpm bench:api [--seconds 5] [--rounds 2] [--rate 200] [--port N]
// (--port: the product listens on N and PostGraphile on N+1; default: free ports.)
// The database is migrated and, when empty, seeded with the 20,000-customer demo. PostGraphile
// lives in bench/postgraphile with its own node_modules (graphql 15), installed with npm on
// first use (or: cd apps/api/bench/postgraphile && npm ci).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { createDb } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { silentProgress } from "../src/cli/progress.ts";
import { createApiKey } from "../src/modules/auth/auth.service.ts";
import { countCustomers, seedDemoData, seedDemoUsers } from "../src/modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot, latestSnapshot } from "../src/modules/snapshots/snapshot.service.ts";
import { argValue, machine, printTable, requirePostgresUrl } from "./bench-util.ts";
import { pacedLoadInChild, type PacedRun } from "./paced-load.ts";

const here = dirname(fileURLToPath(import.meta.url));
const seconds = argValue("seconds", 5);
const rounds = argValue("rounds", 2);
const rate = argValue("rate", 200);
const url = requirePostgresUrl();

// --- the database --------------------------------------------------------------------------
const handle = await createDb({ databaseUrl: url, maxConnections: 2 });
await migrate(handle);
if ((await countCustomers(handle.query)) === 0) {
  process.stdout.write("Seeding the 20,000-customer demo…\n");
  await seedDemoData(handle, { seed: 42, customers: 20_000, years: 3, asOf: new Date(), progress: silentProgress });
}
if (!(await latestSnapshot(handle.query))) await executeSnapshot(handle, (await createSnapshot(handle, null, {})).id);
await seedDemoUsers(handle.query, "bench-password-123");
const [analyst] = await handle.query<{ id: number; email: string }>("select id, email from users where role = 'analyst' limit 1");
const { key } = await createApiKey(handle, { userId: analyst?.id as number, email: analyst?.email as string, role: "analyst", via: "session" }, "bench");
const snapshotId = (await latestSnapshot(handle.query))?.id as number;
const [busiest] = await handle.query<{ id: number }>("select customer_id as id from orders group by customer_id order by count(*) desc, customer_id limit 1");
const customerId = busiest?.id as number;
const [{ n: customerCount } = { n: 0 }] = await handle.query<{ n: number }>("select count(*)::int as n from customers");
await handle.close();

// --- the two servers -----------------------------------------------------------------------
const postgraphileDir = join(here, "postgraphile");
if (!existsSync(join(postgraphileDir, "node_modules", "postgraphile"))) {
  process.stdout.write("Installing PostGraphile v4 into bench/postgraphile (npm ci)…\n");
  const installed = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: postgraphileDir, stdio: "inherit" });
  if (installed.status !== 0) throw new Error("npm ci in apps/api/bench/postgraphile failed; run it by hand to see why.");
}

/** A free TCP port on loopback, as the OS hands one out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function start(name: string, command: string, args: string[], cwd: string, port: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...extraEnv };
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (/listening \d+|is running on http/.test(out)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with code ${code} before listening:\n${out}`)));
  });
  return child;
}

// The product as it is deployed: `ltvloop serve` from the built bundle (bin/ltvloop.js rebuilds
// it when a source changed), production mode, statement timeouts on, the scheduler off.
const ports = process.argv.includes("--port") ? [argValue("port", 4000), argValue("port", 4000) + 1] : [await freePort(), await freePort()];
// Each server's database sessions carry its name (both drivers read PGAPPNAME), so the CPU time
// of the PostgreSQL backends serving it can be told apart (backendCpuMs).
const product = { port: ports[0] as number, app: "bench-ltvloop", child: await start("LTV Loop", process.execPath, [join(here, "..", "bin", "ltvloop.js"), "serve"], join(here, ".."), ports[0] as number, { LTVLOOP_SCHEDULER: "0", PGAPPNAME: "bench-ltvloop" }) };
const anchor = { port: ports[1] as number, app: "bench-postgraphile", child: await start("PostGraphile", process.execPath, [join(postgraphileDir, "server.cjs")], postgraphileDir, ports[1] as number, { PGAPPNAME: "bench-postgraphile" }) };
const stats = await createDb({ databaseUrl: url, maxConnections: 1 });

// --- the queries, written for each server --------------------------------------------------
const SEGMENTS = '["at_risk", "loyal", "champions"]';
const partition = `CustomerScores${snapshotId}S`;
interface Target {
  /** The answer every request must get (checked by autocannon: a differing body is a failure). */
  expect?: string;
  port: number;
  /** The server's process (its CPU time is read from /proc on Linux). */
  pid: number | undefined;
  /** The application name of its database sessions. */
  app: string;
  headers: Record<string, string>;
  body: string;
}
const serverOn = (port: number) => (port === product.port ? product : anchor);
const gql = (port: number, query: string, headers: Record<string, string> = {}): Target => ({
  port,
  pid: serverOn(port).child.pid,
  app: serverOn(port).app,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify({ query }),
});
const auth = { authorization: `Bearer ${key}` };
const QUERIES: Record<string, { product: Target; postgraphile: Target }> = {
  list: {
    product: gql(
      product.port,
      `{ customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }, filter: { rfmSegments: ${SEGMENTS} }) {
        totalCount nodes { id externalId name score { rfmSegment rScore fScore mScore pAlive predictedClv expectedPurchases } } } }`,
      auth,
    ),
    postgraphile: gql(
      anchor.port,
      `{ all${partition}(first: 50, orderBy: [PREDICTED_CLV_DESC, CUSTOMER_ID_DESC], filter: { rfmSegment: { in: ${SEGMENTS} } }) {
        totalCount nodes { rfmSegment rScore fScore mScore pAlive predictedClv expectedPurchases customerByCustomerId { id externalId name } } } }`,
    ),
  },
  detail: {
    product: gql(
      product.port,
      `{ customer(id: "${customerId}") { id externalId name score { predictedClv pAlive } orders(first: 10) { nodes { id orderedAt amount status } } } }`,
      auth,
    ),
    postgraphile: gql(
      anchor.port,
      `{ customerById(id: "${customerId}") { id externalId name ${partition.charAt(0).toLowerCase()}${partition.slice(1)}ByCustomerId { nodes { predictedClv pAlive } }
        ordersByCustomerId(first: 10, orderBy: [ORDERED_AT_DESC, ID_DESC]) { nodes { id orderedAt amount status } } } }`,
    ),
  },
  typename: { product: gql(product.port, "{ __typename }", auth), postgraphile: gql(anchor.port, "{ __typename }") },
};

async function post(target: Target): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${target.port}/graphql`, { method: "POST", headers: target.headers, body: target.body });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors || !response.ok) throw new Error(`query failed on port ${target.port}: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
}

// Same results: the same customers in the same order, the same orders.
{
  const a = (await post(QUERIES.list!.product)) as { customers: { totalCount: number; nodes: { id: string }[] } };
  const b = Object.values(await post(QUERIES.list!.postgraphile))[0] as { totalCount: number; nodes: { customerByCustomerId: { id: string } }[] };
  const sameList = a.customers.totalCount === b.totalCount && a.customers.nodes.map((n) => n.id).join() === b.nodes.map((n) => n.customerByCustomerId.id).join();
  const c = (await post(QUERIES.detail!.product)) as { customer: { orders: { nodes: { id: string }[] } } };
  const d = (await post(QUERIES.detail!.postgraphile)) as { customerById: { ordersByCustomerId: { nodes: { id: string }[] } } };
  const sameDetail = c.customer.orders.nodes.map((n) => n.id).join() === d.customerById.ordersByCustomerId.nodes.map((n) => n.id).join();
  process.stdout.write(`Same results: list ${sameList ? "yes" : "NO"} (${a.customers.totalCount} matches), detail ${sameDetail ? "yes" : "NO"}\n`);
}

// Every measured answer must be the one just checked: an error inside a 200 response counts as a failure.
for (const targets of Object.values(QUERIES)) {
  for (const target of [targets.product, targets.postgraphile]) {
    await post(target);
    const response = await fetch(`http://127.0.0.1:${target.port}/graphql`, { method: "POST", headers: target.headers, body: target.body });
    target.expect = await response.text();
  }
}

// --- measuring -----------------------------------------------------------------------------
interface Run {
  requests: number;
  seconds: number;
  latencies: number[];
  failures: number;
  /** CPU time the server process used during the run (ms), when /proc tells. */
  cpuMs: number;
  /** CPU time of the PostgreSQL backends serving it during the run (ms). */
  dbCpuMs: number;
  /** What the first failure was (a status, an error, the start of a different answer). */
  firstFailure?: string | undefined;
}

/** User + system CPU time of a process so far (ms; Linux's /proc, 100 ticks a second), or NaN. */
function cpuTimeMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time so far of each PostgreSQL backend whose session has this application name (ms, by pid). */
async function backendCpu(app: string): Promise<Map<number, number>> {
  const backends = await stats.query<{ pid: number }>("select pid from pg_stat_activity where application_name = $1", [app]);
  return new Map(backends.map(({ pid }) => [pid, cpuTimeMs(pid)]));
}

/** CPU the backends used between two readings (a backend that started in between counts from zero). */
function backendCpuMs(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) if (!Number.isNaN(ms)) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** Runs `load` against the target and adds the CPU its server process and database backends used meanwhile. */
async function withCpu<T>(target: Target, load: () => Promise<T>): Promise<T & { cpuMs: number; dbCpuMs: number }> {
  const dbBefore = await backendCpu(target.app);
  const cpuBefore = cpuTimeMs(target.pid);
  const result = await load();
  const cpuMs = cpuTimeMs(target.pid) - cpuBefore;
  return { ...result, cpuMs, dbCpuMs: backendCpuMs(dbBefore, await backendCpu(target.app)) };
}

function autocannonRun(target: Target, connections: number, duration: number): Promise<Omit<Run, "cpuMs" | "dbCpuMs">> {
  return new Promise((resolve) => {
    const latencies: number[] = [];
    let failures = 0;
    let firstFailure: string | undefined;
    const started = performance.now();
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${target.port}/graphql`,
        method: "POST",
        connections,
        duration,
        headers: target.headers,
        body: target.body,
        ...(target.expect ? { expectBody: target.expect } : {}),
      },
      () => {},
    );
    instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode === 200) latencies.push(responseTime);
      else {
        failures += 1;
        firstFailure ??= `status ${statusCode}`;
      }
    });
    instance.on("reqError", (error: Error) => void (firstFailure ??= `error: ${error.message}`));
    // autocannon emits it (with the body) but its types do not list it.
    (instance as unknown as NodeJS.EventEmitter).on("reqMismatch", (body: string) => void (firstFailure ??= `different answer: ${String(body).slice(0, 200)}`));
    instance.on("done", (result: autocannon.Result) => {
      resolve({
        requests: latencies.length,
        seconds: (performance.now() - started) / 1000,
        latencies,
        failures: failures + result.errors + result.mismatches,
        firstFailure,
      });
    });
  });
}

const run = (target: Target, connections: number, duration: number): Promise<Run> => withCpu(target, () => autocannonRun(target, connections, duration));

const merge = (runs: Run[]): Run => ({
  requests: runs.reduce((s, r) => s + r.requests, 0),
  seconds: runs.reduce((s, r) => s + r.seconds, 0),
  latencies: runs.flatMap((r) => r.latencies).sort((x, y) => x - y),
  failures: runs.reduce((s, r) => s + r.failures, 0),
  cpuMs: runs.reduce((s, r) => s + r.cpuMs, 0),
  dbCpuMs: runs.reduce((s, r) => s + r.dbCpuMs, 0),
});
/** Server CPU per answered request (µs): unlike req/s, barely moved by other work on the machine. */
const cpuPerRequest = (run: Run) => (run.cpuMs * 1000) / Math.max(1, run.requests);
/** PostgreSQL's CPU per answered request (µs), in the backends serving that server. */
const dbCpuPerRequest = (run: Run) => (run.dbCpuMs * 1000) / Math.max(1, run.requests);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const ms = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(1));
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

process.stdout.write(
  `\nbench:api on ${machine()}; PostgreSQL with ${customerCount.toLocaleString("en")} customers, snapshot ${snapshotId}; ` +
    `${rounds} interleaved rounds of ${seconds} s per server and setting; load at start ${load()}\n`,
);
for (const target of Object.values(QUERIES)) {
  await run(target.product, 4, 2);
  await run(target.postgraphile, 4, 2);
}

const rows: Record<string, string | number>[] = [];
const failureNotes: string[] = [];
for (const [name, targets] of Object.entries(QUERIES)) {
  for (const connections of [1, 4, 20]) {
    const ours: Run[] = [];
    const theirs: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        ours.push(await run(targets.product, connections, seconds));
        theirs.push(await run(targets.postgraphile, connections, seconds));
      } else {
        theirs.push(await run(targets.postgraphile, connections, seconds));
        ours.push(await run(targets.product, connections, seconds));
      }
    }
    const a = merge(ours);
    const b = merge(theirs);
    for (const [server, runs] of [["LTV Loop", ours], ["PostGraphile", theirs]] as const) {
      for (const r of runs) if (r.firstFailure) failureNotes.push(`${name} at ${connections} connection(s), ${server}: ${r.firstFailure}`);
    }
    const rpsA = a.requests / a.seconds;
    const rpsB = b.requests / b.seconds;
    rows.push({
      query: name,
      conn: connections,
      "LTV req/s": rpsA.toFixed(0),
      "PG req/s": rpsB.toFixed(0),
      "ratio": `${(rpsA / rpsB).toFixed(2)}×`,
      "LTV p50/p95/p99 ms": `${ms(pct(a.latencies, 50))} / ${ms(pct(a.latencies, 95))} / ${ms(pct(a.latencies, 99))}`,
      "PG p50/p95/p99 ms": `${ms(pct(b.latencies, 50))} / ${ms(pct(b.latencies, 95))} / ${ms(pct(b.latencies, 99))}`,
      "p95 ratio": `${(pct(a.latencies, 95) / pct(b.latencies, 95)).toFixed(2)}×`,
      "CPU µs/req LTV/PG": `${cpuPerRequest(a).toFixed(0)} / ${cpuPerRequest(b).toFixed(0)}`,
      "CPU ratio": `${(cpuPerRequest(b) / cpuPerRequest(a)).toFixed(2)}×`,
      "DB CPU µs/req LTV/PG": `${dbCpuPerRequest(a).toFixed(0)} / ${dbCpuPerRequest(b).toFixed(0)}`,
      "failures LTV/PG": `${a.failures} / ${b.failures}`,
      load: load(),
    });
    process.stdout.write(`  ${name} at ${connections} connection(s): ${rpsA.toFixed(0)} vs ${rpsB.toFixed(0)} req/s\n`);
  }
}
printTable(rows);
if (failureNotes.length > 0) process.stdout.write(`Failures (the first of each run):\n${failureNotes.map((n) => `  ${n}`).join("\n")}\n`);

// A fixed rate, evenly paced and open-loop, from a fresh process (see paced-load.ts: autocannon's
// overallRate sends in bursts), each server in turn and then again in the other order.
const fixed: Record<"product" | "postgraphile", { run: PacedRun; cpuMs: number; dbCpuMs: number }[]> = { product: [], postgraphile: [] };
for (const side of ["product", "postgraphile", "postgraphile", "product"] as const) {
  const target = QUERIES.list![side];
  fixed[side].push(await withCpu(target, async () => ({ run: await pacedLoadInChild(target, rate, seconds * 2) })));
}
process.stdout.write(`\nList query at a fixed ${rate} req/s, evenly paced, latency from each request's due time (2 × ${seconds * 2} s per server):\n`);
printTable(
  (["product", "postgraphile"] as const).map((side) => {
    const runs = fixed[side];
    const latencies = runs.flatMap((r) => r.run.latencies).sort((x, y) => x - y);
    const secondsRun = runs.reduce((s, r) => s + r.run.seconds, 0);
    const cpuMs = runs.reduce((s, r) => s + r.cpuMs, 0);
    const dbCpuMs = runs.reduce((s, r) => s + r.dbCpuMs, 0);
    return {
      server: side === "product" ? "LTV Loop" : "PostGraphile v4",
      "req/s": (latencies.length / secondsRun).toFixed(0),
      "p50 ms": ms(pct(latencies, 50)),
      "p95 ms": ms(pct(latencies, 95)),
      "p99 ms": ms(pct(latencies, 99)),
      "max conn": Math.max(...runs.map((r) => r.run.connections)),
      "CPU µs/req": ((cpuMs * 1000) / Math.max(1, latencies.length)).toFixed(0),
      "DB CPU µs/req": ((dbCpuMs * 1000) / Math.max(1, latencies.length)).toFixed(0),
      failures: runs.reduce((s, r) => s + r.run.failures, 0),
    };
  }),
);
process.stdout.write(`Load at the end: ${load()} (1, 5, 15 min)\n`);

await stats.close();
product.child.kill("SIGTERM");
anchor.child.kill("SIGTERM");
