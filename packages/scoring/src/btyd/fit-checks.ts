// What a maximum-likelihood fit can and cannot know. The optimisers always return a point; these
// checks say when that point carries no information (refused before fitting: NOT_IDENTIFIABLE)
// or sits where the likelihood is flat or degenerate (flagged after fitting: `warnings`), so
// that callers write predictions only from fits that pass (see {@link fitRefusal}).
import { ScoringError } from "../errors.ts";
import type { TripleColumns } from "./compress.ts";

/** Shape parameters (r, a, b, s, p, q) outside [1e-4, 1e4] are flagged as implausible. */
export const SHAPE_RANGE = [1e-4, 1e4] as const;
/** Scale parameters (α, β against the mean T; γ against the mean spend) outside this ratio range are flagged. */
export const SCALE_RATIO_RANGE = [1e-4, 1e4] as const;

/**
 * Refuses (x, t_x, T) data that cannot identify a BTYD model's four parameters: fewer than two
 * customers (no heterogeneity to learn), every T = 0 (no time observed after the first
 * purchase) or no repeat purchase at all (no purchase rate to learn). The optimiser would
 * otherwise return its starting point or run to a boundary and report it as converged.
 */
export function assertIdentifiableTriples(cols: TripleColumns, model: string): void {
  const customers = cols.totalWeight;
  let maxT = 0;
  let repeat = 0;
  for (let i = 0; i < cols.T.length; i += 1) {
    if ((cols.weight[i] ?? 0) <= 0) continue;
    maxT = Math.max(maxT, cols.T[i] ?? 0);
    if ((cols.x[i] ?? 0) > 0) repeat += cols.weight[i] ?? 0;
  }
  if (customers < 2) {
    throw new ScoringError(
      "NOT_IDENTIFIABLE",
      `${model} is not identifiable from ${customers === 1 ? "one customer" : "fewer than two customers"}: the model describes how purchase and dropout rates vary between customers, which one history cannot show. Fit it on a customer base (hundreds of customers or more).`,
    );
  }
  if (maxT === 0) {
    throw new ScoringError(
      "NOT_IDENTIFIABLE",
      `${model} is not identifiable: every customer's T is 0 (all first purchases are on the last day observed), so no time passed in which a purchase could be seen. Move the calibration end later, or include earlier transactions.`,
    );
  }
  if (repeat === 0) {
    throw new ScoringError(
      "NOT_IDENTIFIABLE",
      `${model} is not identifiable: no customer made a repeat purchase in the period, so the purchase rate cannot be estimated. Use a longer calibration period.`,
    );
  }
}

function outside(value: number, [low, high]: readonly [number, number]): boolean {
  return !(value >= low && value <= high);
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4))));

/**
 * Warnings for fitted parameters: shapes outside {@link SHAPE_RANGE}, scales outside
 * {@link SCALE_RATIO_RANGE} of the data's own scale, and (for a boxed search) log-parameters
 * at the box edge. Empty for a fit whose parameters are plausible.
 */
export function parameterWarnings(
  model: string,
  shapes: Record<string, number>,
  scales: Record<string, { value: number; reference: number; what: string }>,
  box?: { logParams: readonly number[]; limit: number },
): string[] {
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(shapes)) {
    if (outside(value, SHAPE_RANGE)) {
      warnings.push(
        `${model} parameter ${name} = ${fmt(value)} is outside the plausible range ${SHAPE_RANGE[0]}–${SHAPE_RANGE[1]}: the likelihood is flat or degenerate in that direction (too few customers, or customers too alike), so the estimate carries no information.`,
      );
    }
  }
  for (const [name, { value, reference, what }] of Object.entries(scales)) {
    if (reference > 0 && outside(value / reference, SCALE_RATIO_RANGE)) {
      warnings.push(
        `${model} parameter ${name} = ${fmt(value)} is implausible against ${what} (${fmt(reference)}): the ratio is outside ${SCALE_RATIO_RANGE[0]}–${SCALE_RATIO_RANGE[1]}, a sign of a degenerate fit.`,
      );
    }
  }
  if (box && box.logParams.some((u) => Math.abs(u) >= box.limit - 1e-3)) {
    warnings.push(`${model} stopped at the edge of its search box (a parameter at e^±${box.limit}): the maximum lies beyond it, so the estimates are not the maximum-likelihood ones.`);
  }
  return warnings;
}

/**
 * Why a fit must not drive predictions, or null when it passes: it did not converge or it
 * carries warnings. Callers write predictions only when this is null.
 */
export function fitRefusal(label: string, fit: { converged: boolean; warnings: readonly string[] }): string | null {
  if (!fit.converged) return `The ${label} fit did not converge: its parameters are not maximum-likelihood estimates, so no predictions are made from them.`;
  if (fit.warnings.length > 0) return `The ${label} fit is not trustworthy: ${fit.warnings.join(" ")}`;
  return null;
}
