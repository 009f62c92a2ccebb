// `ltvloop clv` end to end on the CDNOW sample: a real process, as analysts run it, pinned to
// the published fits (DESIGN §4.3), plus the line-numbered rejection of a malformed file.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTransactionsCsv } from "./transactions-csv.ts";
import { analyzeClv, type ClvOptions, type ClvReport } from "./clv.service.ts";
import { predictionCsvLines } from "./clv-report.ts";
import { conditionalExpectedPurchases } from "@ltvloop/scoring/clv";
import { runLtvloop } from "../../testing/cli.ts";
import { CDNOW_SAMPLE_FILE } from "@ltvloop/scoring/testing/cdnow";


/** The CDNOW log (master id, sample id, YYYYMMDD, CDs, dollars) as the command's CSV. */
async function cdnowCsv(): Promise<string> {
  const text = await readFile(CDNOW_SAMPLE_FILE, "utf8");
  let csv = "customer_id,ordered_at,amount\n";
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const [, sampleId = "", ymd = "", , dollars = ""] = cols;
    csv += `${Number(sampleId)},${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)},${dollars}\n`;
  }
  return csv;
}

const ltvloop = (...args: string[]) => runLtvloop(join(dir, "no-database-here"), ...args);

let dir: string;
let cdnowFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ltvloop-clv-"));
  cdnowFile = join(dir, "cdnow.csv");
  await writeFile(cdnowFile, await cdnowCsv());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface FitJson {
  converged: boolean;
  logLikelihood: number;
  error?: string;
  [param: string]: unknown;
}

