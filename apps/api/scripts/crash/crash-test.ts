// `pnpm test:crash`: SIGKILLs an orders import, a snapshot, a campaign launch and a scheduler
// pass running the nightly snapshot at random moments, on PGlite and (with TEST_DATABASE_URL)
// PostgreSQL, and checks after every kill that nothing is half-written: an import is all or
// nothing and the rollups agree with the orders; a killed snapshot leaves no scores and the
// previous one stays latest; a launch has its whole roster or none; a killed scheduled job is
// taken up again by the next passes and finished, once. Then the same work is retried in a new process and must succeed at once (the next
// snapshot waits for nothing), and retried again to show the retry is idempotent.
//
// Options: --rounds N (kills per operation and database, default 10), --customers N (default 1500),
// --orders N (rows per import file, default 3000), --only pglite|postgres, --seed N.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type DbHandle } from "@ltvloop/db/client";
import { migrate } from "@ltvloop/db/migrate";
import { createCampaign } from "../../src/modules/campaigns/campaign.service.ts";
import { planCampaign } from "../../src/modules/campaigns/campaign-plan.service.ts";
import { inconsistentRollups, launchState, latestSucceeded, ordersWithPrefix, partialSnapshots } from "./checks.ts";
import { mulberry32 } from "@ltvloop/scoring/random";

const apiRoot = fileURLToPath(new URL("../..", import.meta.url));

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return value;
}
const ROUNDS = option("rounds", 10);
const CUSTOMERS = option("customers", 1500);
const ORDERS = option("orders", 3000);
const SEED = option("seed", 20261203);
const onlyIndex = process.argv.indexOf("--only");
const ONLY = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;

const rand = mulberry32(SEED);

