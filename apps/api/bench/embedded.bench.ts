// pnpm --filter @ltvloop/api bench:embedded — the admin's typical page loads on the embedded
// database (PGlite answers one statement at a time) under 1, 3 and 5 concurrent users. A page
// load sends the page's GraphQL queries at once, as the UI does, and waits for all of them;
// each simulated user loads the five pages in turn for the duration. Prints page-load p50/p95
// and the SQL statements each page costs. Server and users share this process, as the
// embedded product shares one process with its database.
//   pnpm --filter @ltvloop/api bench:embedded [--customers 5000] [--seconds 10]
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { silentProgress } from "../src/cli/progress.ts";
import { readEnv } from "../src/env.ts";
import { createApiKey } from "../src/modules/auth/auth.service.ts";
import { seedDemoData, seedDemoUsers } from "../src/modules/seed/seed.service.ts";
import { createSnapshot, executeSnapshot } from "../src/modules/snapshots/snapshot.service.ts";
import { createApp } from "../src/server.ts";
import { argValue, machine, printTable } from "./bench-util.ts";

const customers = argValue("customers", 5000);
const seconds = argValue("seconds", 10);
const dir = await mkdtemp(join(tmpdir(), "ltvloop-bench-embedded-"));
const handle = await createDb({ dataDir: dir });
await migrate(handle);
process.stdout.write(`Seeding ${customers.toLocaleString("en")} demo customers into PGlite…\n`);
await seedDemoData(handle, { seed: 42, customers, years: 3, asOf: new Date(), progress: silentProgress });
await executeSnapshot(handle, (await createSnapshot(handle, null, {})).id);
await seedDemoUsers(handle.query, "bench-password-123");
const [analyst] = await handle.query<{ id: number; email: string }>("select id, email from users where role = 'analyst' limit 1");
const { key } = await createApiKey(handle, { userId: analyst?.id as number, email: analyst?.email as string, role: "analyst", via: "session" }, "bench");
const [busiest] = await handle.query<{ id: number }>("select customer_id as id from orders group by customer_id order by count(*) desc limit 1");

const { listen, stop } = await createApp({ handle, env: { ...readEnv({}), isProduction: true } });
const server = listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

const now = new Date();
const yearAgo = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1));
/** What each page of the admin asks for when it opens (the same fields, trimmed to the essentials). */
const PAGES: Record<string, string[]> = {
  dashboard: [
    `{ me { role } }`,
    `{ kpiOverview(from: "${yearAgo.toISOString()}", to: "${now.toISOString()}", granularity: MONTH) { periods { activeCustomers orders revenue repeatRate retentionRate } meanClv } }`,
    `{ latestSnapshot { id asOf status } }`,
    `{ rfmSegmentSummary { segmentKey customers revenue revenueShare } }`,
    `{ cohortRetention(maxMonths: 12) { maxMonths cohorts { cohortMonth size cells { monthsSince activeCustomers retention } } } }`,
  ],
  customers: [
    `{ me { role } }`,
    `{ customers(first: 50, orderBy: { field: PREDICTED_CLV, direction: DESC }) { totalCount nodes { id externalId name revenue score { rfmSegment predictedClv pAlive decile } } } }`,
  ],
  customer: [
    `{ me { role } }`,
    `{ customer(id: "${busiest?.id}") { id name score { predictedClv pAlive rfmSegment } orders(first: 20) { totalCount nodes { id orderedAt amount status } }
       scoreHistory { snapshotId predictedClv } segmentHistory { segmentName } campaignExposures { campaignId } } }`,
  ],
  acquisition: [
    `{ me { role } }`,
    `{ acquisitionEconomics(groupBy: CHANNEL, cohortUnit: MONTH) { groups { channel customers totalCac ltvToCac ltvToCacInterval { lower upper } paybackMonth curve { monthsSince customers } } } }`,
    `{ acquisitionEconomics(groupBy: COHORT, cohortUnit: MONTH) { groups { cohort customers totalCac ltvToCac ltvToCacInterval { lower upper } paybackMonth curve { monthsSince customers } } } }`,
    `{ retentionVsAcquisition { budget rows { kind key spend grossProfit grossProfitPerYen customers } } }`,
  ],
  segments: [`{ me { role } }`, `{ segments(first: 100) { totalCount nodes { id name stats { customers revenueShare meanPredictedClv } } } }`],
};

async function loadPage(queries: string[]): Promise<void> {
  await Promise.all(
    queries.map(async (query) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors)}`);
    }),
  );
}

// Statements per page load, warm (sign-in and latest snapshot cached).
const statements: Record<string, number> = {};
for (const [name, queries] of Object.entries(PAGES)) {
  await loadPage(queries);
  const before = handle.statementCount();
  await loadPage(queries);
  statements[name] = handle.statementCount() - before;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
process.stdout.write(`\nbench:embedded on ${machine()}; PGlite with ${customers.toLocaleString("en")} customers; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
const rows: Record<string, string | number>[] = [];
for (const users of [1, 3, 5]) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(PAGES).map((p) => [p, []]));
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      const names = Object.keys(PAGES);
      for (let i = u; performance.now() < until; i++) {
        const name = names[i % names.length] as string;
        const started = performance.now();
        await loadPage(PAGES[name] as string[]);
        times[name]?.push(performance.now() - started);
      }
    }),
  );
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    rows.push({
      users,
      page: name,
      loads: list.length,
      "p50 ms": pct(list, 50).toFixed(0),
      "p95 ms": pct(list, 95).toFixed(0),
      "SQL statements": statements[name] ?? 0,
    });
  }
}
printTable(rows);
process.stdout.write(`Load at the end: ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
server.close();
await stop();
await handle.close();
await rm(dir, { recursive: true, force: true });
