import { ScoringError } from "../errors.ts";

/**
 * Benjamini–Hochberg adjusted p-values (same order as the input): for the i-th smallest of m
 * p-values, min over j ≥ i of m·p₍ⱼ₎/j, capped at 1. Reject where adjusted ≤ the target false
 * discovery rate. Used for per-stratum (RFM cell / segment) lift.
 *
 * @see Benjamini & Hochberg (1995), "Controlling the False Discovery Rate", JRSS B 57(1), 289–300.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new ScoringError("INVALID_INPUT", `p-values must be in [0, 1], got ${p}.`);
  }
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k -= 1) {
    const item = order[k];
    if (item === undefined) continue;
    running = Math.min(running, (m * item.p) / (k + 1));
    adjusted[item.i] = Math.min(1, running);
  }
  return adjusted;
}

/** Which hypotheses Benjamini–Hochberg rejects at false discovery rate `fdr` (default 0.05). */
export function benjaminiHochbergRejects(pValues: readonly number[], fdr = 0.05): boolean[] {
  return benjaminiHochberg(pValues).map((p) => p <= fdr);
}
