import { ScoringError } from "./errors.ts";

/** One completed purchase (refunds and cancellations are excluded upstream). */
export interface Transaction {
  customerId: string;
  /**
   * When the purchase happened: a `Date`, an ISO timestamp, or a plain calendar day
   * `YYYY-MM-DD` (taken as that day in the business time zone, no conversion).
   */
  at: Date | string;
  /** Amount spent (currency units, e.g. JPY). Must be ≥ 0. */
  amount: number;
}

/** Time unit of recency and T. `week` = days / 7 (day resolution), as in the BTYD papers. */
export type TimeUnit = "week" | "day";

/** Options of {@link summarizeTransactions}. */
export interface SummaryOptions {
  /** Inclusive end of the observation (calibration) period, as a calendar day. */
  observationEnd: Date | string;
  /** Unit of `recency` and `T` (default `week`). */
  timeUnit?: TimeUnit;
  /** IANA time zone that defines calendar days (default `Asia/Tokyo`). */
  timeZone?: string;
}

/** Per-customer BTYD/RFM sufficient statistics at `observationEnd`. */
export interface CustomerSummary {
  customerId: string;
  /** x: number of repeat purchase days (distinct purchase days − 1). */
  frequency: number;
  /** t_x: first → last purchase day, in `timeUnit`. 0 when `frequency` is 0. */
  recency: number;
  /** T: first purchase day → `observationEnd`, in `timeUnit`. */
  T: number;
  /** Mean spend per repeat purchase day (first day excluded); 0 when `frequency` is 0. */
  monetaryValue: number;
  /** First purchase day, `YYYY-MM-DD` in the business time zone. */
  firstPurchaseAt: string;
  /** Last purchase day, `YYYY-MM-DD` in the business time zone. */
  lastPurchaseAt: string;
  /** Sum of all amounts up to `observationEnd`, first day included. */
  totalSpend: number;
  /** Distinct purchase days (frequency + 1). */
  purchaseDays: number;
}

const MS_PER_DAY = 86_400_000;
/** Every real time zone offset is a multiple of 15 minutes, so local midnight falls on one. */
const BUCKET_MS = 900_000;
const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

interface DayResolver {
  formatter: Intl.DateTimeFormat;
  cache: Map<number, number>;
}

const resolvers = new Map<string, DayResolver>();

function resolverFor(timeZone: string): DayResolver {
  let resolver = resolvers.get(timeZone);
  if (resolver === undefined) {
    let formatter: Intl.DateTimeFormat;
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hourCycle: "h23",
      });
    } catch {
      throw new ScoringError("INVALID_INPUT", `Unknown time zone "${timeZone}"; use an IANA name such as "Asia/Tokyo".`);
    }
    resolver = { formatter, cache: new Map() };
    resolvers.set(timeZone, resolver);
  }
  return resolver;
}

function plainDateToDay(y: number, m: number, d: number, raw: string): number {
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new ScoringError("INVALID_DATE", `"${raw}" is not a valid calendar date (expected YYYY-MM-DD).`);
  }
  return ms / MS_PER_DAY;
}

/**
 * Calendar day number (days since 1970-01-01) of an instant in `timeZone`.
 *
 * Rules: a plain `YYYY-MM-DD` string is that calendar day; a `Date` exactly at UTC midnight is
 * taken as the calendar day it names (dates coming from SQL `date` columns); any other
 * instant is converted to the local calendar day of `timeZone`.
 */
export function calendarDay(at: Date | string, timeZone = "Asia/Tokyo"): number {
  let ms: number;
  if (typeof at === "string") {
    const plain = PLAIN_DATE.exec(at);
    if (plain) return plainDateToDay(Number(plain[1]), Number(plain[2]), Number(plain[3]), at);
    ms = Date.parse(at);
  } else {
    ms = at.getTime();
  }
  if (!Number.isFinite(ms)) {
    throw new ScoringError("INVALID_DATE", `"${String(at)}" is not a valid date or timestamp.`);
  }
  if (ms % MS_PER_DAY === 0) return ms / MS_PER_DAY;
  const resolver = resolverFor(timeZone);
  const bucket = Math.floor(ms / BUCKET_MS);
  const cached = resolver.cache.get(bucket);
  if (cached !== undefined) return cached;
  let y = 0;
  let m = 0;
  let d = 0;
  for (const part of resolver.formatter.formatToParts(ms)) {
    if (part.type === "year") y = Number(part.value);
    else if (part.type === "month") m = Number(part.value);
    else if (part.type === "day") d = Number(part.value);
  }
  const day = Date.UTC(y, m - 1, d) / MS_PER_DAY;
  if (resolver.cache.size > 200_000) resolver.cache.clear();
  resolver.cache.set(bucket, day);
  return day;
}

/** `YYYY-MM-DD` of a day number from {@link calendarDay}. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Days per unit. */
export function daysPerUnit(timeUnit: TimeUnit): number {
  return timeUnit === "week" ? 7 : 1;
}

interface Accumulator {
  customerId: string;
  /** purchase day → spend that day */
  days: Map<number, number>;
}

/**
 * Builds per-customer frequency / recency / T / monetary value from a transaction log, with the
 * conventions of the BTYD literature and `lifetimes`: purchases on the same local calendar day
 * are collapsed into one purchase day (spend summed); frequency counts repeat purchase days
 * (the first is not counted); recency and T run from the first purchase day; monetary value
 * is the mean spend of the repeat purchase days. Transactions after `observationEnd` are
 * ignored. Customers appear in order of their first transaction in the input.
 *
 * Amount rule: a zero amount still makes a purchase day (it was an order); a negative amount
 * is rejected with `NEGATIVE_AMOUNT` because refunds must be excluded upstream, never netted.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2), 275–284.
 */
