// `pnpm start`: make sure the admin UI is built (the first start builds it; later starts find it
// current, or in turbo's cache), then run the server from its bundle. Says what it is doing while
// the user waits, and treats Ctrl-C as the normal way to stop, not as a failure.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line) => process.stdout.write(`${line}\n`);
const seconds = (since) => ((performance.now() - since) / 1000).toFixed(1);
let child;
let stopping = false;

// Ctrl-C reaches every process of the terminal's group, the server included; a signal sent to
// this process alone (kill, a supervisor) is passed on. Either way the server shuts down cleanly
// and this process exits with status 0.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopping = true;
    child?.kill(signal);
  });
}

function run(command, args, env) {
  return new Promise((resolve) => {
    child = spawn(command, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("error", (error) => {
      process.stderr.write(`${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(signal ? (stopping ? 0 : 1) : (code ?? 1)));
  });
}

/** Newest modification time under `path` (a file or a folder), or 0 when it does not exist. */
function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** The admin build is current when its index.html is newer than everything it is built from. */
function adminBuildIsCurrent() {
  const built = newestMtime(join(repoRoot, "apps/admin/dist/index.html"));
  const inputs = ["apps/admin/src", "apps/admin/scripts", "apps/admin/index.html", "apps/admin/vite.config.ts", "apps/admin/package.json", "packages/scoring/src", "pnpm-lock.yaml"];
  return built > 0 && inputs.every((input) => newestMtime(join(repoRoot, input)) < built);
}

async function buildAdmin() {
  const started = performance.now();
  say("LTV Loop: building the admin UI (the first start takes about a minute; later starts reuse the build)…");
  const ticker = setInterval(() => say(`  … still building (${Math.round((performance.now() - started) / 1000)} s)`), 15_000);
  const code = await run("pnpm", ["exec", "turbo", "run", "build", "--filter=@ltvloop/admin", "--output-logs=errors-only"], {
    TURBO_TELEMETRY_DISABLED: "1",
    TURBO_NO_UPDATE_NOTIFIER: "1",
  });
  clearInterval(ticker);
  if (stopping) process.exit(0);
  if (code !== 0) {
    process.stderr.write("The admin UI did not build (the errors are above). `pnpm --filter @ltvloop/admin build` shows the whole output.\n");
    process.exit(code);
  }
  say(`Admin UI built in ${seconds(started)} s. Starting the server…`);
}

if (adminBuildIsCurrent()) say("LTV Loop: the admin UI build is up to date. Starting the server…");
else await buildAdmin();

const served = await run(process.execPath, [join(repoRoot, "apps/api/bin/ltvloop.js"), "serve", "--prepare"], {
  NODE_ENV: process.env.NODE_ENV ?? "production",
});
if (stopping) say("LTV Loop stopped.");
process.exit(stopping ? 0 : served);
