// How fast the product answers once it is installed: `ltvloop --help` against a bare `node`
// start (the floor no command can beat), and a second start of the server on the embedded
// database until /healthz answers. Runs alternate (A B A B …) so load drift hits both alike.
// Prints figures; it is not a test.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machine } from "./bench-util.ts";

const apiRoot = fileURLToPath(new URL("..", import.meta.url));
const bin = join(apiRoot, "bin/ltvloop.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PORT = Number(process.env.BENCH_PORT ?? 4390);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const load = () => loadavg()[0]!.toFixed(2);

function runToExit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: apiRoot, env: { ...process.env, ...env }, stdio: process.env.BENCH_VERBOSE ? "inherit" : "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${args.join(" ")} exited ${code}`))));
  });
}

/** Starts `ltvloop serve` on `dataDir`, returns the seconds until /healthz answers 200, then stops it. */
async function startToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, "serve"], {
    cwd: apiRoot,
    env: { ...process.env, NODE_ENV: "production", PORT: String(PORT), LTVLOOP_DATA_DIR: dataDir, DATABASE_URL: "" },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`);
      const ok = await fetch(`http://127.0.0.1:${PORT}/healthz`).then((r) => r.ok, () => false);
      if (ok) return (performance.now() - started) / 1000;
      if (performance.now() - started > 120_000) throw new Error("the server did not answer /healthz within 120 s");
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    child.kill("SIGINT");
    await exited;
  }
}

const dataDir = await mkdtemp(join(tmpdir(), "ltvloop-bench-start-"));
try {
  process.stdout.write(`${machine()}; load average at start ${load()}\n`);
  await runToExit([bin, "--help"]); // builds the bundle if it is stale, outside the figures
  process.stdout.write("Seeding a 2,000-customer embedded demo for the restarts (not timed)…\n");
  await runToExit([bin, "seed", "--customers", "2000"], { LTVLOOP_DATA_DIR: dataDir, DATABASE_URL: "" });

  const help: number[] = [];
  const bare: number[] = [];
  const restart: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    help.push(await runToExit([bin, "--help"]));
    bare.push(await runToExit(["-e", ""]));
    restart.push(await startToHealthy(dataDir));
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} s (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`;
  const ratios = help.map((h, i) => h / bare[i]!);
  process.stdout.write(
    [
      `runs: ${RUNS} of each, alternating`,
      `ltvloop --help:                 ${fmt(help)}   (target < 1 s)`,
      `node -e "" (bare Node start):   ${fmt(bare)}`,
      `ratio --help / bare Node:       median ${median(ratios).toFixed(1)}×`,
      `second start to healthy /healthz (embedded PGlite): ${fmt(restart)}   (target < 5 s)`,
      `load average at the end ${load()}`,
      "",
    ].join("\n"),
  );
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
