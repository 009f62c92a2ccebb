// `ltvloop clv FILE`: fits BG/NBD, Pareto/NBD and Gamma-Gamma on a transaction CSV and writes
// per-customer predictions. Works on the file alone: it never opens the database.
import { inputFileSize } from "./files.ts";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InvalidArgumentError, Option, type Command } from "commander";
import { readEnv } from "../env.ts";
import { clvReportJson, formatClvTable, predictionColumns, predictionCsvLines } from "../modules/clv/clv-report.ts";
import { analyzeClv, type ClvModelName, type Horizon } from "../modules/clv/clv.service.ts";
import type { MonthConvention } from "@ltvloop/scoring/clv";
import { readTransactionsCsv } from "../modules/clv/transactions-csv.ts";
import type { ImportEncoding } from "../modules/import/import.types.ts";
import { ENCODING_NAMES, parseEncoding } from "../modules/import/text-source.ts";
import { parseTimestamp } from "../modules/import/values.ts";
import { CliError } from "./context.ts";
import { createProgress, silentProgress } from "./progress.ts";

interface ClvFlags {
  encoding: ImportEncoding;
  calibrationEnd?: string;
  timeUnit: "week" | "day";
  horizon?: Horizon;
  horizonMonths?: number;
  month: MonthConvention;
  discountRate: number;
  model: ClvModelName[];
  margin: number;
  timeZone: string;
  json?: boolean;
  out?: string;
  dert?: boolean;
}

/** Files this large get a reading progress bar on stderr. */
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

const parseEncodingOption = (raw: string): ImportEncoding => {
  const encoding = parseEncoding(raw);
  if (!encoding) throw new InvalidArgumentError(`use ${ENCODING_NAMES}; got "${raw}".`);
  return encoding;
};

const parseModelOption = (raw: string): ClvModelName[] => {
  const names: ClvModelName[] = [];
  for (const part of raw.split(",")) {
    // Also accept the spellings used elsewhere (bg-nbd, BG/NBD, pareto-nbd).
    const name = part.toLowerCase().replace(/[-_/ ]/g, "");
    if (name !== "bgnbd" && name !== "paretonbd") throw new InvalidArgumentError(`use bgnbd, paretonbd or both separated by a comma (the first drives the predictions); got "${raw}".`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
};

const HORIZON_UNITS: Record<string, Horizon["unit"]> = { d: "day", w: "week", m: "month" };

const parseHorizon = (raw: string): Horizon => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([dwm])\s*$/i.exec(raw);
  const value = Number(match?.[1]);
  const unit = HORIZON_UNITS[(match?.[2] ?? "").toLowerCase()];
  if (!match || unit === undefined || !(value > 0)) {
    throw new InvalidArgumentError(`write a number and d, w or m, e.g. 39w, 270d or 12m; got "${raw}".`);
  }
  if (value * (unit === "day" ? 1 : unit === "week" ? 7 : 31) > 36_600) throw new InvalidArgumentError(`at most 100 years; got "${raw}".`);
  return { value, unit };
};

const parseNumberOption = (min: number, max: number, what: string) => (raw: string) => {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${what}; got "${raw}".`);
  }
  return value;
};

const parseHorizonMonthsOption = (raw: string) => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 1200) throw new InvalidArgumentError(`a whole number of months from 1 to 1200; got "${raw}".`);
  return value;
};

/** YYYY-MM-DD that is a calendar date (not importing the seed command's helper keeps `clv` light). */
const parseDateOption = (raw: string) => {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? parseTimestamp(raw) : undefined;
  if (!parsed?.ok) throw new InvalidArgumentError(`expected a date as YYYY-MM-DD; got "${raw}".`);
  return raw;
};

const parseTimeZoneOption = (raw: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: raw });
  } catch {
    throw new InvalidArgumentError(`"${raw}" is not an IANA time zone: use a name such as Asia/Tokyo or UTC.`);
  }
  return raw;
};


/** Fails before any work when --out cannot be written, rather than after the fits. */
async function checkOutput(out: string, input: string): Promise<void> {
  if (out === input) throw new CliError(`--out ${out} is the input file: choose another name for the predictions.`);
  // A folder would be found only when the predictions are renamed into place, after the fits.
  if ((await stat(out).catch(() => null))?.isDirectory()) {
    throw new CliError(`--out ${out} is a folder: give a file name, e.g. --out ${join(out, "predictions.csv")}.`);
  }
  try {
    const folder = await stat(dirname(out));
    if (!folder.isDirectory()) throw new CliError(`Cannot write ${out}: ${dirname(out)} is not a folder.`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot write ${out}: the folder ${dirname(out)} does not exist.`);
  }
}