export function summarizeTransactions(transactions: readonly Transaction[], options: SummaryOptions): CustomerSummary[] {
  const timeZone = options.timeZone ?? "Asia/Tokyo";
  const unitDays = daysPerUnit(options.timeUnit ?? "week");
  const endDay = calendarDay(options.observationEnd, timeZone);
  const byCustomer = new Map<string, Accumulator>();
  for (const t of transactions) {
    if (!Number.isFinite(t.amount)) {
      throw new ScoringError("INVALID_INPUT", `Transaction of customer ${t.customerId} has a non-numeric amount.`);
    }
    if (t.amount < 0) {
      throw new ScoringError(
        "NEGATIVE_AMOUNT",
        `Transaction of customer ${t.customerId} has a negative amount (${t.amount}); exclude refunds and cancellations before summarising.`,
      );
    }
    const day = calendarDay(t.at, timeZone);
    if (day > endDay) continue;
    let acc = byCustomer.get(t.customerId);
    if (acc === undefined) {
      acc = { customerId: t.customerId, days: new Map() };
      byCustomer.set(t.customerId, acc);
    }
    acc.days.set(day, (acc.days.get(day) ?? 0) + t.amount);
  }
  const out: CustomerSummary[] = [];
  for (const acc of byCustomer.values()) {
    let first = Infinity;
    let last = -Infinity;
    let total = 0;
    for (const [day, spend] of acc.days) {
      if (day < first) first = day;
      if (day > last) last = day;
      total += spend;
    }
    const purchaseDays = acc.days.size;
    const frequency = purchaseDays - 1;
    const firstSpend = acc.days.get(first) ?? 0;
    out.push({
      customerId: acc.customerId,
      frequency,
      recency: (last - first) / unitDays,
      T: (endDay - first) / unitDays,
      monetaryValue: frequency > 0 ? (total - firstSpend) / frequency : 0,
      firstPurchaseAt: formatDay(first),
      lastPurchaseAt: formatDay(last),
      totalSpend: total,
      purchaseDays,
    });
  }
  return out;
}

/** Options of {@link summarizeCalibrationHoldout}. */
export interface CalibrationHoldoutOptions {
  /** Inclusive last calendar day of the calibration period. */
  calibrationEnd: Date | string;
  /** Inclusive last calendar day of the holdout period. */
  holdoutEnd: Date | string;
  timeUnit?: TimeUnit;
  timeZone?: string;
}

/** Calibration summary plus what the customer did in the holdout period. */
export interface CalibrationHoldoutSummary extends CustomerSummary {
  /** Purchase days in the holdout period (all are repeat purchases). */
  holdoutPurchases: number;
  /** Spend in the holdout period. */
  holdoutSpend: number;
  /** Repeat purchase days, calibration and holdout, in `timeUnit` since the first purchase. */
  repeatPurchaseTimes: number[];
}

/**
 * Calibration summary (as {@link summarizeTransactions} with `observationEnd = calibrationEnd`)
 * plus holdout purchase days up to `holdoutEnd`, for holdout diagnostics. Only customers
 * whose first purchase is in the calibration period are included, as in the papers.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", §4.
 */
export function summarizeCalibrationHoldout(
  transactions: readonly Transaction[],
  options: CalibrationHoldoutOptions,
): CalibrationHoldoutSummary[] {
  const timeZone = options.timeZone ?? "Asia/Tokyo";
  const timeUnit = options.timeUnit ?? "week";
  const unitDays = daysPerUnit(timeUnit);
  const calEnd = calendarDay(options.calibrationEnd, timeZone);
  const holdEnd = calendarDay(options.holdoutEnd, timeZone);
  if (holdEnd < calEnd) {
    throw new ScoringError("INVALID_INPUT", "holdoutEnd must not be before calibrationEnd.");
  }
  const calibration = summarizeTransactions(transactions, { observationEnd: options.calibrationEnd, timeUnit, timeZone });
  const holdoutDays = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const day = calendarDay(t.at, timeZone);
    if (day <= calEnd || day > holdEnd) continue;
    let days = holdoutDays.get(t.customerId);
    if (days === undefined) {
      days = new Map();
      holdoutDays.set(t.customerId, days);
    }
    days.set(day, (days.get(day) ?? 0) + t.amount);
  }
  const calibrationDays = new Map<string, number[]>();
  for (const t of transactions) {
    const day = calendarDay(t.at, timeZone);
    if (day > calEnd) continue;
    let list = calibrationDays.get(t.customerId);
    if (list === undefined) {
      list = [];
      calibrationDays.set(t.customerId, list);
    }
    list.push(day);
  }
  return calibration.map((c) => {
    const first = calendarDay(c.firstPurchaseAt, timeZone);
    const hold = holdoutDays.get(c.customerId) ?? new Map<number, number>();
    const calDays = [...new Set(calibrationDays.get(c.customerId) ?? [])].filter((d) => d !== first);
    const repeatPurchaseTimes = [...calDays, ...hold.keys()].sort((p, q) => p - q).map((d) => (d - first) / unitDays);
    let holdoutSpend = 0;
    for (const v of hold.values()) holdoutSpend += v;
    return { ...c, holdoutPurchases: hold.size, holdoutSpend, repeatPurchaseTimes };
  });
}
