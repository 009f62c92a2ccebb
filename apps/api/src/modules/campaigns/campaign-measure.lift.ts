// Turns the scoring package's test results into the stored LiftSummary: every figure says which
// method made it, the verdict is read from the interval that is shown, and a provisional look
// shows the always-valid (sequential) interval instead of the fixed-horizon one.
import type { MeanLift } from "@ltvloop/scoring/lift/mean";
import type { ProportionLift } from "@ltvloop/scoring/lift/proportion";
import { sequentialComparison } from "@ltvloop/scoring/lift/sequential";
import type { LiftSummary, Metric } from "./campaign-measure.types.ts";

export const ALPHA = 0.05;

export const METHODS = {
  proportionTest: "two-proportion z-test (unpooled standard error)",
  proportionDifference: "Wald interval with the test's unpooled standard error",
  welchTest: "Welch t-test",
  cupedTest: "CUPED (pre-period value of the same metric as covariate), Welch t-test",
  welchDifference: "Welch t interval (Welch–Satterthwaite degrees of freedom)",
  fieller: "Fieller interval of the ratio from the same test statistic and critical value",
  sequentialDifference: "always-valid confidence sequence (normal-mixture SPRT, τ² = the plan's variance at the window's end)",
  sequentialDifferenceNoPlan: "always-valid confidence sequence (normal-mixture SPRT, τ² = the variance at this look: the plan had no baseline variance)",
  sequentialRelative: "Fieller interval at the confidence sequence's critical value",
  sequentialTest: "always-valid p-value of the mixture SPRT",
} as const;

/** The winsorized revenue test's method text (the cap's percentile, e.g. 99). */
export const winsorizedTestMethod = (percentile: number) => `Welch t-test on revenue capped at the pooled ${percentile}th percentile`;

/** What a sequential look needs: the variance of the difference the mixture is tuned to. */
export interface SequentialSetting {
  /** τ² (metric units squared); null = use the variance at this look. */
  mixtureVariance: number | null;
}

interface Comparison {
  metric: Metric;
  method: string;
  differenceMethod: string;
  treatment: number;
  control: number;
  varMeanT: number;
  varMeanC: number;
  fixed: Pick<ProportionLift, "difference" | "differenceCi" | "relativeLift" | "relativeLiftCi" | "pValue" | "verdict">;
}

function summarize(c: Comparison, sequential: SequentialSetting | null): LiftSummary {
  const base = { metric: c.metric, treatment: c.treatment, control: c.control, difference: c.fixed.difference, relativeLift: c.fixed.relativeLift };
  if (!sequential) {
    return {
      ...base,
      method: c.method,
      differenceMethod: c.differenceMethod,
      relativeLiftMethod: METHODS.fieller,
      analysis: "fixed_horizon",
      differenceCi: c.fixed.differenceCi,
      relativeLiftCi: c.fixed.relativeLiftCi,
      pValue: c.fixed.pValue,
      verdict: c.fixed.verdict,
      isSignificant: c.fixed.verdict !== "no_detectable_change",
      fixedHorizon: null,
    };
  }
  const v = c.varMeanT + c.varMeanC;
  const planned = sequential.mixtureVariance !== null && sequential.mixtureVariance > 0;
  const tau2 = planned ? (sequential.mixtureVariance as number) : v > 0 ? v : 1e-12;
  const s = sequentialComparison(c.treatment, c.varMeanT, c.control, c.varMeanC, tau2, { alpha: ALPHA });
  return {
    ...base,
    method: `${METHODS.sequentialTest} (fixed-horizon test: ${c.method})`,
    differenceMethod: planned ? METHODS.sequentialDifference : METHODS.sequentialDifferenceNoPlan,
    relativeLiftMethod: METHODS.sequentialRelative,
    analysis: "sequential",
    differenceCi: s.differenceCi,
    relativeLiftCi: c.control !== 0 ? s.relativeLiftCi : null,
    pValue: s.pValue,
    verdict: s.verdict,
    isSignificant: s.verdict !== "no_detectable_change",
    fixedHorizon: { differenceCi: c.fixed.differenceCi, relativeLiftCi: c.fixed.relativeLiftCi, pValue: c.fixed.pValue, verdict: c.fixed.verdict },
  };
}

export function fromProportion(l: ProportionLift, sequential: SequentialSetting | null, n: { treatment: number; control: number }): LiftSummary {
  return summarize(
    {
      metric: "conversion",
      method: METHODS.proportionTest,
      differenceMethod: METHODS.proportionDifference,
      treatment: l.treatmentRate,
      control: l.controlRate,
      varMeanT: (l.treatmentRate * (1 - l.treatmentRate)) / n.treatment,
      varMeanC: (l.controlRate * (1 - l.controlRate)) / n.control,
      fixed: l,
    },
    sequential,
  );
}

export function fromMean(metric: Metric, l: MeanLift, sequential: SequentialSetting | null, method: string = METHODS.welchTest): LiftSummary {
  return summarize(
    {
      metric,
      method,
      differenceMethod: METHODS.welchDifference,
      treatment: l.treatment.mean,
      control: l.control.mean,
      varMeanT: l.treatment.variance / l.treatment.n,
      varMeanC: l.control.variance / l.control.n,
      fixed: l,
    },
    sequential,
  );
}
