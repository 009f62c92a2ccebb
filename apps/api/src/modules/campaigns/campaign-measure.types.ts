// The stored shape of a measurement (campaign_results.results, jsonb). Results written by an
// earlier method version lack the newer fields; the resolver fills what can be derived.
import type { LoyaltyResults } from "./campaign-measure.loyalty.ts";
import type { CampaignEconomics } from "@ltvloop/scoring/lift/money";
import type { Verdict } from "@ltvloop/scoring/lift/fieller";
import type { SrmResult } from "@ltvloop/scoring/lift/srm";

/** A two-sided 95% confidence interval. */
export interface Interval {
  lower: number;
  upper: number;
}

export type Metric = "conversion" | "revenue_per_customer" | "orders_per_customer";

/** Which analysis the headline figures of a lift come from. */
export type Analysis = "fixed_horizon" | "sequential";

export interface LiftSummary {
  metric: Metric;
  /** The test that produced the p-value and the verdict. */
  method: string;
  /** How the interval of the difference was made. */
  differenceMethod?: string;
  /** How the interval of the relative lift was made. */
  relativeLiftMethod?: string;
  /** fixed_horizon at or after the window's end; sequential (always-valid) for provisional looks. */
  analysis?: Analysis;
  treatment: number;
  control: number;
  difference: number;
  differenceCi: Interval;
  relativeLift: number | null;
  relativeLiftCi: Interval | null;
  pValue: number;
  /** increase / decrease / no_detectable_change, read from differenceCi (so it agrees with it, the relative interval and p < 0.05). */
  verdict?: Verdict;
  isSignificant: boolean;
  /** On a sequential look: the fixed-horizon figures of the same data, for reference only. */
  fixedHorizon?: { differenceCi: Interval; relativeLiftCi: Interval | null; pValue: number; verdict: Verdict } | null;
}

export interface GroupOutcome {
  group: "treatment" | "control";
  n: number;
  converters: number;
  conversion: number;
  orders: number;
  revenue: number;
  revenuePerCustomer: number;
  ordersPerCustomer: number;
  /** Revenue per order; null without orders. */
  averageOrderValue: number | null;
  preConversion: number;
  preRevenuePerCustomer: number;
  preOrdersPerCustomer: number;
}

export interface CupedSummary {
  metric: Metric;
  theta: number;
  varianceReduction: number;
  lift: LiftSummary;
}

export interface DidSummary {
  metric: Metric;
  treatmentPre: number;
  treatmentPost: number;
  controlPre: number;
  controlPost: number;
  estimate: number;
  ci: Interval;
  pValue: number;
  isSignificant: boolean;
}

export interface StratumLift {
  stratum: string;
  treatmentN: number;
  controlN: number;
  treatmentConversion: number | null;
  controlConversion: number | null;
  difference: number | null;
  differenceCi: Interval | null;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted over the tested strata. */
  adjustedPValue: number | null;
  isSignificant: boolean;
}

export interface SeriesPoint {
  day: number;
  date: string;
  treatmentConversion: number;
  controlConversion: number;
  treatmentRevenuePerCustomer: number;
  controlRevenuePerCustomer: number;
}

/** Per arm: who is still observable at measurement time (see campaign-measure.checks.ts). */
export interface ObservableArm {
  group: "treatment" | "control";
  roster: number;
  /** Customers whose purchase history up to the snapshot is still on record. */
  observable: number;
  /** Customers whose orders up to the snapshot are no longer all on record (deleted, merged or lost in a feed). */
  historyMissing: number;
  /** Customers who opted out of the campaign's channel after launch (still measured: intention to treat). */
  optedOutAfterLaunch: number;
}

export interface SrmSummary extends SrmResult {
  plannedHoldoutRatio: number;
  observedHoldoutRatio: number;
  /** What the chi-square compares: observable customers per arm against the roster's split. */
  basis?: "observable_customers" | "roster";
  arms?: ObservableArm[];
}

