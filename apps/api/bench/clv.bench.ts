// `pnpm bench:clv`: `ltvloop clv` against Python's lifetimes on the repository's CDNOW sample
// replicated ×10, ×100 and ×1000 (23,570 / 235,700 / 2.36M customers, new ids per copy), the
// two interleaved per size, each as its own process under /usr/bin/time -v (wall time and peak
// RSS). Both do the same work: read the CSV, calibration summary up to 1997-09-30 in days/7,
// BG/NBD and Gamma-Gamma fits, per-customer P(alive), expected purchases over 52 weeks and a
// 12-month discounted CLV in 4.345-week months, holdout comparison by frequency, predictions CSV.
//
// lifetimes comes from (first that works): an importable `lifetimes` for python3; the source tree
// in $LIFETIMES_SRC (plus $LIFETIMES_PYTHONPATH for its dependencies, e.g. an autograd tree);
// `pip install --target` into a temporary folder. Otherwise lifetimes is skipped with a message.
// Usage: pnpm --filter @ltvloop/api bench:clv [--sizes 10,100,1000]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { machine } from "./bench-util.ts";
import { writeCdnowCsv } from "./cdnow-csv.ts";

const apiRoot = fileURLToPath(new URL("..", import.meta.url));
const sizesArg = process.argv.indexOf("--sizes");
const sizes = (sizesArg >= 0 ? (process.argv[sizesArg + 1] ?? "") : "10,100,1000").split(",").map(Number);

// Our own script using lifetimes' public API (nothing of lifetimes is in this repository).
const LIFETIMES_SCRIPT = `
import json, sys
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import calibration_and_holdout_data
path, out = sys.argv[1], sys.argv[2]
tx = pd.read_csv(path, dtype={"customer_id": str}, parse_dates=["ordered_at"])
s = calibration_and_holdout_data(tx, "customer_id", "ordered_at", calibration_period_end="1997-09-30",
    observation_period_end="1998-06-30", freq="D", freq_multiplier=7, monetary_value_col="amount")
bgf = BetaGeoFitter()
bgf.fit(s["frequency_cal"], s["recency_cal"], s["T_cal"])
rb = s[(s["frequency_cal"] > 0) & (s["monetary_value_cal"] > 0)]
ggf = GammaGammaFitter()
ggf.fit(rb["frequency_cal"], rb["monetary_value_cal"])
f, r, T, m = s["frequency_cal"], s["recency_cal"], s["T_cal"], s["monetary_value_cal"]
s["p_alive"] = bgf.conditional_probability_alive(f, r, T)
s["expected_purchases"] = bgf.conditional_expected_number_of_purchases_up_to_time(52, f, r, T)
s["expected_spend"] = ggf.conditional_expected_average_profit(f, m)
s["clv"] = ggf.customer_lifetime_value(bgf, f, r, T, m, time=12, discount_rate=0.01, freq="W")
holdout = float(s["duration_holdout"].iloc[0])
s["predicted_holdout"] = bgf.conditional_expected_number_of_purchases_up_to_time(holdout, f, r, T)
by = s.assign(bucket=f.clip(upper=7)).groupby("bucket")[["frequency_holdout", "predicted_holdout"]].mean()
s.to_csv(out)
p = bgf.params_
g = ggf.params_
print(json.dumps({"bgNbd": {k: float(p[k]) for k in ["r", "alpha", "a", "b"]},
                  "gammaGamma": {"p": float(g["p"]), "q": float(g["q"]), "gamma": float(g["v"])},
                  "buckets": len(by)}))
`;

