// pnpm bench:api — requests/s and p50/p95 latency of the customer list query (50 customers
// with scores) under concurrent load on loopback, with autocannon. Runs the real server on the
// embedded database with the 20k-customer demo (or on DATABASE_URL when set and seeded).
//   pnpm bench:api [--connections 20] [--seconds 15]
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createDb } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { silentProgress } from "../src/cli/progress.ts";
import { readEnv } from "../src/env.ts";
import { createApiKey } from "../src/modules/auth/auth.service.ts";
import { countCustomers, seedDemoData, seedDemoUsers } from "../src/modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot, latestSnapshot } from "../src/modules/snapshots/snapshot.service.ts";
import { createApp } from "../src/server.ts";
import { argValue, machine, printTable } from "./bench-util.ts";

const connections = argValue("connections", 20);
const seconds = argValue("seconds", 15);
const env = readEnv();
const dir = env.databaseUrl ? null : await mkdtemp(join(tmpdir(), "ltvloop-bench-api-"));
const handle = await createDb({ databaseUrl: env.databaseUrl, dataDir: dir ?? undefined, maxConnections: 10 });
await migrate(handle);
if ((await countCustomers(handle.query)) === 0) {
  process.stdout.write("Seeding the 20,000-customer demo…\n");
  await seedDemoData(handle, { seed: 42, customers: 20_000, years: 3, asOf: new Date(), progress: silentProgress });
}
if (!(await latestSnapshot(handle.query))) await executeSnapshot(handle, (await createSnapshot(handle, null, {})).id);
await seedDemoUsers(handle.query, "bench-password-123");
const [analyst] = await handle.query<{ id: number; email: string }>("select id, email from users where role = 'analyst' limit 1");
const { key } = await createApiKey(handle.query, { userId: analyst?.id as number, email: analyst?.email as string, role: "analyst", via: "session" }, "bench");

const { app, stop } = await createApp({ handle, env: { ...env, isProduction: true } });
const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const port = (server.address() as AddressInfo).port;
const body = JSON.stringify({
  query: `query List { customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }, filter: { rfmSegments: ["at_risk", "loyal", "champions"] }) {
    totalCount nodes { id externalId name score { rfmSegment rScore fScore mScore pAlive predictedClv expectedPurchases } } } }`,
});

const latencies: number[] = [];
const instance = autocannon(
  {
  url: `http://127.0.0.1:${port}/graphql`,
  method: "POST",
  connections,
  duration: seconds,
  headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
  body,
  },
  () => {},
);
instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
  if (statusCode === 200) latencies.push(responseTime);
});
const result = await new Promise<autocannon.Result>((resolve) => instance.on("done", resolve));
latencies.sort((a, b) => a - b);
const pct = (p: number) => (latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0).toFixed(1);

process.stdout.write(`\nbench:api on ${machine()}, ${handle.kind} database, ${connections} connections for ${seconds} s\n`);
printTable([
  {
    query: "customers(first: 50) with scores",
    "req/s": result.requests.average.toFixed(0),
    "p50 ms": pct(50),
    "p95 ms": pct(95),
    "p99 ms": pct(99),
    "non-2xx": result.non2xx,
    errors: result.errors,
  },
]);
server.close();
await stop();
await handle.close();
if (dir) await rm(dir, { recursive: true, force: true });