describe("ltvloop clv (CLI)", () => {
  it("reproduces the published CDNOW fits and writes one prediction row per customer", { timeout: 120_000 }, async () => {
    const out = join(dir, "predictions.csv");
    const run = await ltvloop("clv", cdnowFile, "--calibration-end", "1997-09-30", "--json", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      customers: number;
      repeatBuyers: number;
      bgNbd: FitJson;
      paretoNbd: FitJson;
      gammaGamma: FitJson;
      holdout: { totalActual: number; byFrequency: unknown[] } | null;
      predictions: { customers: number };
    };
    expect(report.customers).toBe(2357);
    expect(report.repeatBuyers).toBe(946);
    // Fader, Hardie & Lee (2005), Marketing Science: r, α, a, b = 0.243, 4.414, 0.793, 2.426; LL −9582.4.
    expect(report.bgNbd).toMatchObject({ converged: true });
    expect(report.bgNbd.r).toBeCloseTo(0.243, 3);
    expect(report.bgNbd.alpha).toBeCloseTo(4.414, 2);
    expect(report.bgNbd.a).toBeCloseTo(0.793, 3);
    expect(report.bgNbd.b).toBeCloseTo(2.426, 2);
    expect(report.bgNbd.logLikelihood).toBeCloseTo(-9582.4, 1);
    // Same paper, Pareto/NBD: 0.553, 10.578, 0.606, 11.669; LL −9595.0.
    expect(report.paretoNbd).toMatchObject({ converged: true });
    expect(report.paretoNbd.r).toBeCloseTo(0.553, 3);
    expect(report.paretoNbd.alpha).toBeCloseTo(10.578, 2);
    expect(report.paretoNbd.s).toBeCloseTo(0.606, 3);
    expect(report.paretoNbd.beta).toBeCloseTo(11.669, 2);
    expect(report.paretoNbd.logLikelihood).toBeCloseTo(-9595.0, 1);
    // Fader, Hardie & Lee (2005), JMR / Fader & Hardie (2013): p, q, γ = 6.25, 3.74, 15.44.
    expect(report.gammaGamma).toMatchObject({ converged: true });
    expect(report.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(report.gammaGamma.q).toBeCloseTo(3.74, 2);
    expect(report.gammaGamma.gamma).toBeCloseTo(15.44, 1);
    // 1997-10-01 … 1998-06-30 is the papers' 39-week holdout.
    expect(report.holdout?.byFrequency.length).toBeGreaterThan(0);
    expect(report.holdout?.totalActual).toBe(1882);

    const lines = (await readFile(out, "utf8")).trimEnd().split("\n");
    expect(lines[0]).toBe("customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_spend,clv_discounted_monthly");
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(2357);
    expect(new Set(rows.map((r) => r[0])).size).toBe(2357);
    for (const r of rows) {
      const pAlive = Number(r[5]);
      expect(pAlive).toBeGreaterThanOrEqual(0);
      expect(pAlive).toBeLessThanOrEqual(1);
      expect(Number.isFinite(Number(r[8])) && r[8] !== "").toBe(true);
    }
    // Customer 1 (sample id 1) matches cdnow_customers_summary.csv: x = 2, t_x = 30.43, T = 38.86 weeks.
    const first = rows.find((r) => r[0] === "1");
    expect(first?.slice(1, 4).map((v) => Number(Number(v).toFixed(2)))).toEqual([2, 30.43, 38.86]);
    // The command works on the file alone: no embedded database was created.
    expect(existsSync(join(dir, "no-database-here"))).toBe(false);
  });

  it("rejects a malformed file with line-numbered messages, exit code 1 and no --out file", { timeout: 60_000 }, async () => {
    const bad = join(dir, "bad.csv");
    await writeFile(
      bad,
      ["customer_id,ordered_at,amount", "1,2024-01-05,100", "1,2024-02-30,120", "2,2024-01-07,80", "2,2024-03-01,-15", "3,2024-03-02,0"].join("\n"),
    );
    const out = join(dir, "bad-predictions.csv");
    const run = await ltvloop("clv", bad, "--out", out);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`ltvloop: ${bad} was rejected: 2 problems in 5 rows`);
    expect(run.stderr).toContain('  line 3, column ordered_at: "2024-02-30" is not a calendar date: 2024-02 has 29 days.');
    expect(run.stderr).toMatch(/ {2}line 5, column amount: amount must be 0 or more, got -15: leave refunds and cancellations out/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an --out that is a folder before reading the file", async () => {
    const run = await ltvloop("clv", cdnowFile, "--out", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`ltvloop: --out ${dir} is a folder: give a file name, e.g. --out ${join(dir, "predictions.csv")}.`);
    expect(run.stdout).toBe("");
  });

  it("lists its options in --help", async () => {
    const run = await ltvloop("clv", "--help");
    expect(run.code).toBe(0);
    for (const option of ["--encoding", "--calibration-end", "--time-unit", "--horizon", "--horizon-months", "--month", "--discount-rate", "--model", "--margin", "--time-zone", "--json", "--out", "--dert"]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain("customer_id,ordered_at[,amount]");
  });
});

describe("clv service", () => {
  const options: ClvOptions = {
    timeUnit: "week",
    horizon: { value: 12, unit: "month" },
    monthConvention: "30-day",
    monthlyDiscountRate: 0.01,
    models: ["bgnbd", "paretonbd"],
    margin: 1,
    timeZone: "Asia/Tokyo",
  };
  const analyze = async (csv: string, extra: Partial<ClvOptions> = {}) => {
    const data = await readTransactionsCsv(csv, { label: "test.csv" });
    return { data, report: analyzeClv(data.log, data.hasAmount, { ...options, ...extra }) };
  };
  const columnsOf = (report: ClvReport) => {
    if (!report.predictions.ok) throw new Error(report.predictions.error);
    return report.predictions.columns;
  };
  const rowsOf = (report: ClvReport) => {
    if (!report.predictions.ok) throw new Error(report.predictions.error);
    return [...report.predictions.rows()];
  };
  /** The CDNOW sample as the command's CSV, with each row's amount replaced. */
  const cdnowWith = async (amount: (customerId: number, amount: string) => string) =>
    (await cdnowCsv()).replace(/^(\d+),([\d-]+),([\d.]+)$/gm, (_all, id: string, day: string, value: string) => `${id},${day},${amount(Number(id), value)}`);

  it("refuses to predict when nobody repeats: the frequency models are not identifiable", async () => {
    const csv = "customer_id,ordered_at,amount,note\n" + Array.from({ length: 40 }, (_, i) => `c${i},2024-01-${String((i % 28) + 1).padStart(2, "0")},${100 + i},x`).join("\n");
    const { data, report } = await analyze(csv, { calibrationEnd: "2024-03-31" });
    expect(data.ignoredColumns).toEqual(["note"]);
    expect(report.bgNbd).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE" });
    expect(report.paretoNbd).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE" });
    expect(report.gammaGamma).toMatchObject({ ok: false, code: "NO_REPEAT_BUYERS" });
    expect(report.predictions).toMatchObject({ ok: false, error: expect.stringContaining("no customer made a repeat purchase") });
    expect(report.warnings.join(" ")).toContain("No customer bought twice");
  });

  it("refuses a calibration end after today and warns when the data stop long before it", { timeout: 60_000 }, async () => {
    const now = new Date("2026-12-05T08:00:00Z");
    const csv = await cdnowCsv();
    const data = await readTransactionsCsv(csv, { label: "cdnow.csv" });
    const refused = (() => {
      try {
        analyzeClv(data.log, true, { ...options, models: ["bgnbd"], calibrationEnd: "2030-01-01", now });
      } catch (error) {
        return error as Error & { problems: { path: string; reason: string }[] };
      }
      return undefined;
    })();
    expect(refused?.message).toBe(
      "--calibration-end 2030-01-01 is in the future (today is 2026-12-05 in Asia/Tokyo): the calibration period must end on a day already observed. Choose a day from 1997-01-01 to 1998-06-30, or leave it out (the last transaction day).",
    );
    expect(refused?.problems).toEqual([expect.objectContaining({ path: "calibrationEnd", reason: "IN_FUTURE" })]);
    // Half a year without one transaction, in a file of about 13 a day: said, not silently fitted.
    const late = analyzeClv(data.log, true, { ...options, models: ["bgnbd"], calibrationEnd: "1998-12-31", now });
    expect(late.warnings[0]).toMatch(/^--calibration-end 1998-12-31 is 184 days after the last transaction \(1998-06-30\), and at the file's 12\.7 transactions a day/);
    // The published calibration end, and the last transaction day, draw no such warning.
    for (const calibrationEnd of ["1997-09-30", "1998-06-30"]) {
      expect(analyzeClv(data.log, true, { ...options, models: ["bgnbd"], calibrationEnd, now }).warnings.join(" ")).not.toContain("after the last transaction");
    }
  });

  it("suggests the other model only when it was not fitted or its fit passed", async () => {
    const csv = "customer_id,ordered_at,amount\n" + Array.from({ length: 40 }, (_, i) => `c${i},2024-01-${String((i % 28) + 1).padStart(2, "0")},${100 + i}`).join("\n");
    const both = (await analyze(csv, { calibrationEnd: "2024-01-28" })).report;
    expect(both.paretoNbd).toMatchObject({ ok: false });
    expect(both.predictions).toMatchObject({ ok: false, error: expect.not.stringContaining("Try --model") });
    const alone = (await analyze(csv, { calibrationEnd: "2024-01-28", models: ["bgnbd"] })).report;
    expect(alone.predictions).toMatchObject({ ok: false, error: expect.stringMatching(/Try --model paretonbd\.$/) });
  });

  it("refuses to predict when every purchase is on the calibration-end day (every T = 0)", async () => {
    const csv = "customer_id,ordered_at,amount\n" + Array.from({ length: 30 }, (_, i) => `c${i},2024-05-01,${10 + i}`).join("\n");
    const { report } = await analyze(csv);
    expect(report.bgNbd).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE", error: expect.stringContaining("T is 0") });
    expect(report.predictions.ok).toBe(false);
  });

  it("refuses to predict from a single customer with 3 purchases", async () => {
    const { report } = await analyze("customer_id,ordered_at,amount\na,2024-01-01,10\na,2024-02-01,12\na,2024-03-01,11\n", { calibrationEnd: "2024-03-31" });
    expect(report.bgNbd).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE", error: expect.stringContaining("one customer") });
    expect(report.gammaGamma).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE" });
    expect(report.predictions.ok).toBe(false);
  });

  it("refuses Gamma-Gamma on constant spend with a reason and leaves the spend columns empty", async () => {
    // One row per customer and day, each of amount 1: every purchase day costs exactly 1.
    const seen = new Set<string>();
    const csv = (await cdnowWith(() => "1"))
      .split("\n")
      .filter((line) => {
        const key = line.split(",").slice(0, 2).join(",");
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .join("\n");
    const { report } = await analyze(csv, { calibrationEnd: "1997-09-30" });
    expect(report.gammaGamma).toMatchObject({ ok: false, code: "NOT_IDENTIFIABLE", error: expect.stringContaining("mean spend is the same") });
    const rows = rowsOf(report);
    expect(rows.every((r) => r.expectedSpend === null && r.clvDiscountedMonthly === null)).toBe(true);
    if (report.predictions.ok) expect(report.predictions.notes.join(" ")).toContain("Gamma-Gamma could not be fitted");
  });

  it("reports zero-spend repeat buyers separately and gives them no expected spend", async () => {
    const { report } = await analyze(await cdnowWith((id, value) => (id % 50 === 0 ? "0" : value)), { calibrationEnd: "1997-09-30" });
    expect(report.gammaGamma?.ok).toBe(true);
    if (!report.gammaGamma?.ok) return;
    const zeroSpenders = rowsOf(report).filter((r) => r.frequency > 0 && r.monetaryValue === 0);
    expect(zeroSpenders.length).toBeGreaterThan(0);
    expect(report.gammaGamma.fit.excludedZeroSpend).toBe(zeroSpenders.length);
    expect(report.gammaGamma.fit.excludedOneTime).toBe(rowsOf(report).filter((r) => r.frequency === 0).length);
    for (const r of zeroSpenders) expect(r.expectedSpend).toBeNull();
    expect(report.warnings.join(" ")).toContain("spent 0 on every repeat purchase");
  });

  it("reads a file without amounts for the frequency models only", async () => {
    const csv = (await cdnowCsv()).replace(/,[\d.]+$/gm, "").replace("customer_id,ordered_at,amount", "customer_id,ordered_at");
    const { data, report } = await analyze(csv, { calibrationEnd: "1997-09-30" });
    expect(data.hasAmount).toBe(false);
    expect(report.gammaGamma).toBeNull();
    expect(report.bgNbd?.ok).toBe(true);
    const lines = [...predictionCsvLines(columnsOf(report), false, false)].join("").trimEnd().split("\n");
    expect(lines[0]).toBe("customer_id,frequency,recency,T,p_alive,expected_purchases");
    expect(lines).toHaveLength(2358);
  });

  it("predicts over a horizon in weeks or days, and --model bgnbd skips Pareto/NBD", async () => {
    const csv = await cdnowCsv();
    const { report } = await analyze(csv, { calibrationEnd: "1997-09-30", horizon: { value: 39, unit: "week" }, models: ["bgnbd"] });
    expect(report.paretoNbd).toBeNull();
    if (!report.bgNbd?.ok) throw new Error("BG/NBD should fit");
    const model = { kind: "bg-nbd" as const, params: report.bgNbd.fit.params };
    const one = rowsOf(report).find((r) => r.customerId === "1");
    expect(one?.expectedPurchases).toBeCloseTo(conditionalExpectedPurchases(model, 39, { x: 2, tx: one?.recency ?? 0, T: one?.T ?? 0 }), 10);
    expect(report.horizonMonths).toBeCloseTo(9.1, 10);
    const days = analyzeClv((await readTransactionsCsv(csv, { label: "cdnow" })).log, true, { ...options, calibrationEnd: "1997-09-30", horizon: { value: 273, unit: "day" }, models: ["bgnbd"] });
    const sameInDays = days.predictions.ok ? [...days.predictions.rows()].find((r) => r.customerId === "1") : undefined;
    expect(sameInDays?.expectedPurchases).toBeCloseTo(one?.expectedPurchases ?? NaN, 12);
  });

  it("counts purchases per calendar day in the business time zone, for timestamps with and without a zone", async () => {
    // 23:30 UTC on Jan 1 is 08:30 on Jan 2 in Tokyo: the same day as the second row.
    const csv = "Amount,Customer_ID,Ordered_At\n100,a,2024-01-01T23:30Z\n50,a,2024-01-02 18:00\n70,a,2024/01/09\n0,b,2024-01-03\n";
    const data = await readTransactionsCsv(csv, { label: "zones.csv", timeZone: "Asia/Tokyo" });
    const s = data.log.summarize({ calibrationEnd: data.log.lastDay, unitDays: 1 });
    const a = data.log.customerIndex("a");
    const at = [...s.customer.subarray(0, s.n)].indexOf(a);
    expect([s.frequency[at], s.recency[at], s.T[at], s.monetaryValue[at]]).toEqual([1, 7, 7, 70]);
    expect(data.log.transactions).toBe(4);
  });
});