interface Measured {
  seconds: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakMb: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time -v and reads its wall time and maximum RSS. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Measured {
  const run = spawnSync("/usr/bin/time", ["-v", command, ...args], { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`${command} failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(run.stderr);
  if (!rss || !wall) throw new Error(`cannot read /usr/bin/time -v output:\n${run.stderr.slice(-1000)}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  const user = Number(/User time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1] ?? NaN);
  const system = Number(/System time \(seconds\): ([\d.]+)/.exec(run.stderr)?.[1] ?? NaN);
  return { seconds, cpuSeconds: user + system, peakMb: Number(rss[1]) / 1024, stdout: run.stdout };
}

/** A python3 that can import lifetimes, with the PYTHONPATH it needs, or why there is none. */
async function findLifetimes(): Promise<{ python: string; env: NodeJS.ProcessEnv } | { skip: string }> {
  const pythons = ["/usr/bin/python3", "python3"].filter((p) => !p.startsWith("/") || existsSync(p));
   
  const { LIFETIMES_SRC, LIFETIMES_PYTHONPATH } = process.env;
  const paths = [LIFETIMES_SRC, LIFETIMES_PYTHONPATH].filter((p): p is string => !!p);
  const tryImport = (python: string, extra: string[]) => {
     
    const env = { ...process.env, PYTHONPATH: [...extra, process.env.PYTHONPATH ?? ""].filter(Boolean).join(":") };
    const probe = spawnSync(python, ["-c", "import lifetimes, pandas, scipy"], { env, encoding: "utf8" });
    return probe.status === 0 ? { python, env } : null;
  };
  for (const python of pythons) {
    const found = tryImport(python, paths);
    if (found) return found;
  }
  const target = await mkdtemp(join(tmpdir(), "lifetimes-pip-"));
  for (const python of pythons) {
    const pip = spawnSync(python, ["-m", "pip", "install", "--quiet", "--target", target, "lifetimes"], { encoding: "utf8", timeout: 180_000 });
    if (pip.status === 0) {
      const found = tryImport(python, [target, ...paths]);
      if (found) return found;
    }
  }
  return {
    skip:
      "lifetimes is not available: no python3 imports it, $LIFETIMES_SRC does not name a usable source tree, and `pip install lifetimes` failed (PyPI unreachable?). " +
      "lifetimes needs pandas, scipy, dill (Debian: python3-pandas python3-scipy python3-dill) and autograd (not packaged by Debian: put a source tree on $LIFETIMES_PYTHONPATH).",
  };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  console.log(`ltvloop clv vs lifetimes on CDNOW sample ×N; ${machine()}`);
  const lifetimes = await findLifetimes();
  if ("skip" in lifetimes) console.log(`lifetimes skipped: ${lifetimes.skip}`);
  else console.log(`lifetimes: ${execFileSync(lifetimes.python, ["-c", "import lifetimes, sys; print(lifetimes.__version__, sys.version.split()[0])"], { env: lifetimes.env, encoding: "utf8" }).trim()}`);
  // The command as users run it (`pnpm ltvloop clv`): the built bundle, built here first so no
  // timed run includes a build.
  execFileSync(process.execPath, ["bin/ltvloop.js", "--help"], { cwd: apiRoot, stdio: "ignore" });
  const work = await mkdtemp(join(tmpdir(), "ltvloop-bench-clv-"));
  const script = join(work, "lifetimes_clv.py");
  await writeFile(script, LIFETIMES_SCRIPT);
  for (const copies of sizes) {
    const file = await writeCdnowCsv(copies);
    const ours = measure(
      process.execPath,
      ["bin/ltvloop.js", "clv", file.path, "--calibration-end", "1997-09-30", "--model", "bgnbd", "--horizon", "52w", "--month", "4.345-week", "--json", "--out", join(work, `ours-${copies}.csv`)],
       
      { ...process.env, LTVLOOP_DATA_DIR: join(work, "no-database") },
      apiRoot,
    );
    const report = JSON.parse(ours.stdout) as { bgNbd: Record<string, number>; gammaGamma: Record<string, number>; customers: number; timingsMs: Record<string, number> };
    let line = `×${copies}  ${file.customers.toLocaleString("en-US")} customers, ${file.rows.toLocaleString("en-US")} rows\n`;
    line += `  ltvloop clv  ${fmt(ours.seconds).padStart(7)} s wall  ${fmt(ours.cpuSeconds).padStart(7)} s CPU  ${fmt(ours.peakMb, 0).padStart(6)} MB peak RSS   (in-process: read ${fmt((report.timingsMs.read ?? 0) / 1000)} s, total ${fmt((report.timingsMs.total ?? 0) / 1000)} s)\n`;
    if (!("skip" in lifetimes)) {
      const theirs = measure(lifetimes.python, [script, file.path, join(work, `lifetimes-${copies}.csv`)], lifetimes.env, work);
      const params = JSON.parse(theirs.stdout.trim().split("\n").pop() ?? "{}") as { bgNbd: Record<string, number>; gammaGamma: Record<string, number> };
      let worst = 0;
      for (const [model, names] of [["bgNbd", ["r", "alpha", "a", "b"]], ["gammaGamma", ["p", "q", "gamma"]]] as const) {
        for (const name of names) {
          const a = report[model][name] ?? NaN;
          const b = params[model][name] ?? NaN;
          worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
        }
      }
      line += `  lifetimes    ${fmt(theirs.seconds).padStart(7)} s wall  ${fmt(theirs.cpuSeconds).padStart(7)} s CPU  ${fmt(theirs.peakMb, 0).padStart(6)} MB peak RSS\n`;
      line += `  ratio        ${fmt(theirs.seconds / ours.seconds, 2)}× faster (wall), ${fmt(theirs.cpuSeconds / ours.cpuSeconds, 2)}× (CPU), ${fmt(ours.peakMb / theirs.peakMb, 2)}× lifetimes' memory; largest relative parameter difference ${worst.toExponential(1)}\n`;
    }
    process.stdout.write(line);
    await rm(dirname(file.path), { recursive: true, force: true });
  }
  await rm(work, { recursive: true, force: true });
}

await main();
