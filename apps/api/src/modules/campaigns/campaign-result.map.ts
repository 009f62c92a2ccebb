// Stored measurement → GraphQL result. Results of an earlier method version (lift-1) lack the
// fields added later; what can be derived honestly is derived (the verdict from the stored
// interval, the fixed-horizon analysis), the rest is null.
import { verdictOf } from "@ltvloop/scoring/lift/fieller";
import { MONEY_METHOD, MONEY_METHOD_CODE, type CampaignEconomics } from "@ltvloop/scoring/lift/money";
import type { LiftSummary, MeasureResults, ResultRow } from "./campaign-measure.types.ts";
import type { CampaignResult } from "./campaign-result.type.ts";

const LEGACY_RELATIVE = "delta method (normal approximation; measured before lift-2, may disagree with the test)";

/** A stored lift with every field of the current method version. */
export function normalizeLift<T extends LiftSummary>(l: T): Required<LiftSummary> & T {
  const verdict = l.verdict ?? verdictOf(l.differenceCi);
  return {
    ...l,
    differenceMethod: l.differenceMethod ?? "interval stored with the test",
    relativeLiftMethod: l.relativeLiftMethod ?? LEGACY_RELATIVE,
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
    method: full.method ?? "measured before lift-2: no interval of the ROI",
    // Results stored before the code existed carry the same method text.
    methodCode: full.methodCode ?? (full.method === MONEY_METHOD ? MONEY_METHOD_CODE : null),
  };
}

export function toResultType(row: ResultRow): CampaignResult {
  const r = row.results;
  return {
    ...r,
    id: row.id,
    methodVersion: row.methodVersion,
    isProvisional: row.isProvisional,
    provisionalReasons: r.provisionalReasons ?? (row.isProvisional ? ["Measured before the outcome window ended."] : []),
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
    delivery: r.delivery ?? null,
    loyalty: r.loyalty ?? null,
    money: normalizeMoney(r.money),
    series: r.series.map((p) => ({ ...p, date: new Date(p.date) })),
  } as unknown as CampaignResult;
}
