// How `ltvloop clv` shows its result: a table for people, JSON for scripts, and the
// per-customer predictions CSV.
import { csvCell } from "../../http/csv.ts";
import type { ClvReport, CustomerPrediction, FitOutcome } from "./clv.service.ts";

/** Context the report does not know: where the data came from and where the rows went. */
export interface ReportContext {
  file: string;
  rowsRead: number;
  ignoredColumns: string[];
  out: string | null;
  timingsMs: Record<string, number>;
}

const MODEL_LABEL = { bgnbd: "BG/NBD", paretonbd: "Pareto/NBD" } as const;

function fitJson<T extends { params: object; logLikelihood: number; converged: boolean }>(
  outcome: FitOutcome<T>,
  extra: (fit: T) => Record<string, unknown>,
): Record<string, unknown> {
  if (!outcome.ok) return { converged: false, error: outcome.error, code: outcome.code, ms: outcome.ms };
  const { fit } = outcome;
  return { ...fit.params, logLikelihood: fit.logLikelihood, converged: fit.converged, ...extra(fit), ms: outcome.ms };
}

function predictionTotals(rows: readonly CustomerPrediction[]) {
  let pAlive = 0;
  let purchases = 0;
  let clv = 0;
  let withClv = 0;
  let dert = 0;
  let withDert = 0;
  for (const r of rows) {
    pAlive += r.pAlive;
    purchases += r.expectedPurchases;
    if (r.clvDiscountedMonthly !== null) {
      clv += r.clvDiscountedMonthly;
      withClv++;
    }
    if (r.dert !== null) {
      dert += r.dert;
      withDert++;
    }
  }
  const n = Math.max(rows.length, 1);
  return {
    meanPAlive: pAlive / n,
    expectedPurchases: purchases,
    clvDiscountedMonthly: withClv > 0 ? clv : null,
    meanClvDiscountedMonthly: withClv > 0 ? clv / withClv : null,
    dert: withDert > 0 ? dert : null,
  };
}

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
    bgNbd: fitJson(report.bgNbd, (f) => ({ iterations: f.iterations, uniqueTriples: f.uniqueTriples })),
    paretoNbd: fitJson(report.paretoNbd, (f) => ({ iterations: f.iterations, uniqueTriples: f.uniqueTriples })),
    gammaGamma: fitJson(report.gammaGamma, (f) => ({ iterations: f.iterations, customers: f.customers, excluded: f.excluded })),
    predictions: report.predictions.ok
      ? {
          model: options.model,
          horizonMonths: options.horizonMonths,
          monthlyDiscountRate: options.monthlyDiscountRate,
          margin: options.margin,
          customers: report.predictions.rows.length,
          ...predictionTotals(report.predictions.rows),
          out: context.out,
          notes: report.predictions.notes,
        }
      : { model: options.model, error: report.predictions.error },
    holdout: report.holdout,
    warnings: report.warnings,
    timingsMs: { ...context.timingsMs, ...report.timingsMs },
  };
}

const int = (n: number) => n.toLocaleString("en-US");
const dec = (n: number, digits: number) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const unitName = (report: ClvReport) => (report.options.timeUnit === "week" ? "weeks" : "days");

function fitLine<T extends { params: object; logLikelihood: number; converged: boolean }>(
  label: string,
  outcome: FitOutcome<T>,
  names: Record<string, string>,
): string {
  const head = label.padEnd(13);
  if (!outcome.ok) return `${head}not fitted: ${outcome.error}\n`;
  const params = Object.entries(outcome.fit.params as Record<string, number>)
    .map(([k, v]) => `${names[k] ?? k} ${dec(v, 4)}`)
    .join("  ");
  const converged = outcome.fit.converged ? "yes" : "NO (treat with care)";
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
  out += fitLine("BG/NBD", report.bgNbd, { alpha: "α" });
  out += fitLine("Pareto/NBD", report.paretoNbd, { alpha: "α", beta: "β" });
  out += fitLine("Gamma-Gamma", report.gammaGamma, { gamma: "γ" });
  if (report.gammaGamma.ok) {
    out += `${" ".repeat(13)}(on ${int(report.gammaGamma.fit.customers)} repeat buyers with spend > 0; mean spend of repeat purchases)\n`;
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

  out += `\nPredictions: ${MODEL_LABEL[options.model]} + Gamma-Gamma, ${options.horizonMonths} months of 30 days, ${dec(options.monthlyDiscountRate * 100, 2)}% a month discount, margin ${options.margin}\n`;
  if (!report.predictions.ok) {
    out += `  none: ${report.predictions.error}\n`;
    return out;
  }
  const totals = predictionTotals(report.predictions.rows);
  out += `  mean P(alive) ${dec(totals.meanPAlive, 3)}; expected purchases ${dec(totals.expectedPurchases, 1)}\n`;
  if (totals.clvDiscountedMonthly !== null && totals.meanClvDiscountedMonthly !== null) {
    out += `  CLV (discounted monthly sum): total ${dec(totals.clvDiscountedMonthly, 2)}, mean ${dec(totals.meanClvDiscountedMonthly, 2)} per customer\n`;
  }
  for (const note of report.predictions.notes) out += `  note: ${note}\n`;
  out += context.out
    ? `  ${int(report.predictions.rows.length)} rows written to ${context.out}\n`
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

/** Columns of the `--out` file, in order; `dert` only when it was computed. */
export function predictionColumns(withDert: boolean): string[] {
  return withDert ? [...PREDICTION_COLUMNS, "dert"] : [...PREDICTION_COLUMNS];
}


/** Rounds without trailing zeros; empty for a missing value. */
function csvNumber(value: number | null, digits: number): string {
  return value === null ? "" : String(Number(value.toFixed(digits)));
}

/** One CSV line per customer, header first, LF line ends. */
export function* predictionCsvLines(rows: readonly CustomerPrediction[], withDert: boolean): Generator<string> {
  yield `${predictionColumns(withDert).join(",")}\n`;
  for (const r of rows) {
    const cells = [
      csvCell(r.customerId),
      String(r.frequency),
      csvNumber(r.recency, 6),
      csvNumber(r.T, 6),
      csvNumber(r.monetaryValue, 4),
      csvNumber(r.pAlive, 6),
      csvNumber(r.expectedPurchases, 6),
      csvNumber(r.expectedSpend, 4),
      csvNumber(r.clvDiscountedMonthly, 4),
    ];
    if (withDert) cells.push(csvNumber(r.dert, 6));
    yield `${cells.join(",")}\n`;
  }
}
