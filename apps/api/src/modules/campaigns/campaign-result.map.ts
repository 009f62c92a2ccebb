// Stored measurement → GraphQL result. Results of an earlier method version (lift-1) lack the
// fields added later; what can be derived honestly is derived (the verdict from the stored
// interval, the fixed-horizon analysis), the rest is null.
import { verdictOf } from "@ltvloop/scoring/lift/fieller";
import type { CampaignEconomics } from "@ltvloop/scoring/lift/money";
import type { LiftSummary, MeasureResults, ResultRow } from "./campaign-measure.types.ts";
import type { CampaignResult } from "./campaign-result.type.ts";
import { LEGACY_METHODS, methodCode, PROVISIONAL_REASONS, provisionalReasonCode } from "./method-codes.ts";

interface LiftCodes {
  methodCode: string | null;
  differenceMethodCode: string | null;
  relativeLiftMethodCode: string | null;
}

/** A stored lift with every field of the current method version, and its methods' codes. */
export function normalizeLift<T extends LiftSummary>(l: T): Required<LiftSummary> & LiftCodes & T {
  const verdict = l.verdict ?? verdictOf(l.differenceCi);
  const differenceMethod = l.differenceMethod ?? LEGACY_METHODS.difference;
  const relativeLiftMethod = l.relativeLiftMethod ?? LEGACY_METHODS.relative;
  return {
    ...l,
    differenceMethod,
    relativeLiftMethod,
    methodCode: methodCode(l.method),
    differenceMethodCode: methodCode(differenceMethod),
    relativeLiftMethodCode: methodCode(relativeLiftMethod),
    analysis: l.analysis ?? "fixed_horizon",
    verdict,
    isSignificant: verdict !== "no_detectable_change",
    fixedHorizon: l.fixedHorizon ?? null,
  };
}

export function normalizeMoney(m: MeasureResults["money"]) {
  const full = m as Partial<CampaignEconomics> & MeasureResults["money"];
  return {
    ...m,
    loyaltyCost: full.loyaltyCost ?? 0,
    netProfit: full.netProfit ?? null,
    netProfitCi: full.netProfitCi ?? null,
    roiCi: full.roiCi ?? null,
    probabilityRoiPositive: full.probabilityRoiPositive ?? null,
    isProfitable: full.isProfitable ?? false,
    method: full.method ?? LEGACY_METHODS.money,
    methodCode: methodCode(full.method ?? LEGACY_METHODS.money),
  };
}

/** The delivery analysis with its methods' codes (the CACE's, on the analysis and each estimate). */
function withDeliveryCodes(d: MeasureResults["delivery"]) {
  if (!d) return null;
  const estimate = <E extends { method: string } | null>(e: E) => (e ? { ...e, methodCode: methodCode(e.method) } : null);
  return { ...d, methodCode: methodCode(d.method), conversion: estimate(d.conversion), revenuePerCustomer: estimate(d.revenuePerCustomer) };
}

export function toResultType(row: ResultRow): CampaignResult {
  const r = row.results;
  const provisionalReasons = r.provisionalReasons ?? (row.isProvisional ? [PROVISIONAL_REASONS.legacy] : []);
  return {
    ...r,
    id: row.id,
    methodVersion: row.methodVersion,
    isProvisional: row.isProvisional,
    provisionalReasons,
    provisionalReasonCodes: provisionalReasons.map(provisionalReasonCode),
    countedUntil: new Date(r.countedUntil ?? (row.isProvisional ? r.measuredAt : r.windowTo)),
    ordersCompleteUntil: r.ordersCompleteUntil ? new Date(r.ordersCompleteUntil) : null,
    computedAt: row.computedAt,
    computedBy: row.computedByEmail,
    windowFrom: new Date(r.windowFrom),
    windowTo: new Date(r.windowTo),
    prePeriodFrom: new Date(r.prePeriodFrom),
    prePeriodTo: new Date(r.prePeriodTo),
    primary: normalizeLift(r.primary),
    conversion: normalizeLift(r.conversion),
    revenuePerCustomer: normalizeLift(r.revenuePerCustomer),
    revenuePerCustomerWinsorized: normalizeLift(r.revenuePerCustomerWinsorized),
    ordersPerCustomer: normalizeLift(r.ordersPerCustomer),
    cuped: r.cuped.map((c) => ({ ...c, lift: normalizeLift(c.lift) })),
    srm: { ...r.srm, basis: r.srm.basis ?? "roster", arms: r.srm.arms ?? [] },
    delivery: withDeliveryCodes(r.delivery),
    loyalty: r.loyalty ? { ...r.loyalty, methodCode: methodCode(r.loyalty.method) } : null,
    money: normalizeMoney(r.money),
    series: r.series.map((p) => ({ ...p, date: new Date(p.date) })),
  } as unknown as CampaignResult;
}