interface Target {
  kind: "pglite" | "postgres";
  env: Record<string, string>;
  open: () => Promise<DbHandle>;
  cleanup: () => Promise<void>;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a child (the real CLI, or the worker) and SIGKILLs it after `killAfterMs` if given. */
function run(target: Target, args: string[], killAfterMs?: number): Promise<Run> {
  const started = performance.now();
  // The child gets this environment with the target's database settings, nothing else changed.
  const { DATABASE_URL: _drop, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: apiRoot, env: { ...inherited, ...target.env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

const cli = (...args: string[]) => ["src/index.ts", ...args];
const worker = (...args: string[]) => ["scripts/crash/worker.ts", ...args];

function mustSucceed(what: string, result: Run): void {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr.slice(-2000)}`);
}

/** Opens the database in this process for checks (on PGlite only while no child holds it). */
async function inspect<T>(target: Target, work: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await target.open();
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

interface Tally {
  passed: number;
  failed: number;
  outcomes: Record<string, number>;
  failures: string[];
}

function record(tally: Tally, op: string, outcome: string, problems: string[]): void {
  tally.outcomes[`${op}: ${outcome}`] = (tally.outcomes[`${op}: ${outcome}`] ?? 0) + 1;
  if (problems.length === 0) tally.passed += 1;
  else {
    tally.failed += 1;
    tally.failures.push(...problems.map((p) => `${op}: ${p}`));
  }
}

/** A kill moment: between a quarter of a clean run's duration and just after its end. */
const killMoment = (cleanMs: number) => Math.round(cleanMs * (0.25 + 0.8 * rand()));

async function ordersFile(dir: string, prefix: string, customers: string[]): Promise<string> {
  const lines = ["external_id,customer_external_id,ordered_at,amount,status"];
  for (let i = 0; i < ORDERS; i++) {
    const day = 1 + (i % 28);
    lines.push(`${prefix}${i},${customers[i % customers.length]},2025-05-${String(day).padStart(2, "0")}T10:00:00+09:00,${(1000 + (i % 97) * 13.5).toFixed(2)},completed`);
  }
  const file = join(dir, `${prefix}.csv`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function crashImports(target: Target, dir: string, tally: Tally): Promise<void> {
  const customers = await inspect(target, (h) => h.query<{ external_id: string }>("select external_id from customers order by id limit 400"));
  const ids = customers.map((c) => c.external_id);
  const calibration = await run(target, cli("import", "orders", await ordersFile(dir, "crash-cal-", ids)));
  mustSucceed("the clean import", calibration);
  for (let round = 0; round < ROUNDS; round++) {
    const prefix = `crash-${round}-`;
    const file = await ordersFile(dir, prefix, ids);
    const killed = await run(target, cli("import", "orders", file), killMoment(calibration.ms));
    const problems: string[] = [];
    const after = await inspect(target, async (h) => ({ orders: await ordersWithPrefix(h.query, prefix), bad: await inconsistentRollups(h.query) }));
    if (after.orders !== 0 && after.orders !== ORDERS) problems.push(`round ${round}: ${after.orders} of ${ORDERS} orders written (partial import)`);
    if (after.bad !== 0) problems.push(`round ${round}: ${after.bad} customers' rollups disagree with their orders after the kill`);
    // Retry to completion, then once more: the same file twice leaves it imported once.
    for (const attempt of ["retry", "second retry"]) {
      const retry = await run(target, cli("import", "orders", file));
      if (retry.code !== 0) problems.push(`round ${round}: the ${attempt} failed: ${retry.stderr.slice(-400)}`);
    }
    const final = await inspect(target, async (h) => ({ orders: await ordersWithPrefix(h.query, prefix), bad: await inconsistentRollups(h.query) }));
    if (final.orders !== ORDERS) problems.push(`round ${round}: ${final.orders} orders after the retries, expected ${ORDERS}`);
    if (final.bad !== 0) problems.push(`round ${round}: ${final.bad} inconsistent rollups after the retries`);
    const outcome = killed.signal === "SIGKILL" ? (after.orders === 0 ? "killed, nothing written" : "killed after commit") : "finished before the kill";
    record(tally, "import", outcome, problems);
  }
}

async function crashSnapshots(target: Target, tally: Tally): Promise<void> {
  const calibration = await run(target, cli("snapshot"));
  mustSucceed("the clean snapshot", calibration);
  const state = (h: DbHandle) =>
    Promise.all([latestSucceeded(h.query), partialSnapshots(h.query), h.query<{ id: number }>("select max(id)::int as id from snapshots")]).then(
      ([latest, partial, [newest]]) => ({ latest, partial, newest: newest?.id ?? null }),
    );
  let before = (await inspect(target, state)).latest;
  for (let round = 0; round < ROUNDS; round++) {
    const killed = await run(target, cli("snapshot"), killMoment(calibration.ms));
    const problems: string[] = [];
    const after = await inspect(target, state);
    // A kill after the commit but before the exit is fine: then the new one is latest and whole.
    if (after.latest !== before && after.latest !== after.newest) problems.push(`round ${round}: latest snapshot moved from ${before} to ${after.latest}`);
    if (after.partial.length > 0) problems.push(`round ${round}: snapshots ${after.partial.join(", ")} left scores or partitions without succeeding`);
    // The next snapshot starts at once (the killed run's job is abandoned) and succeeds.
    const next = await run(target, cli("snapshot"));
    if (next.code !== 0) problems.push(`round ${round}: the next snapshot failed: ${next.stderr.slice(-400)}`);
    const final = await inspect(target, state);
    if (final.latest !== final.newest) problems.push(`round ${round}: the next snapshot is not the latest`);
    if (final.partial.length > 0) problems.push(`round ${round}: partial snapshots ${final.partial.join(", ")} after the next run`);
    record(tally, "snapshot", killed.signal === "SIGKILL" ? (after.latest === before ? "killed, previous stays latest" : "killed after commit") : "finished before the kill", problems);
    before = final.latest;
  }
}

/**
 * The scheduler's nightly snapshot, killed at random moments of a worker's pass: nothing of the
 * killed run survives, and the next passes take the job up again (its attempt counted) and
 * finish it, with no second job for the same slot.
 */
async function crashScheduled(target: Target, tally: Tally): Promise<void> {
  const due = (h: DbHandle) =>
    h.query(
      `with cleared as (delete from jobs where kind = 'snapshot.nightly' returning 1)
       update job_schedules set enabled = true, local_time = '00:00', updated_at = now() - interval '2 days' where kind = 'snapshot.nightly'`,
    );
  const tick = () => worker("tick", "1500", "100");
  const nightly = (h: DbHandle) =>
    h.query<{ status: string; attempts: number }>("select status, attempts from jobs where kind = 'snapshot.nightly' order by id");
  await inspect(target, due);
  const calibration = await run(target, tick());
  mustSucceed("the clean scheduler pass", calibration);
  for (let round = 0; round < ROUNDS; round++) {
    const before = await inspect(target, async (h) => {
      await due(h);
      return latestSucceeded(h.query);
    });
    const killed = await run(target, tick(), killMoment(calibration.ms));
    const problems: string[] = [];
    const after = await inspect(target, (h) => Promise.all([latestSucceeded(h.query), partialSnapshots(h.query)]));
    if (after[1].length > 0) problems.push(`round ${round}: snapshots ${after[1].join(", ")} left scores or partitions without succeeding`);
    // Later passes reap the killed run (its process is gone), wait out the backoff and finish it.
    let jobs = await inspect(target, nightly);
    for (let pass = 0; pass < 5 && jobs[0]?.status !== "succeeded"; pass++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const next = await run(target, tick());
      if (next.code !== 0) problems.push(`round ${round}: a scheduler pass failed: ${next.stderr.slice(-400)}`);
      jobs = await inspect(target, nightly);
    }
    if (jobs.length !== 1 || jobs[0]?.status !== "succeeded") problems.push(`round ${round}: nightly jobs ${JSON.stringify(jobs)}, expected one succeeded`);
    const final = await inspect(target, (h) => Promise.all([latestSucceeded(h.query), partialSnapshots(h.query)]));
    if (final[0] === before) problems.push(`round ${round}: no new snapshot became latest`);
    if (final[1].length > 0) problems.push(`round ${round}: partial snapshots ${final[1].join(", ")} after the retry`);
    const outcome = killed.signal !== "SIGKILL" ? "finished before the kill" : (jobs[0]?.attempts ?? 0) > 1 ? "killed mid-job, retried" : "killed outside a job";
    record(tally, "scheduled", outcome, problems);
  }
}

async function prepareCampaign(target: Target, round: number): Promise<number> {
  return inspect(target, async (handle) => {
    const latest = await latestSucceeded(handle.query);
    const [segment] = await handle.query<{ id: number }>(
      `select m.segment_id as id from segment_members m join segments s on s.id = m.segment_id
        where m.snapshot_id = $1 and s.kind = 'rfm' group by 1 order by count(*) desc limit 1`,
      [latest],
    );
    if (!segment) throw new Error("no RFM segment with members to launch to");
    const created = await createCampaign(handle, null, {
      name: `crash test ${round} ${randomBytes(3).toString("hex")}`,
      segmentId: String(segment.id),
      snapshotId: String(latest),
      objective: "retain",
      channel: "line",
      holdoutRatio: 0.2,
      outcomeWindowDays: 30,
      costPerContact: 10,
    });
    return (await planCampaign(handle, null, created.id)).id;
  });
}

async function crashLaunches(target: Target, tally: Tally): Promise<void> {
  const calibrationId = await prepareCampaign(target, -1);
  const calibration = await run(target, worker("launch", String(calibrationId), "crash-cal"));
  mustSucceed("the clean launch", calibration);
  for (let round = 0; round < ROUNDS; round++) {
    const id = await prepareCampaign(target, round);
    const key = `crash-launch-${round}`;
    const killed = await run(target, worker("launch", String(id), key), killMoment(calibration.ms));
    const problems: string[] = [];
    const after = await inspect(target, (h) => launchState(h.query, id));
    if (after.launched !== after.assignments > 0) problems.push(`round ${round}: launched=${after.launched} with ${after.assignments} assignments`);
    const answers: string[] = [];
    for (const attempt of ["retry", "second retry"]) {
      const retry = await run(target, worker("launch", String(id), key));
      if (retry.code !== 0) problems.push(`round ${round}: the ${attempt} with the same key failed: ${retry.stderr.slice(-400)}`);
      answers.push(retry.stdout.trim());
    }
    // The roster is immutable once written (a trigger refuses changes), so the count after both
    // retries tells whether either wrote a second one.
    const final = await inspect(target, (h) => launchState(h.query, id));
    if (!final.launched) problems.push(`round ${round}: not launched after the retries`);
    if (after.launched && after.assignments !== final.assignments) problems.push(`round ${round}: the roster changed on retry (${after.assignments} → ${final.assignments})`);
    if (answers[0] !== answers[1]) problems.push(`round ${round}: the two retries answered differently (${answers.join(" / ")})`);
    if (final.assignments !== final.eligible) problems.push(`round ${round}: ${final.assignments} assignments for ${final.eligible} eligible customers`);
    record(tally, "launch", killed.signal === "SIGKILL" ? (after.launched ? "killed after commit" : "killed, nothing launched") : "finished before the kill", problems);
  }
}

async function pgliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "ltvloop-crash-pglite-"));
  return {
    kind: "pglite",
    env: { LTVLOOP_DATA_DIR: dir },
    open: async () => {
      const handle = await createDb({ dataDir: dir, lockCommand: "crash test (checks)" });
      await migrate(handle);
      return handle;
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresTarget(base: string): Promise<Target> {
  const name = `ltvloop_crash_${randomBytes(4).toString("hex")}`;
  const admin = await createDb({ databaseUrl: base, maxConnections: 1 });
  await admin.query(`create database ${name}`);
  await admin.close();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind: "postgres",
    env: { DATABASE_URL: url.toString() },
    open: async () => createDb({ databaseUrl: url.toString(), maxConnections: 2 }),
    cleanup: async () => {
      const dropper = await createDb({ databaseUrl: base, maxConnections: 1 });
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.close();
    },
  };
}

async function main(): Promise<number> {
  const targets: (() => Promise<Target>)[] = [];
  if (ONLY !== "postgres") targets.push(pgliteTarget);
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (ONLY !== "pglite") {
    if (pgUrl) targets.push(() => postgresTarget(pgUrl));
    else process.stdout.write("PostgreSQL: skipped (set TEST_DATABASE_URL to a postgres:// URL whose user may create databases).\n");
  }
  const tally: Tally = { passed: 0, failed: 0, outcomes: {}, failures: [] };
  const scratch = mkdtempSync(join(tmpdir(), "ltvloop-crash-files-"));
  const started = performance.now();
  try {
    for (const make of targets) {
      const target = await make();
      try {
        process.stdout.write(`\n${target.kind}: seeding ${CUSTOMERS} customers and the first snapshot…\n`);
        mustSucceed("the seed", await run(target, cli("seed", "--customers", String(CUSTOMERS), "--years", "2", "--as-of", "2025-06-01", "--seed", "7", "--no-campaigns")));
        for (const [name, step] of [
          ["import", () => crashImports(target, scratch, tally)],
          ["snapshot", () => crashSnapshots(target, tally)],
          ["launch", () => crashLaunches(target, tally)],
          ["scheduled", () => crashScheduled(target, tally)],
        ] as const) {
          const t = performance.now();
          const failedBefore = tally.failed;
          await step();
          process.stdout.write(`${target.kind} ${name}: ${ROUNDS} kills, ${tally.failed - failedBefore} failed, ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
        }
      } finally {
        await target.cleanup();
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write("\nWhere the kills landed:\n");
  for (const [outcome, n] of Object.entries(tally.outcomes).sort()) process.stdout.write(`  ${outcome}: ${n}\n`);
  for (const failure of tally.failures) process.stdout.write(`FAILED ${failure}\n`);
  process.stdout.write(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  process.stdout.write(`crash: ${tally.passed} passed, ${tally.failed} failed\n`);
  return tally.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
