import { assertFinite } from "../errors.ts";
import type { Interval } from "./interval.ts";

/** Inputs of {@link campaignEconomics}. */
export interface CampaignEconomicsInput {
  /** Treatment − control revenue per customer (currency units), e.g. a Welch/CUPED difference. */
  revenueLiftPerCustomer: number;
  /** Its confidence interval, scaled into the money figures when given. */
  revenueLiftCi?: Interval;
  /** Customers who received the treatment. */
  treatedCustomers: number;
  /** Gross margin as a fraction of revenue (0–1). */
  margin: number;
  costPerContact: number;
  fixedCost: number;
}

/** Money view of a campaign's measured lift. */
export interface CampaignEconomics {
  incrementalRevenue: number;
  incrementalRevenueCi: Interval | null;
  incrementalGrossProfit: number;
  incrementalGrossProfitCi: Interval | null;
  /** costPerContact × treated + fixed cost. */
  campaignCost: number;
  /** (incremental gross profit − campaign cost) / campaign cost; null when the cost is 0. */
  roi: number | null;
}

/**
 * Incremental revenue, incremental gross profit, campaign cost and ROI from the per-customer
 * lift measured against the holdout (lift × treated customers), so the money is causal, not
 * the treated group's total revenue.
 *
 * @see Kohavi, Tang & Xu (2020), Trustworthy Online Controlled Experiments, ch. 7 (OEC and ROI).
 */
export function campaignEconomics(input: CampaignEconomicsInput): CampaignEconomics {
  assertFinite(input.revenueLiftPerCustomer, "revenueLiftPerCustomer");
  assertFinite(input.treatedCustomers, "treatedCustomers", "nonNegative");
  assertFinite(input.margin, "margin");
  assertFinite(input.costPerContact, "costPerContact", "nonNegative");
  assertFinite(input.fixedCost, "fixedCost", "nonNegative");
  const scale = (v: number) => v * input.treatedCustomers;
  const incrementalRevenue = scale(input.revenueLiftPerCustomer);
  const incrementalGrossProfit = incrementalRevenue * input.margin;
  const ci = input.revenueLiftCi;
  const campaignCost = input.costPerContact * input.treatedCustomers + input.fixedCost;
  return {
    incrementalRevenue,
    incrementalRevenueCi: ci ? { lower: scale(ci.lower), upper: scale(ci.upper) } : null,
    incrementalGrossProfit,
    incrementalGrossProfitCi: ci ? { lower: scale(ci.lower) * input.margin, upper: scale(ci.upper) * input.margin } : null,
    campaignCost,
    roi: campaignCost > 0 ? (incrementalGrossProfit - campaignCost) / campaignCost : null,
  };
}