/** Writes to a temporary name and renames, so a failed run never leaves a partial file. */
async function writeAtomically(out: string, lines: Iterable<string>): Promise<void> {
  const temporary = resolve(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  try {
    await pipeline(Readable.from(lines), createWriteStream(temporary));
    await rename(temporary, out);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`Cannot write ${out}: ${(error as Error).message}.`);
  }
}

async function runClv(given: string, flags: ClvFlags): Promise<void> {
  const started = performance.now();
  // Relative paths are relative to where the user typed the command, not to apps/api.
  const { invocationDir } = readEnv();
  const file = resolve(invocationDir, given);
  const out = flags.out === undefined ? null : resolve(invocationDir, flags.out);
  const size = await inputFileSize(file);
  if (out !== null) await checkOutput(out, file);

  const progress = size >= PROGRESS_MIN_BYTES ? createProgress() : silentProgress;
  progress.start(size, `Reading ${basename(file)}`);
  let data;
  try {
    data = await readTransactionsCsv(createReadStream(file, { highWaterMark: 1 << 20 }), {
      label: file,
      encoding: flags.encoding,
      timeZone: flags.timeZone,
      expectedBytes: size,
      onBytes: (bytes) => progress.update(bytes),
    });
  } finally {
    progress.stop();
  }
  const readMs = Math.round(performance.now() - started);

  if (flags.horizon !== undefined && flags.horizonMonths !== undefined) {
    throw new CliError("Give either --horizon or --horizon-months, not both (--horizon 12m is --horizon-months 12).");
  }
  const report = analyzeClv(data.log, data.hasAmount, {
    calibrationEnd: flags.calibrationEnd,
    timeUnit: flags.timeUnit,
    horizon: flags.horizon ?? { value: flags.horizonMonths ?? 12, unit: "month" },
    monthConvention: flags.month,
    monthlyDiscountRate: flags.discountRate,
    models: flags.model,
    margin: flags.margin,
    timeZone: flags.timeZone,
    withDert: flags.dert ?? false,
  });

  const timingsMs: Record<string, number> = { read: readMs };
  if (out !== null && report.predictions.ok) {
    const writeStarted = performance.now();
    await writeAtomically(out, predictionCsvLines(report.predictions.columns, flags.dert ?? false, data.hasAmount));
    timingsMs.write = Math.round(performance.now() - writeStarted);
  }
  timingsMs.total = Math.round(performance.now() - started);
  const context = { file, rowsRead: data.rowsRead, ignoredColumns: data.ignoredColumns, out: report.predictions.ok ? out : null, timingsMs };
  process.stdout.write(flags.json ? `${JSON.stringify(clvReportJson(report, context), null, 2)}\n` : formatClvTable(report, context));
  if (out !== null && !report.predictions.ok) {
    throw new CliError(`No predictions were written to ${out}: ${report.predictions.error}`);
  }
}

