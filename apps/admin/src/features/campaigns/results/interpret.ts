// Plain-language readings of the Check step's statistics (DESIGN §4.4): one line per metric
// saying whether the treatment moved it, which way, and how sure we are. The functions pick
// a message key and fill its parameters; the component translates.
import type { CampaignKpi, LiftAnalysis, LiftVerdict } from "../../../gql/graphql.ts";

/** Formatters bound to the user's language and currency (see useFormat). */
export interface StatFormat {
  percent(value: number | null | undefined, digits?: number): string;
  number(value: number | null | undefined, digits?: number): string;
  money(value: number | null | undefined): string;
  /** A difference of two rates in percentage points, e.g. "1.9 pt" / "1.9 ポイント". */
  points(value: number): string;
}

export interface Interval {
  lower: number;
  upper: number;
}

/** The fields of LiftEstimate (and WinsorizedLift / CUPED lift) the readings need. */
export interface LiftLike {
  metric: CampaignKpi;
  control: number;
  treatment: number;
  difference: number;
  differenceCi: Interval;
  relativeLift?: number | null;
  relativeLiftCi?: Interval | null;
  pValue: number;
  isSignificant: boolean;
  /** The API's verdict, read from the shown interval (absent on chart-only inputs). */
  verdict?: LiftVerdict | null;
  analysis?: LiftAnalysis | null;
  differenceMethod?: string | null;
  relativeLiftMethod?: string | null;
  method?: string | null;
  /** Stable codes of the three methods, worded by the admin (useMethodText). */
  methodCode?: string | null;
  differenceMethodCode?: string | null;
  relativeLiftMethodCode?: string | null;
}

export type Direction = "up" | "down" | "flat";

/**
 * Significantly up, significantly down, or not distinguishable from zero. The API's verdict
 * decides when present (it is read from the interval shown, so the words, the colour and the
 * interval agree); otherwise p < 0.05 as the API flagged it.
 */
export function direction(lift: { isSignificant: boolean; difference: number; verdict?: LiftVerdict | null }): Direction {
  if (lift.verdict) return lift.verdict === "INCREASE" ? "up" : lift.verdict === "DECREASE" ? "down" : "flat";
  if (!lift.isSignificant || lift.difference === 0) return "flat";
  return lift.difference > 0 ? "up" : "down";
}

/** "+1.2%" / "−0.4%": a sign on positive numbers too, so a lift reads as a change; none on one shown as zero ("0.0"). */
export function signed(text: string, value: number): string {
  return value > 0 && /[1-9]/.test(text) ? `+${text}` : text;
}

/** A p-value for a table cell: "0.042", and "< 0.001" below that. */
export function formatPValue(p: number | null | undefined, fmt: Pick<StatFormat, "number">): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return "—";
  return p < 0.001 ? `< ${fmt.number(0.001, 3)}` : fmt.number(p, 3);
}

/** p-values as analysts write them in a sentence: "p = 0.042", and "p < 0.001" below that. */
export function formatP(p: number | null | undefined, fmt: Pick<StatFormat, "number">): string {
  const v = formatPValue(p, fmt);
  return v.startsWith("<") ? `p ${v}` : `p = ${v}`;
}

/** A value of a metric in its unit: a rate, money per customer, or orders per customer. */
export function formatMetricValue(metric: CampaignKpi, value: number | null | undefined, fmt: StatFormat): string {
  if (metric === "CONVERSION") return fmt.percent(value, 1);
  if (metric === "REVENUE_PER_CUSTOMER") return fmt.money(value);
  return fmt.number(value, 3);
}

/** A treatment − control difference in the metric's unit: points for rates. */
export function formatMetricDifference(metric: CampaignKpi, value: number, fmt: StatFormat, withSign = true): string {
  const text = metric === "CONVERSION" ? fmt.points(value) : metric === "REVENUE_PER_CUSTOMER" ? fmt.money(value) : fmt.number(value, 3);
  return withSign ? signed(text, value) : text;
}

export interface Reading {
  /** Message key under campaignDetail.interpret. */
  key: string;
  params: Record<string, string>;
  direction: Direction;
}

/**
 * One line per metric. With a relative lift (control ≠ 0) the line gives the change in the
 * metric's unit and in percent with the relative 95% CI; without one it gives the absolute
 * difference and its CI.
 */
export function interpretLift(lift: LiftLike, fmt: StatFormat): Reading {
  const dir = direction(lift);
  const magnitude = (v: number) => formatMetricDifference(lift.metric, dir === "flat" ? v : Math.abs(v), fmt, dir === "flat");
  const params: Record<string, string> = { diff: magnitude(lift.difference), p: formatP(lift.pValue, fmt) };
  const hasRelative = lift.relativeLift !== null && lift.relativeLift !== undefined && Boolean(lift.relativeLiftCi);
  if (hasRelative) {
    const ci = lift.relativeLiftCi as Interval;
    params["rel"] = signed(fmt.percent(lift.relativeLift, 1), lift.relativeLift as number);
    params["lo"] = signed(fmt.percent(ci.lower, 1), ci.lower);
    params["hi"] = signed(fmt.percent(ci.upper, 1), ci.upper);
    return { key: dir, params, direction: dir };
  }
  params["lo"] = formatMetricDifference(lift.metric, lift.differenceCi.lower, fmt);
  params["hi"] = formatMetricDifference(lift.metric, lift.differenceCi.upper, fmt);
  return { key: `${dir}Abs`, params, direction: dir };
}

