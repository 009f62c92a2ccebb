import tCdf from "@stdlib/stats-base-dists-t-cdf";
import { assertFinite } from "../errors.ts";
import type { Interval } from "./interval.ts";

/** Inputs of {@link campaignEconomics}. */
export interface CampaignEconomicsInput {
  /** Treatment − control revenue per customer (currency units), e.g. a Welch/CUPED difference. */
  revenueLiftPerCustomer: number;
  /** Its confidence interval, scaled into the money figures when given. */
  revenueLiftCi?: Interval;
  /** Standard error of the lift and the degrees of freedom of its t distribution, for P(ROI > 0). */
  revenueLiftStandardError?: number;
  degreesOfFreedom?: number;
  /** Customers who received the treatment. */
  treatedCustomers: number;
  /** Gross margin as a fraction of revenue (0–1). */
  margin: number;
  costPerContact: number;
  fixedCost: number;
  /** Further known cost, e.g. a loyalty offer's bonus-points liability (≥ 0, default 0). */
  loyaltyCost?: number;
}

/** A stable code for MONEY_METHOD, for clients that word the method in their own language. */
export const MONEY_METHOD_CODE = "WELCH_T_LINEAR";

/** How the money intervals are made (stated in the API and the UI). */
export const MONEY_METHOD =
  "Welch t interval of the revenue lift per customer × treated customers × margin; cost is known, so net profit and ROI are linear in the lift and their intervals are exact transforms of it (no delta method or bootstrap needed); P(ROI > 0) from the same t distribution";

/** Money view of a campaign's measured lift. */
export interface CampaignEconomics {
  incrementalRevenue: number;
  incrementalRevenueCi: Interval | null;
  incrementalGrossProfit: number;
  incrementalGrossProfitCi: Interval | null;
  /** costPerContact × treated + fixed cost + loyalty cost. */
  campaignCost: number;
  /** The part of the cost that is a loyalty offer's liability (0 without one). */
  loyaltyCost: number;
  /** Incremental gross profit − campaign cost. */
  netProfit: number;
  netProfitCi: Interval | null;
  /** (incremental gross profit − campaign cost) / campaign cost; null when the cost is 0. */
  roi: number | null;
  /**
   * The interval of the ROI; null when the cost is 0, no lift interval was given, or the lift's
   * interval has no width (no spread in either group's revenue, e.g. nobody has bought yet: a
   * zero-width interval would claim certainty the data does not have).
   */
  roiCi: Interval | null;
  /**
   * P(ROI > 0) = P(net profit > 0) read from the lift's t distribution centred on the estimate
   * (a confidence-distribution probability, not a Bayesian posterior); null without a standard
   * error, with a standard error of 0 (no spread), or when the cost is 0.
   */
  probabilityRoiPositive: number | null;
  /** True only when the whole ROI interval is above 0 (an interval crossing 0 is never a win). */
  isProfitable: boolean;
  /** How the figures were derived, in words; the API gives it a stable code (its method-code table maps this text to MONEY_METHOD_CODE). */
  method: string;
}

/**
 * Incremental revenue, incremental gross profit, campaign cost, net profit and ROI from the
 * per-customer lift measured against the holdout (lift × treated customers), so the money is
 * causal, not the treated group's total revenue. Each figure carries the interval of the lift
 * mapped through the same (linear) formula.
 *
 * @see Kohavi, Tang & Xu (2020), Trustworthy Online Controlled Experiments, ch. 7 (OEC and ROI).
 */
export function campaignEconomics(input: CampaignEconomicsInput): CampaignEconomics {
  assertFinite(input.revenueLiftPerCustomer, "revenueLiftPerCustomer");
  assertFinite(input.treatedCustomers, "treatedCustomers", "nonNegative");
  assertFinite(input.margin, "margin");
  assertFinite(input.costPerContact, "costPerContact", "nonNegative");
  assertFinite(input.fixedCost, "fixedCost", "nonNegative");
  const loyaltyCost = input.loyaltyCost ?? 0;
  assertFinite(loyaltyCost, "loyaltyCost", "nonNegative");
  const n = input.treatedCustomers;
  const m = input.margin;
  const campaignCost = input.costPerContact * n + input.fixedCost + loyaltyCost;
  const revenue = (lift: number) => lift * n;
  const profit = (lift: number) => lift * n * m;
  const net = (lift: number) => profit(lift) - campaignCost;
  const roiOf = (lift: number) => net(lift) / campaignCost;
  // A zero-width lift interval comes only from revenue without spread in both groups: no interval.
  const ci = input.revenueLiftCi && input.revenueLiftCi.upper > input.revenueLiftCi.lower ? input.revenueLiftCi : undefined;
  // Margin ≥ 0 keeps every transform increasing, so the bounds map to bounds.
  const map = (f: (v: number) => number): Interval | null => (ci ? { lower: f(ci.lower), upper: f(ci.upper) } : null);
  const roiCi = campaignCost > 0 ? map(roiOf) : null;
  let probabilityRoiPositive: number | null = null;
  const se = input.revenueLiftStandardError;
  if (campaignCost > 0 && se !== undefined && Number.isFinite(se) && se > 0) {
    if (n * m <= 0) probabilityRoiPositive = 0;
    else {
      const breakEvenLift = campaignCost / (n * m);
      probabilityRoiPositive = 1 - tCdf((breakEvenLift - input.revenueLiftPerCustomer) / se, input.degreesOfFreedom ?? 1e9);
    }
  }
  return {
    incrementalRevenue: revenue(input.revenueLiftPerCustomer),
    incrementalRevenueCi: map(revenue),
    incrementalGrossProfit: profit(input.revenueLiftPerCustomer),
    incrementalGrossProfitCi: map(profit),
    campaignCost,
    loyaltyCost,
    netProfit: net(input.revenueLiftPerCustomer),
    netProfitCi: map(net),
    roi: campaignCost > 0 ? roiOf(input.revenueLiftPerCustomer) : null,
    roiCi,
    probabilityRoiPositive,
    isProfitable: roiCi !== null ? roiCi.lower > 0 : ci !== undefined && campaignCost === 0 && ci.lower > 0 && m > 0,
    method: MONEY_METHOD,
  };
}
