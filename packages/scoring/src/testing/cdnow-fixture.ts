// Shared CDNOW calibration summary for tests (parsed once per test file).
import { summarizeTransactions } from "../summary.ts";
import type { CustomerSummary } from "../summary.ts";
import { loadCdnowTransactions } from "./cdnow.ts";

let cached: CustomerSummary[] | undefined;

/** CDNOW calibration summary: observation end 1997-09-30, weeks. */
export function cdnowCalibration(): CustomerSummary[] {
  cached ??= summarizeTransactions(loadCdnowTransactions(), { observationEnd: "1997-09-30", timeUnit: "week" });
  return cached;
}

/** The calibration summary as (x, t_x, T) triples. */
export function cdnowTriples(): { x: number; tx: number; T: number }[] {
  return cdnowCalibration().map((c) => ({ x: c.frequency, tx: c.recency, T: c.T }));
}