/** One arm's delivery records (customers with at least one row of each kind, up to the counted time). */
export interface DeliveryArm {
  group: "treatment" | "control";
  roster: number;
  /** Customers with any delivery row. */
  contacted: number;
  contactedShare: number;
  /** Customers with the reached event. */
  reached: number;
  reachedShare: number;
  events: { event: string; customers: number; share: number }[];
}

/**
 * A check of the delivery records against the roster: NO_DELIVERY_DATA, CONTROL_CONTACTED
 * (contamination), LOW_DELIVERY_COVERAGE, NO_REACHED_EVENTS, REACHED_AFTER_WINDOW, WEAK_COMPLIANCE.
 */
export interface DeliveryWarning {
  code: string;
  severity: "error" | "warning" | "info";
  customers: number | null;
  share: number | null;
}

/** The complier average causal effect of one metric next to its ITT lift. */
export interface ComplierSummary {
  metric: Metric;
  itt: number;
  ittCi: Interval;
  estimate: number | null;
  ci: Interval | null;
  /** bounded; unbounded (the compliance is not distinguishable from 0); undefined (no one reached). */
  intervalKind: "bounded" | "unbounded" | "undefined";
  verdict: Verdict;
  isSignificant: boolean;
  /** Delta-method standard error, for reference. */
  standardError: number | null;
  /** The critical value of the ITT interval shown, used for Fieller's interval. */
  critical: number;
  analysis: Analysis;
  method: string;
}

export interface DeliveryResults {
  hasData: boolean;
  /** The event that counts as reached (delivered unless chosen otherwise). */
  reachedEvent: string;
  rows: number;
  arms: DeliveryArm[];
  reachedTreatment: number;
  reachedControl: number;
  /** reachedTreatment − reachedControl: the CACE's denominator. */
  compliance: number;
  /** Customers reached only after the counted window (not counted as reached). */
  reachedAfterWindow: number;
  coverageThreshold: number;
  warnings: DeliveryWarning[];
  conversion: ComplierSummary | null;
  revenuePerCustomer: ComplierSummary | null;
  method: string;
}

export interface MeasureResults {
  windowFrom: string;
  windowTo: string;
  prePeriodFrom: string;
  prePeriodTo: string;
  measuredAt: string;
  /** Orders counted up to here (exclusive): the window's end, or the measurement time or the data watermark when earlier. */
  countedUntil?: string;
  isProvisional: boolean;
  /** Why the result is provisional (empty when final). */
  provisionalReasons?: string[];
  /** The "orders complete up to" watermark at measurement time; null when unknown. */
  ordersCompleteUntil?: string | null;
  primaryKpi: Metric;
  groups: GroupOutcome[];
  primary: LiftSummary;
  conversion: LiftSummary;
  revenuePerCustomer: LiftSummary;
  revenuePerCustomerWinsorized: LiftSummary & { percentile: number; cap: number; cappedTreatment: number; cappedControl: number };
  ordersPerCustomer: LiftSummary;
  cuped: CupedSummary[];
  did: DidSummary[];
  srm: SrmSummary;
  strata: StratumLift[];
  /** Exposure: delivery rates, checks and the CACE (lift-3 and later). */
  delivery?: DeliveryResults;
  /** Loyalty offer: points per arm and the bonus liability (campaigns with an offer; absent before migration 0016). */
  loyalty?: LoyaltyResults | null;
  money: (CampaignEconomics | Omit<CampaignEconomics, "loyaltyCost" | "netProfit" | "netProfitCi" | "roiCi" | "probabilityRoiPositive" | "isProfitable" | "method">) & {
    margin: number;
    marginSource: "campaign" | "settings";
  };
  series: SeriesPoint[];
}

export interface ResultRow {
  id: number;
  campaignId: number;
  methodVersion: string;
  isProvisional: boolean;
  results: MeasureResults;
  computedByEmail: string | null;
  computedAt: Date;
}
