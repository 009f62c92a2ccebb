// How `ltvloop clv` shows its result: a table for people, JSON for scripts, and the
// per-customer predictions CSV.
import { csvCell } from "../../csv-cell.ts";
import type { ClvReport, FitOutcome, Horizon, PredictionColumns } from "./clv.service.ts";

/** Context the report does not know: where the data came from and where the rows went. */
export interface ReportContext {
  file: string;
  rowsRead: number;
  ignoredColumns: string[];
  out: string | null;
  timingsMs: Record<string, number>;
}

const MODEL_LABEL = { bgnbd: "BG/NBD", paretonbd: "Pareto/NBD" } as const;

type AnyFit = { params: object; logLikelihood: number; converged: boolean; warnings: string[] };

function fitJson<T extends AnyFit>(outcome: FitOutcome<T> | null, skipped: string, extra: (fit: T) => Record<string, unknown>): Record<string, unknown> {
  if (outcome === null) return { fitted: false, reason: skipped };
  if (!outcome.ok) return { converged: false, error: outcome.error, code: outcome.code, ms: outcome.ms };
  const { fit } = outcome;
  return { ...fit.params, logLikelihood: fit.logLikelihood, converged: fit.converged, passes: fit.converged && fit.warnings.length === 0, warnings: fit.warnings, ...extra(fit), ms: outcome.ms };
}

const UNIT_NAME: Record<Horizon["unit"], string> = { day: "days", week: "weeks", month: "months" };

/** "39 weeks" or "12 months of 30 days". */
function horizonText(report: ClvReport): string {
  const { horizon, monthConvention } = report.options;
  const month = monthConvention === "30-day" ? "30 days" : "4.345 weeks";
  const text = `${horizon.value} ${UNIT_NAME[horizon.unit]}`;
  return horizon.unit === "month" ? `${text} of ${month}` : `${text} (${dec(report.horizonMonths, 2)} months of ${month})`;
}

const SKIPPED_BY_MODEL = "not fitted: leave it out of --model to skip it, add it to fit it";
const NO_AMOUNT = "not fitted: the file has no amount column (frequency models only)";

/** The `--json` document: the three fits under bgNbd / paretoNbd / gammaGamma, plus context. */
export function clvReportJson(report: ClvReport, context: ReportContext): Record<string, unknown> {
  const { options } = report;
  return {
    file: context.file,
    rowsRead: context.rowsRead,
    ignoredColumns: context.ignoredColumns,
    customers: report.customers,
    repeatBuyers: report.repeatBuyers,
    customersAfterCalibration: report.customersAfterCalibration,
    period: {
      firstTransaction: report.firstDay,
      lastTransaction: report.lastDay,
      calibrationEnd: report.calibrationEnd,
      timeUnit: options.timeUnit,
      timeZone: options.timeZone,
    },
    bgNbd: fitJson(report.bgNbd, SKIPPED_BY_MODEL, (f) => ({ iterations: f.iterations, uniqueTriples: f.uniqueTriples })),
    paretoNbd: fitJson(report.paretoNbd, SKIPPED_BY_MODEL, (f) => ({ iterations: f.iterations, uniqueTriples: f.uniqueTriples })),
    gammaGamma: fitJson(report.gammaGamma, NO_AMOUNT, (f) => ({
      iterations: f.iterations,
      customers: f.customers,
      excluded: f.excluded,
      excludedOneTime: f.excludedOneTime,
      excludedZeroSpend: f.excludedZeroSpend,
    })),
    predictions: report.predictions.ok
      ? {
          model: options.models[0],
          horizon: { ...options.horizon, inTimeUnit: report.horizonUnits, months: report.horizonMonths },
          monthConvention: options.monthConvention,
          monthlyDiscountRate: options.monthlyDiscountRate,
          margin: options.margin,
          customers: report.predictions.count,
          ...report.predictions.totals,
          out: context.out,
          notes: report.predictions.notes,
        }
      : { model: options.models[0], error: report.predictions.error },
    holdout: report.holdout,
    warnings: report.warnings,
    timingsMs: { ...context.timingsMs, ...report.timingsMs },
  };
}

const int = (n: number) => n.toLocaleString("en-US");
const dec = (n: number, digits: number) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const unitName = (report: ClvReport) => (report.options.timeUnit === "week" ? "weeks" : "days");

