// What the snapshot's model fits share: the time unit, the fit sample and the rule that a fit
// is used only when it converged without warnings.
import { fitRefusal } from "@ltvloop/scoring/btyd/fit-checks";

export const daysPerUnit = (unit: "week" | "day") => (unit === "week" ? 7 : 1);
const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Customers models are fitted on exactly; beyond it, on a random sample of about this many. */
export const FIT_SAMPLE_CUSTOMERS = 50_000;

/**
 * SQL condition over snap_base keeping one customer in `every`, chosen by a hash of the id:
 * deterministic, and independent of how ids were assigned.
 */
export function sampleCondition(every: number): string {
  if (!Number.isSafeInteger(every) || every < 1) throw new Error(`bad sampling interval ${every}`);
  return every === 1 ? "true" : `abs(hashint8(customer_id)::bigint) % ${every} = 0`;
}

/** A fit, or why it cannot be used: it threw, did not converge or carries warnings (see fitRefusal). */
export function tryFit<T extends { converged: boolean; warnings: string[] }>(fit: () => T, label: string): T | { error: string } {
  try {
    const result = fit();
    const refusal = fitRefusal(label, result);
    return refusal === null ? result : { error: refusal };
  } catch (error) {
    return { error: errorMessage(error) };
  }
}
