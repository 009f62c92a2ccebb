import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ScoringError, assertFinite } from "../errors.ts";

/** Test settings shared by the planning functions. */
export interface PowerSettings {
  /** Share of the segment held out as control, in (0, 1). */
  holdoutRatio: number;
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Power (default 0.8). */
  power?: number;
}

function zSum(settings: PowerSettings): number {
  const alpha = settings.alpha ?? 0.05;
  const power = settings.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1) || !(power > 0 && power < 1)) {
    throw new ScoringError("INVALID_INPUT", `alpha and power must be in (0, 1), got ${alpha}, ${power}.`);
  }
  if (!(settings.holdoutRatio > 0 && settings.holdoutRatio < 1)) {
    throw new ScoringError("INVALID_INPUT", `holdoutRatio must be in (0, 1), got ${settings.holdoutRatio}.`);
  }
  return normalQuantile(1 - alpha / 2, 0, 1) + normalQuantile(power, 0, 1);
}

/** Minimum detectable effect, absolute and relative to the baseline. */
export interface MinimumDetectableEffect {
  /** Smallest detectable treatment − control difference (rate points or metric units). */
  absolute: number;
  /** absolute / baseline. */
  relative: number;
  treatmentSize: number;
  controlSize: number;
}

/**
 * Minimum detectable (upward) effect on a conversion rate for a segment of `n` customers
 * split by `holdoutRatio`: the smallest δ with (z₁₋α/₂ + z_power)·SE(δ) = δ, where SE uses
 * the baseline variance in control and the variance at baseline + δ in treatment (solved
 * by fixed-point iteration).
 *
 * @see Chow, Shao & Wang (2008), Sample Size Calculations in Clinical Research, §4.2.
 */
export function minimumDetectableEffectProportion(input: { n: number; baselineRate: number } & PowerSettings): MinimumDetectableEffect {
  const z = zSum(input);
  const p = input.baselineRate;
  if (!(p > 0 && p < 1)) throw new ScoringError("INVALID_INPUT", `baselineRate must be in (0, 1), got ${p}.`);
  const controlSize = input.n * input.holdoutRatio;
  const treatmentSize = input.n - controlSize;
  if (!(controlSize >= 1 && treatmentSize >= 1)) throw new ScoringError("INVALID_INPUT", "Segment too small: each group needs at least one customer.");
  let delta = z * Math.sqrt(p * (1 - p) * (1 / controlSize + 1 / treatmentSize));
  for (let k = 0; k < 100; k += 1) {
    const pt = Math.min(p + delta, 1 - 1e-12);
    const next = z * Math.sqrt((p * (1 - p)) / controlSize + (pt * (1 - pt)) / treatmentSize);
    if (Math.abs(next - delta) < 1e-14) break;
    delta = next;
  }
  return { absolute: delta, relative: delta / p, treatmentSize, controlSize };
}

/**
 * Minimum detectable difference in a per-customer mean (revenue or orders per customer) for a
 * segment of `n` customers: (z₁₋α/₂ + z_power)·σ·√(1/n_t + 1/n_c).
 *
 * @see Chow, Shao & Wang (2008), §3.2.
 */
export function minimumDetectableEffectMean(
  input: { n: number; baselineMean: number; standardDeviation: number } & PowerSettings,
): MinimumDetectableEffect {
  const z = zSum(input);
  assertFinite(input.standardDeviation, "standardDeviation", "nonNegative");
  const controlSize = input.n * input.holdoutRatio;
  const treatmentSize = input.n - controlSize;
  if (!(controlSize >= 1 && treatmentSize >= 1)) throw new ScoringError("INVALID_INPUT", "Segment too small: each group needs at least one customer.");
  const absolute = z * input.standardDeviation * Math.sqrt(1 / controlSize + 1 / treatmentSize);
  return { absolute, relative: input.baselineMean !== 0 ? absolute / input.baselineMean : Infinity, treatmentSize, controlSize };
}

/** Required group sizes (rounded up). */
export interface SampleSize {
  total: number;
  treatment: number;
  control: number;
}

function sizes(totalExact: number, holdoutRatio: number): SampleSize {
  // Round each group up so both meet the requirement.
  const control = Math.ceil(totalExact * holdoutRatio - 1e-9);
  const treatment = Math.ceil(totalExact * (1 - holdoutRatio) - 1e-9);
  return { total: control + treatment, treatment, control };
}

/**
 * Segment size needed to detect a conversion lift from `baselineRate` to
 * `baselineRate + absoluteEffect` with the given holdout ratio:
 * N = (z₁₋α/₂ + z_power)² [p_c(1−p_c)/h + p_t(1−p_t)/(1−h)] / δ².
 *
 * @see Chow, Shao & Wang (2008), §4.2.
 */
export function requiredSampleSizeProportion(input: { baselineRate: number; absoluteEffect: number } & PowerSettings): SampleSize {
  const z = zSum(input);
  const pc = input.baselineRate;
  const pt = pc + input.absoluteEffect;
  if (!(pc > 0 && pc < 1 && pt > 0 && pt < 1) || input.absoluteEffect === 0) {
    throw new ScoringError("INVALID_INPUT", "baselineRate and baselineRate + absoluteEffect must be in (0, 1) and the effect non-zero.");
  }
  const h = input.holdoutRatio;
  const total = (z * z * ((pc * (1 - pc)) / h + (pt * (1 - pt)) / (1 - h))) / input.absoluteEffect ** 2;
  return sizes(total, h);
}

/**
 * Segment size needed to detect a difference `absoluteEffect` in a per-customer mean with
 * standard deviation σ: N = (z₁₋α/₂ + z_power)² σ² [1/h + 1/(1−h)] / δ².
 *
 * @see Chow, Shao & Wang (2008), §3.2.
 */
export function requiredSampleSizeMean(input: { standardDeviation: number; absoluteEffect: number } & PowerSettings): SampleSize {
  const z = zSum(input);
  assertFinite(input.standardDeviation, "standardDeviation", "positive");
  if (!(Math.abs(input.absoluteEffect) > 0)) throw new ScoringError("INVALID_INPUT", "absoluteEffect must be non-zero.");
  const h = input.holdoutRatio;
  const total = (z * z * input.standardDeviation ** 2 * (1 / h + 1 / (1 - h))) / input.absoluteEffect ** 2;
  return sizes(total, h);
}
