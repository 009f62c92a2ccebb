import type { BtydModel } from "../../gql/graphql.ts";

interface Fit {
  logLikelihood?: number | null;
  error?: string | null;
}

export interface ModelComparison {
  bg: number;
  pareto: number;
  /** AIC difference, ≥ 0. */
  aic: number;
  /** The model with the lower AIC, or null when the difference is under 2 (the data does not tell them apart). */
  better: BtydModel | null;
}

/**
 * BG/NBD against Pareto/NBD when both were fitted on the same customers (a Pareto/NBD snapshot).
 * Both have four parameters, so the AIC difference is twice the log-likelihood difference; under
 * 2 AIC points neither is preferred. Null unless both fits have a log-likelihood.
 */
export function compareBtydFits(bgNbd: Fit, paretoNbd: Fit): ModelComparison | null {
  const bg = bgNbd.error ? null : bgNbd.logLikelihood;
  const pareto = paretoNbd.error ? null : paretoNbd.logLikelihood;
  if (bg == null || pareto == null || !Number.isFinite(bg) || !Number.isFinite(pareto)) return null;
  const aic = 2 * Math.abs(pareto - bg);
  return { bg, pareto, aic, better: aic < 2 ? null : pareto > bg ? "PARETO_NBD" : "BG_NBD" };
}
