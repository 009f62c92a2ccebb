// Test/bench helper: reads the CDNOW reference files committed in `data/cdnow/`.
// Node-only (fs); never imported by library code.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Transaction } from "../summary.ts";

const here = dirname(fileURLToPath(import.meta.url));
/** packages/scoring/src/testing → repository root. */
const repoRoot = resolve(here, "../../../..");

/** The repository's CDNOW folder (`data/cdnow/`: the transaction log and the published summary). */
export const CDNOW_DIR = join(repoRoot, "data/cdnow");

/** Path of the CDNOW sample transaction log committed in the repository. */
export const CDNOW_SAMPLE_FILE = join(CDNOW_DIR, "CDNOW_sample.txt");

/** CDNOW sample transaction log; `customerId` is the sample id (1–2357), days as `YYYY-MM-DD`. */
export function loadCdnowTransactions(): Transaction[] {
  const text = readFileSync(CDNOW_SAMPLE_FILE, "utf8");
  const out: Transaction[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const [, sampleId, ymd, , value] = cols as [string, string, string, string, string];
    out.push({
      customerId: String(Number(sampleId)),
      at: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`,
      amount: Number(value),
    });
  }
  return out;
}

/** Rows of cdnow_customers_summary.csv (ID, frequency, recency, T in weeks, 2 decimals). */
export function loadCdnowSummaryCsv(): { id: string; frequency: number; recency: number; T: number }[] {
  const text = readFileSync(join(CDNOW_DIR, "cdnow_customers_summary.csv"), "utf8");
  const [, ...rows] = text.trim().split(/\r?\n/);
  return rows.map((row) => {
    const [id = "", f = "", r = "", t = ""] = row.split(",");
    return { id, frequency: Number(f), recency: Number(r), T: Number(t) };
  });
}

export { mulberry32 } from "../random.ts";
