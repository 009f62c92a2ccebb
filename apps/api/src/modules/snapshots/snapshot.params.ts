import type { RfmThresholds } from "../settings/settings.service.ts";

/** Everything a snapshot needs to be reproduced; stored in `snapshots.parameters`. */
export interface SnapshotParameters {
  /** The instant scores are computed at; orders before it count. ISO string. */
  asOf: string;
  /** Business time zone: purchase days and recency are counted in it. */
  timeZone: string;
  /** BTYD time unit; day resolution either way. */
  timeUnit: "week" | "day";
  /** Which model drives P(alive), expected purchases and predicted CLV. */
  model: "bg-nbd" | "pareto-nbd";
  /** Predicted CLV horizon in 30-day months (the `lifetimes` convention). */
  horizonMonths: number;
  /** Monthly discount rate of the predicted CLV. */
  monthlyDiscountRate: number;
  /** Gross margin applied to predicted and historical CLV. */
  margin: number;
  /** Frequency and monetary look back this many days; recency is always all history. */
  lookbackDays: number;
  rfmBinMode: "quantile" | "threshold";
  rfmThresholds: RfmThresholds;
  /** RF segment map rows R1..R5 × columns F1..F5 of segment keys. */
  rfSegmentMap: string[][];
  /** Historical CLTV's expected lifespan. */
  expectedLifespanYears: number;
  /** Holdout diagnostics: the last this many days are predicted from the days before. */
  holdoutDays: number;
  /** Above this many customers, models are fitted on a random sample of about this many. */
  fitSampleCustomers?: number;
}

export const SNAPSHOT_DEFAULTS = {
  timeUnit: "week",
  model: "bg-nbd",
  horizonMonths: 12,
  monthlyDiscountRate: 0.01,
  lookbackDays: 365,
  expectedLifespanYears: 3,
  holdoutDays: 182,
  fitSampleCustomers: 50_000,
} as const;