function fitLine<T extends AnyFit>(label: string, outcome: FitOutcome<T> | null, skipped: string, names: Record<string, string>): string {
  const head = label.padEnd(13);
  if (outcome === null) return `${head}${skipped}\n`;
  if (!outcome.ok) return `${head}not fitted: ${outcome.error}\n`;
  const params = Object.entries(outcome.fit.params as Record<string, number>)
    .map(([k, v]) => `${names[k] ?? k} ${dec(v, 4)}`)
    .join("  ");
  const converged = !outcome.fit.converged ? "NO" : outcome.fit.warnings.length > 0 ? "flagged" : "yes";
  return `${head}${params.padEnd(46)}${dec(outcome.fit.logLikelihood, 2).padStart(12)}  ${converged.padEnd(9)}${String(Math.round(outcome.ms)).padStart(6)} ms\n`;
}

/** The human-readable report printed without `--json`. */
export function formatClvTable(report: ClvReport, context: ReportContext): string {
  const { options } = report;
  const unit = unitName(report);
  let out = `CLV models for ${context.file}\n`;
  out += `  ${int(context.rowsRead)} transactions, ${report.firstDay} … ${report.lastDay} (calendar days in ${options.timeZone})\n`;
  out += `  calibration ${report.firstDay} … ${report.calibrationEnd}: ${int(report.customers)} customers, ${int(report.repeatBuyers)} repeat buyers; time unit ${unit}\n`;
  if (report.customersAfterCalibration > 0) {
    out += `  ${int(report.customersAfterCalibration)} customers first bought after ${report.calibrationEnd}: not fitted, not scored\n`;
  }
  if (context.ignoredColumns.length > 0) out += `  ignored columns: ${context.ignoredColumns.join(", ")}\n`;
  out += "\n";
  out += `${"Model".padEnd(13)}${"Parameters".padEnd(46)}${"Log-lik.".padStart(12)}  ${"Converged".padEnd(9)}${"Time".padStart(9)}\n`;
  out += fitLine("BG/NBD", report.bgNbd, SKIPPED_BY_MODEL, { alpha: "α" });
  out += fitLine("Pareto/NBD", report.paretoNbd, SKIPPED_BY_MODEL, { alpha: "α", beta: "β" });
  out += fitLine("Gamma-Gamma", report.gammaGamma, NO_AMOUNT, { gamma: "γ" });
  if (report.gammaGamma?.ok) {
    const f = report.gammaGamma.fit;
    out += `${" ".repeat(13)}(on ${int(f.customers)} repeat buyers with spend > 0; left out: ${int(f.excludedOneTime)} one-time buyers, ${int(f.excludedZeroSpend)} repeat buyers who spent 0)\n`;
  }
  for (const warning of report.warnings) out += `warning: ${warning}\n`;

  const { holdout } = report;
  if (holdout) {
    out += `\nHoldout ${holdout.start} … ${holdout.end} (${dec(holdout.length, 2)} ${unit}): repeat purchases per customer, actual vs predicted\n`;
    out += `  ${"x (calib.)".padEnd(11)}${"customers".padStart(10)}${"actual".padStart(10)}${"BG/NBD".padStart(10)}${"Pareto/NBD".padStart(12)}\n`;
    const cell = (v: number | null, width: number) => (v === null ? "—" : dec(v, 3)).padStart(width);
    for (const b of holdout.byFrequency) {
      out += `  ${`${b.frequency}${b.isOpenEnded ? "+" : ""}`.padEnd(11)}${int(b.customers).padStart(10)}${cell(b.actualMean, 10)}${cell(b.bgNbdMean, 10)}${cell(b.paretoNbdMean, 12)}\n`;
    }
    const total = (v: number | null, width: number) => (v === null ? "—" : dec(v, 1)).padStart(width);
    out += `  ${"total".padEnd(11)}${int(report.customers).padStart(10)}${total(holdout.totalActual, 10)}${total(holdout.totalPredicted.bgNbd, 10)}${total(holdout.totalPredicted.paretoNbd, 12)}\n`;
  }

  const driver = MODEL_LABEL[options.models[0] ?? "bgnbd"];
  out += `\nPredictions: ${driver}${report.hasAmount ? " + Gamma-Gamma" : " (no amounts: purchases only)"}, horizon ${horizonText(report)}`;
  out += report.hasAmount ? `, ${dec(options.monthlyDiscountRate * 100, 2)}% a month discount, margin ${options.margin}\n` : "\n";
  if (!report.predictions.ok) {
    out += `  none: ${report.predictions.error}\n`;
    return out;
  }
  const { totals } = report.predictions;
  out += `  mean P(alive) ${dec(totals.meanPAlive, 3)}; expected purchases ${dec(totals.expectedPurchases, 1)}\n`;
  if (totals.clvDiscountedMonthly !== null && totals.meanClvDiscountedMonthly !== null) {
    out += `  CLV (discounted monthly sum): total ${dec(totals.clvDiscountedMonthly, 2)}, mean ${dec(totals.meanClvDiscountedMonthly, 2)} per customer\n`;
  }
  for (const note of report.predictions.notes) out += `  note: ${note}\n`;
  out += context.out
    ? `  ${int(report.predictions.count)} rows written to ${context.out}\n`
    : "  per-customer rows: add --out predictions.csv\n";
  return out;
}

