import stdlibHyp2f1 from "@stdlib/math-base-special-hyp2f1";

const SERIES_MAX_TERMS = 20_000;

/**
 * Gauss hypergeometric 2F1(a, b; c; z) for 0 ≤ z < 1.
 *
 * Sums the defining power series with a relative convergence check; when the series would
 * need more than 20,000 terms (z very close to 1) it falls back to `@stdlib`'s Cephes-based
 * `hyp2f1`, which uses the 1 − z linear transformation there. Tests check both agree.
 *
 * @see Abramowitz & Stegun (1964), 15.1.1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (z === 0) return 1;
  let sum = 1;
  let term = 1;
  for (let k = 0; k < SERIES_MAX_TERMS; k += 1) {
    term *= (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
    if (!Number.isFinite(sum)) break;
  }
  return stdlibHyp2f1(a, b, c, z);
}

/** Above this z the series converges too slowly; the Cephes evaluation is tried first. */
const NEAR_ONE = 0.95;

/**
 * log 2F1(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, where every series term is positive.
 * Terms are accumulated relative to the running maximum, so results far beyond the double
 * range (heavy buyers: a, b ≈ 200) stay finite in log space. For z close to 1 the series
 * needs ~1/(1 − z) terms, so there `@stdlib`'s `hyp2f1` (which transforms z → 1 − z) answers
 * first; only when it overflows is the log-space series summed, for at most `nearOneBudget`
 * terms (optimisers pass a small budget and treat the NaN it may return as infeasible).
 */
export function logHyp2f1Positive(a: number, b: number, c: number, z: number, nearOneBudget = 10_000_000): number {
  if (z === 0) return 0;
  let maxTerms = 10_000_000;
  if (z > NEAR_ONE) {
    const value = stdlibHyp2f1(a, b, c, z);
    if (Number.isFinite(value) && value > 0) return Math.log(value);
    // Cephes overflowed and the series would need ~40/(1 − z) terms: give up on this point
    // after a bounded effort (NaN tells an optimiser the point is infeasible).
    maxTerms = nearOneBudget;
  }
  // log of the current term, and the sum scaled by exp(−scale).
  let logTerm = 0;
  let scale = 0;
  let sum = 1;
  let converged = false;
  for (let k = 0; k < maxTerms; k += 1) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    logTerm += Math.log(ratio);
    if (logTerm > scale) {
      sum = sum * Math.exp(scale - logTerm) + 1;
      scale = logTerm;
    } else {
      const rel = Math.exp(logTerm - scale);
      sum += rel;
      // The ratio of successive terms tends to z; once it is below 1, the remaining tail is at
      // most a geometric series with ratio max(ratio, z).
      const rho = Math.max(ratio, z);
      if (rho < 1 && (rel * rho) / (1 - rho) <= 1e-16 * sum) {
        converged = true;
        break;
      }
    }
  }
  return converged ? scale + Math.log(sum) : Number.NaN;
}
