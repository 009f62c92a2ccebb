import { assertFinite } from "./errors.ts";

/** Inputs of {@link historicalClv}, all explicit. */
export interface HistoricalClvInput {
  /** Average order value (currency units per order). */
  averageOrderValue: number;
  /** Orders per year. */
  purchaseFrequencyPerYear: number;
  /** Expected customer lifespan in years. */
  expectedLifespanYears: number;
  /** Gross margin as a fraction of revenue (0–1). */
  margin: number;
  /** Cost of acquiring the customer (currency units; default 0). */
  acquisitionCost?: number;
}

/**
 * Historical CLTV, the traditional formula of CRM practice:
 * average order value × purchase frequency per year × expected lifespan in years × margin −
 * acquisition cost. Currency units. It ignores discounting and churn heterogeneity; use the
 * predictive CLV (`clv.ts`) when a fitted model is available.
 *
 * @see Kumar & Reinartz (2016), "Creating Enduring Customer Value", Journal of Marketing 80(6)
 * (historical vs. forward-looking CLV).
 */
export function historicalClv(input: HistoricalClvInput): number {
  assertFinite(input.averageOrderValue, "averageOrderValue", "nonNegative");
  assertFinite(input.purchaseFrequencyPerYear, "purchaseFrequencyPerYear", "nonNegative");
  assertFinite(input.expectedLifespanYears, "expectedLifespanYears", "nonNegative");
  assertFinite(input.margin, "margin");
  const acquisitionCost = input.acquisitionCost ?? 0;
  assertFinite(acquisitionCost, "acquisitionCost");
  return input.averageOrderValue * input.purchaseFrequencyPerYear * input.expectedLifespanYears * input.margin - acquisitionCost;
}