/** The fields of DidEstimate the reading needs. */
export interface DidLike {
  metric: CampaignKpi;
  treatmentPre: number;
  treatmentPost: number;
  controlPre: number;
  controlPost: number;
  estimate: number;
  ci: Interval;
  pValue: number;
  isSignificant: boolean;
}

/** Before/after: how much more the treatment group changed than the control group. */
export function interpretDid(did: DidLike, fmt: StatFormat): Reading {
  const dir = direction({ isSignificant: did.isSignificant, difference: did.estimate });
  return {
    key: `did.${dir}`,
    direction: dir,
    params: {
      diff: formatMetricDifference(did.metric, did.estimate, fmt),
      lo: formatMetricDifference(did.metric, did.ci.lower, fmt),
      hi: formatMetricDifference(did.metric, did.ci.upper, fmt),
      p: formatP(did.pValue, fmt),
    },
  };
}

/** The fields of CampaignMoney the reading needs. */
export interface MoneyLike {
  incrementalRevenue: number;
  incrementalRevenueCi?: Interval | null;
  incrementalGrossProfit: number;
  incrementalGrossProfitCi?: Interval | null;
  campaignCost: number;
  roi?: number | null;
  /** The API's ROI interval (lift-2 and later). */
  roiCi?: Interval | null;
  margin: number;
}

/**
 * ROI's 95% interval. ROI = (gross profit − cost) / cost with a fixed cost is increasing in
 * gross profit, so the gross profit interval's ends map to ROI's; null without a cost or CI.
 */
export function roiInterval(money: Pick<MoneyLike, "roiCi" | "incrementalGrossProfitCi" | "campaignCost">): Interval | null {
  if (money.roiCi) return money.roiCi;
  const ci = money.incrementalGrossProfitCi;
  if (!ci || !(money.campaignCost > 0)) return null;
  return { lower: (ci.lower - money.campaignCost) / money.campaignCost, upper: (ci.upper - money.campaignCost) / money.campaignCost };
}

export type MoneyVerdict = "profitable" | "loss" | "uncertain" | "noInterval" | "noSpread" | "noCost";

/**
 * How the ROI reads (the money card, the review form and the comparison): a win only when the
 * whole ROI interval is above 0, a loss when all of it is below, uncertain when it crosses 0 —
 * never a win by the point estimate. Without an interval: a result measured before intervals
 * existed (noInterval), or revenue without spread in either group, e.g. nobody has bought yet
 * (noSpread), which makes no claim at all.
 */
export function moneyVerdict(money: Pick<MoneyLike, "roiCi" | "incrementalGrossProfitCi" | "campaignCost"> & { methodCode?: string | null }): MoneyVerdict {
  if (!(money.campaignCost > 0)) return "noCost";
  const r = roiInterval(money);
  if (!r) return money.methodCode === "LEGACY_NO_ROI_INTERVAL" ? "noInterval" : "noSpread";
  return r.lower > 0 ? "profitable" : r.upper < 0 ? "loss" : "uncertain";
}

export type Payback = "profitable" | "loss" | "uncertain" | "profitableEstimate" | "lossEstimate" | "noCost";

/**
 * Does the campaign pay for itself? With an interval: only when all of it lies above (or below)
 * the cost is the answer firm; otherwise it is uncertain. Without one, the point estimate decides,
 * and the reading says so.
 */
export function payback(money: MoneyLike): Payback {
  if (!(money.campaignCost > 0)) return "noCost";
  const ci = money.incrementalGrossProfitCi;
  if (ci) {
    if (ci.lower > money.campaignCost) return "profitable";
    if (ci.upper < money.campaignCost) return "loss";
    return "uncertain";
  }
  return money.incrementalGrossProfit >= money.campaignCost ? "profitableEstimate" : "lossEstimate";
}

export function interpretMoney(money: MoneyLike, fmt: StatFormat): Reading {
  const verdict = payback(money);
  const ci = money.incrementalGrossProfitCi;
  return {
    key: `money.${verdict}`,
    direction: verdict === "profitable" || verdict === "profitableEstimate" ? "up" : verdict === "loss" || verdict === "lossEstimate" ? "down" : "flat",
    params: {
      gp: fmt.money(money.incrementalGrossProfit),
      lo: fmt.money(ci?.lower),
      hi: fmt.money(ci?.upper),
      cost: fmt.money(money.campaignCost),
      margin: fmt.percent(money.margin, 0),
    },
  };
}

/** The fields of StratumLift the summary needs. */
export interface StratumLike {
  difference?: number | null;
  pValue?: number | null;
  isSignificant: boolean;
}

/**
 * How many RF cells were tested (cells too small to test have no p-value) and how many differ
 * significantly after the Benjamini–Hochberg correction, by direction.
 */
export function strataSummary(strata: readonly StratumLike[]) {
  const tested = strata.filter((s) => s.pValue !== null && s.pValue !== undefined);
  const significant = tested.filter((s) => s.isSignificant);
  return {
    cells: strata.length,
    tested: tested.length,
    significant: significant.length,
    up: significant.filter((s) => (s.difference ?? 0) > 0).length,
    down: significant.filter((s) => (s.difference ?? 0) < 0).length,
  };
}