const HELP = `
Input: a CSV with a header row and one row per purchase:
  customer_id   your customer id (any text)
  ordered_at    YYYY-MM-DD or YYYY/MM/DD, optional time HH:mm[:ss] and zone (Z, +09:00);
                without a zone the time is in --time-zone; purchases are counted per
                calendar day in --time-zone (same-day purchases are one, spend summed);
                a day after today (in --time-zone) is an error
  amount        optional: purchase value ≥ 0, up to 2 decimals, no currency sign (1,234
                accepted); 0 counts as a purchase day; negative amounts are errors: leave
                refunds and cancellations out of the export. Without an amount column only
                the frequency models run (no Gamma-Gamma, no spend or CLV columns).
Header names are case-insensitive, in any order; other columns are ignored (and listed).
Files are UTF-8 (with or without BOM), Shift_JIS/CP932 with --encoding shift_jis, or UTF-16
with --encoding utf16le / utf16be. Limits: 10,000 characters a cell, 200 columns, ids of at
most 255 characters.
Any bad row rejects the file (exit code 1) with line-numbered messages; nothing is written.

Calibration: transactions up to --calibration-end are fitted; later ones are the holdout,
compared per calibration frequency with each model's predictions. Customers who first
buy after --calibration-end are not scored. A calibration end after today is refused; one
long after the last transaction is warned about (the days between count as observed days
without purchases).

--out columns (one row per calibration customer, recency and T in --time-unit):
  ${predictionColumns(false).join(",")}[,dert]
  expected_purchases      undiscounted, over --horizon (39w, 270d, 12m; default 12m)
  expected_spend          Gamma-Gamma expected spend per purchase (empty for repeat buyers
                          whose repeat purchases were all free: the model says nothing on them)
  clv_discounted_monthly  Σ monthly expected purchases × expected_spend × margin / (1+rate)^month
                          over the horizon; a month is 30 days (--month 30-day, the default) or
                          4.345 weeks (--month 4.345-week, what lifetimes uses for weekly models);
                          a horizon that is not whole months ends with a partial month
  dert                    with --dert: discounted expected residual transactions (infinite
                          horizon, the papers' convention; the monthly rate compounded to a
                          continuous one)
Empty cells mean the value is not defined (e.g. Gamma-Gamma could not be fitted).
Predictions come only from fits that pass: a fit without information (one customer, every
T = 0, nobody repeating) is refused as not identifiable, and a fit with parameters beyond
plausible ranges or at the search box edge is flagged; neither drives the predictions.

Example:
  ltvloop clv orders.csv --calibration-end 2024-12-31 --out predictions.csv
`;

export function register(program: Command): void {
  program
    .command("clv")
    .description("Fit BG/NBD, Pareto/NBD and Gamma-Gamma on a transaction CSV and predict each customer's P(alive), purchases and CLV (no database).")
    .argument("<file>", "transaction CSV with the header customer_id,ordered_at[,amount]")
    .addOption(new Option("--encoding <encoding>", "file encoding: utf8, shift_jis (aliases sjis, cp932), utf16le or utf16be").argParser(parseEncodingOption).default("utf8"))
    .option("--calibration-end <date>", "last day of the calibration period, YYYY-MM-DD, inclusive (default: the last transaction day, no holdout)", parseDateOption)
    .addOption(new Option("--time-unit <unit>", "time unit of the models, recency and T").choices(["week", "day"]).default("week"))
    .option("--horizon <span>", "prediction horizon: a number and d, w or m (39w, 270d, 12m; default 12m)", parseHorizon)
    .option("--horizon-months <n>", "the same as --horizon <n>m", parseHorizonMonthsOption)
    .addOption(new Option("--month <convention>", "month of the discounted monthly CLV and of m horizons: 30-day or 4.345-week (lifetimes' month for weekly models)").choices(["30-day", "4.345-week"]).default("30-day"))
    .option("--discount-rate <rate>", "discount rate per month, e.g. 0.01 for 1%", parseNumberOption(0, 0.999, "a monthly rate from 0 to 0.999 (0.01 = 1%)"), 0.01)
    .addOption(
      new Option("--model <models>", "models to fit, comma-separated; the first drives the predictions (bgnbd skips Pareto/NBD)")
        .argParser(parseModelOption)
        .default(["bgnbd", "paretonbd"], "bgnbd,paretonbd"),
    )
    .option("--margin <ratio>", "gross margin applied to spend, 0 to 1 (1 = CLV as revenue)", parseNumberOption(0, 1, "a ratio from 0 to 1 (0.35 for 35%)"), 1)
    .option("--time-zone <zone>", "IANA time zone that defines calendar days", parseTimeZoneOption, "Asia/Tokyo")
    .option("--json", "print the fits and diagnostics as JSON instead of a table")
    .option("--out <file>", "write per-customer predictions to this CSV file")
    .option("--dert", "also compute DERT per customer (slower: a numerical integral per distinct history under BG/NBD)")
    .addHelpText("after", HELP)
    .action((file: string, flags: ClvFlags) => runClv(file, flags));
}