/** Columns of the `--out` file, in order. */
const PREDICTION_COLUMNS = [
  "customer_id",
  "frequency",
  "recency",
  "T",
  "monetary_value",
  "p_alive",
  "expected_purchases",
  "expected_spend",
  "clv_discounted_monthly",
] as const;

const SPEND_COLUMNS = new Set(["monetary_value", "expected_spend", "clv_discounted_monthly"]);

/** Columns of the `--out` file, in order; `dert` only when it was computed, no spend columns without amounts. */
export function predictionColumns(withDert: boolean, hasAmount = true): string[] {
  const columns = PREDICTION_COLUMNS.filter((c) => hasAmount || !SPEND_COLUMNS.has(c));
  return withDert ? [...columns, "dert"] : [...columns];
}


const SCALE = [1, 10, 100, 1e3, 1e4, 1e5, 1e6] as const;

/**
 * Rounds to `digits` decimals without trailing zeros ("" for a missing value): the text of
 * `Number(value.toFixed(digits))`. Scaling, rounding and dividing gives the same double (an exact
 * integer over a power of ten rounds like the decimal it stands for) except where the scaled value
 * sits within a hair of a half, which is left to toFixed's exact decimal rounding.
 */
export function csvNumber(value: number | null, digits: number): string {
  if (value === null || Number.isNaN(value)) return "";
  const scale = SCALE[digits] ?? 10 ** digits;
  const scaled = value * scale;
  if (Math.abs(scaled) < 1e12) {
    const rounded = Math.round(scaled);
    if (Math.abs(Math.abs(scaled - rounded) - 0.5) > 1e-6) return String(rounded / scale);
  }
  return String(Number(value.toFixed(digits)));
}

/**
 * One CSV line per customer, header first, LF line ends, batched a few thousand lines per write.
 * The cells that depend only on the customer's history are formatted once per distinct history.
 */
export function* predictionCsvLines(c: PredictionColumns, withDert: boolean, hasAmount = true): Generator<string> {
  yield `${predictionColumns(withDert, hasAmount).join(",")}\n`;
  const history: (string | undefined)[] = new Array<string | undefined>(c.triples.count);
  const model: (string | undefined)[] = new Array<string | undefined>(c.triples.count);
  let chunk = "";
  let count = 0;
  for (let i = 0; i < c.n; i++) {
    const k = c.triples.of[i] ?? 0;
    let h = history[k];
    if (h === undefined) {
      h = `,${c.triples.x[k] ?? 0},${csvNumber(c.triples.tx[k] ?? 0, 6)},${csvNumber(c.triples.T[k] ?? 0, 6)}`;
      history[k] = h;
    }
    let m = model[k];
    if (m === undefined) {
      m = `,${csvNumber(c.pAlive[k] ?? 0, 6)},${csvNumber(c.expectedPurchases[k] ?? 0, 6)}`;
      model[k] = m;
    }
    chunk += csvCell(c.customerId(i)) + h;
    if (hasAmount) chunk += `,${csvNumber(c.summary.monetaryValue[i] ?? 0, 4)}`;
    chunk += m;
    if (hasAmount) {
      const spend = c.expectedSpend[i] ?? Number.NaN;
      chunk += Number.isNaN(spend) ? ",," : `,${csvNumber(spend, 4)},${csvNumber((c.discountedPurchases[k] ?? 0) * spend * c.margin, 4)}`;
    }
    if (withDert) chunk += `,${csvNumber(c.dert[k] ?? Number.NaN, 6)}`;
    chunk += "\n";
    if (++count === 4096) {
      yield chunk;
      chunk = "";
      count = 0;
    }
  }
  if (chunk !== "") yield chunk;
}
