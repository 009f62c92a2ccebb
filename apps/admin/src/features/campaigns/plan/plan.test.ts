import { describe, expect, it } from "vitest";
import type { CampaignDraftQuery } from "../../../gql/graphql.ts";
import { formatKpiChange, formatKpiLevel, formatRelative, formatWithInterval } from "./kpi-format.ts";
import {
  emptyPlanForm,
  fieldOfProblemPath,
  formatAmountInput,
  parseAmountInput,
  firstStepWithErrors,
  formFromDraft,
  fromPercentInput,
  isoToZonedDate,
  planEconomics,
  toCreateInput,
  toPercentInput,
  toUpdateInput,
  validatePlan,
  zonedDateToIso,
  type PlanForm,
} from "./plan-form.ts";
import { mdeRows, planWarnings, powerVariables, powerVerdict, type PowerPlan } from "./power.ts";

const valid = (over: Partial<PlanForm> = {}): PlanForm => ({
  ...emptyPlanForm("6"),
  name: "At-risk win-back",
  objective: "WIN_BACK",
  channel: "EMAIL",
  expectedLift: 0.2,
  ...over,
});

describe("plan validation mirrors the API's bounds", () => {
  it("a complete plan has no problems", () => {
    expect(validatePlan(valid())).toEqual({});
  });

  it("a blank new plan needs a segment, a name, an objective and a channel, on steps 1 and 2", () => {
    const errors = validatePlan(emptyPlanForm());
    expect(Object.keys(errors).sort()).toEqual(["channel", "name", "objective", "segmentId"]);
    expect(firstStepWithErrors(errors)).toBe(0);
    expect(firstStepWithErrors(validatePlan(emptyPlanForm("6")))).toBe(1);
  });

  it("refuses a blank or too long name", () => {
    expect(validatePlan(valid({ name: "   " })).name?.key).toBe("nameRequired");
    expect(validatePlan(valid({ name: "x".repeat(201) })).name).toEqual({ key: "tooLong", params: { max: 200 } });
    expect(validatePlan(valid({ name: "x".repeat(200) })).name).toBeUndefined();
  });

  it("holds the holdout strictly between 0 and 1", () => {
    expect(validatePlan(valid({ holdoutRatio: 0 })).holdoutRatio?.key).toBe("holdout");
    expect(validatePlan(valid({ holdoutRatio: 1 })).holdoutRatio?.key).toBe("holdout");
    expect(validatePlan(valid({ holdoutRatio: null })).holdoutRatio?.key).toBe("holdoutRequired");
    expect(validatePlan(valid({ holdoutRatio: 0.999 })).holdoutRatio).toBeUndefined();
    expect(firstStepWithErrors(validatePlan(valid({ holdoutRatio: 0 })))).toBe(2);
  });

  it("takes an expected lift above 0 and at most 100 (10 000%), or none", () => {
    expect(validatePlan(valid({ expectedLift: 0 })).expectedLift?.key).toBe("expectedLift");
    expect(validatePlan(valid({ expectedLift: 100.5 })).expectedLift?.key).toBe("expectedLift");
    expect(validatePlan(valid({ expectedLift: null })).expectedLift).toBeUndefined();
  });

  it("wants whole days from 1 to 730 and money of 0 or more", () => {
    expect(validatePlan(valid({ outcomeWindowDays: 0 })).outcomeWindowDays?.key).toBe("days");
    expect(validatePlan(valid({ outcomeWindowDays: 731 })).outcomeWindowDays?.key).toBe("days");
    expect(validatePlan(valid({ outcomeWindowDays: 14.5 })).outcomeWindowDays?.key).toBe("days");
    expect(validatePlan(valid({ prePeriodDays: 800 })).prePeriodDays?.key).toBe("days");
    expect(validatePlan(valid({ costPerContact: -1 })).costPerContact?.key).toBe("nonNegative");
    expect(validatePlan(valid({ fixedCost: null })).fixedCost?.key).toBe("moneyRequired");
    expect(validatePlan(valid({ margin: 1.2 })).margin?.key).toBe("margin");
    expect(firstStepWithErrors(validatePlan(valid({ fixedCost: -5 })))).toBe(3);
  });

  it("does not let the primary KPI be a guardrail too", () => {
    expect(validatePlan(valid({ guardrailKpis: ["CONVERSION"] })).guardrailKpis?.key).toBe("guardrailIsPrimary");
    expect(validatePlan(valid({ guardrailKpis: ["REVENUE_PER_CUSTOMER"] })).guardrailKpis).toBeUndefined();
  });

  it("maps API problem paths to the wizard's fields", () => {
    expect(fieldOfProblemPath("input.holdoutRatio")).toBe("holdoutRatio");
    expect(fieldOfProblemPath("input.guardrailKpis.1")).toBe("guardrailKpis");
    expect(fieldOfProblemPath("segmentId")).toBe("segmentId");
    expect(fieldOfProblemPath("input.assignmentSeed")).toBeNull();
  });
});

describe("business dates", () => {
  it("a planned start is midnight in the business time zone", () => {
    expect(zonedDateToIso("2026-12-01", "Asia/Tokyo")).toBe("2026-11-30T15:00:00.000Z");
    expect(zonedDateToIso("2026-12-01", "UTC")).toBe("2026-12-01T00:00:00.000Z");
    // Summer time in New York: UTC−4 on the day after the switch, UTC−5 on the day before.
    expect(zonedDateToIso("2026-03-09", "America/New_York")).toBe("2026-03-09T04:00:00.000Z");
    expect(zonedDateToIso("2026-03-07", "America/New_York")).toBe("2026-03-07T05:00:00.000Z");
  });

  it("reads an instant back as the business date", () => {
    expect(isoToZonedDate("2026-11-30T15:00:00.000Z", "Asia/Tokyo")).toBe("2026-12-01");
    expect(isoToZonedDate("2026-11-30T15:00:00.000Z", "UTC")).toBe("2026-11-30");
  });
});

describe("GraphQL inputs", () => {
  it("create sends trimmed text, the pre-period and the zoned start, and drops a guardrail equal to the primary", () => {
    const input = toCreateInput(valid({ name: "  Win-back  ", plannedStart: "2026-12-01", outcomeWindowDays: 45, guardrailKpis: ["REVENUE_PER_CUSTOMER"] }), "Asia/Tokyo");
    expect(input).toMatchObject({
      name: "Win-back",
      segmentId: "6",
      objective: "WIN_BACK",
      channel: "EMAIL",
      holdoutRatio: 0.1,
      outcomeWindowDays: 45,
      prePeriodDays: 45,
      plannedStart: "2026-11-30T15:00:00.000Z",
      expectedLift: 0.2,
      margin: null,
      guardrailKpis: ["REVENUE_PER_CUSTOMER"],
    });
    expect(input.snapshotId).toBeUndefined();
  });

  it("update sends cleared optional fields as null so the server clears them", () => {
    const input = toUpdateInput(valid({ expectedLift: null, plannedStart: null, prePeriodDays: 14 }), "UTC");
    expect(input.expectedLift).toBeNull();
    expect(input.plannedStart).toBeNull();
    expect(input.prePeriodDays).toBe(14);
  });

  it("a loaded draft fills the form, keeping the pre-period linked when it equals the window", () => {
    const draft: CampaignDraftQuery["campaign"] = {
      id: "3",
      name: "Loyal basket coupon (cycle 2)",
      status: "DRAFT",
      segmentId: "2",
      snapshotId: "4",
      objective: "UPSELL",
      hypothesis: "h",
      channel: "COUPON",
      offer: "o",
      loyaltyOffer: null,
      primaryKpi: "REVENUE_PER_CUSTOMER",
      guardrailKpis: ["CONVERSION"],
      expectedLift: 0.1,
      holdoutRatio: 0.3,
      costPerContact: 0,
      fixedCost: 50000,
      margin: null,
      outcomeWindowDays: 30,
      prePeriodDays: 30,
      plannedStart: "2026-11-30T15:00:00.000Z",
      parentCampaignId: "2",
    };
    const form = formFromDraft(draft, "Asia/Tokyo");
    expect(form).toMatchObject({ segmentId: "2", snapshotId: "4", prePeriodDays: null, plannedStart: "2026-12-01", holdoutRatio: 0.3 });
    expect(toCreateInput(form, "Asia/Tokyo").snapshotId).toBe("4");
    expect(formFromDraft({ ...draft, prePeriodDays: 60 }, "UTC").prePeriodDays).toBe(60);
  });

  it("a loyalty offer is checked like the API and sent with only its own field; a draft's offer fills the form", () => {
    expect(validatePlan(valid({ loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: null })).loyaltyMultiplier?.key).toBe("multiplierRequired");
    expect(validatePlan(valid({ loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: 1 })).loyaltyMultiplier?.key).toBe("multiplier");
    expect(validatePlan(valid({ loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: 10.5 })).loyaltyMultiplier?.key).toBe("multiplier");
    expect(validatePlan(valid({ loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: 1.5 })).loyaltyMultiplier).toBeUndefined();
    expect(validatePlan(valid({ loyaltyOfferKind: "BONUS_STAMPS", loyaltyBonusStamps: 0 })).loyaltyBonusStamps?.key).toBe("bonusStamps");
    // A multiplier left in the form is ignored once another kind (or none) is chosen.
    expect(validatePlan(valid({ loyaltyOfferKind: null, loyaltyMultiplier: 0 }))).toEqual({});
    expect(toCreateInput(valid({ loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: 2, loyaltyBonusStamps: 3 }), "UTC").loyaltyOffer).toEqual({ kind: "BONUS_POINTS", multiplier: 2, bonusStamps: null });
    expect(toUpdateInput(valid({ loyaltyOfferKind: null }), "UTC").loyaltyOffer).toBeNull();
    expect(fieldOfProblemPath("input.loyaltyOffer.multiplier")).toBe("loyaltyMultiplier");
    expect(fieldOfProblemPath("loyaltyOffer")).toBe("loyaltyOfferKind");
  });

  it("amount inputs group digits and read them back", () => {
    expect(formatAmountInput(30000, "ja-JP")).toBe("30,000");
    expect(formatAmountInput(null, "en-US")).toBe("");
    expect(parseAmountInput("30,000")).toBe(30000);
    expect(parseAmountInput(" 12.5 ")).toBe(12.5);
    expect(parseAmountInput("")).toBeNull();
    expect(parseAmountInput("abc")).toBeNull();
  });

  it("percent inputs round-trip without floating-point noise", () => {
    expect(toPercentInput(0.07)).toBe(7);
    expect(toPercentInput(0.123)).toBe(12.3);
    expect(fromPercentInput(7)).toBe(0.07);
    expect(fromPercentInput(null)).toBeNull();
  });
});

describe("plan economics (as the API's campaignEconomics)", () => {
  it("costs only the treated and breaks even at cost ÷ margin", () => {
    const e = planEconomics({ costPerContact: 20, fixedCost: 30_000, margin: 0.3, treatmentSize: 1_000, baselineRevenuePerCustomer: 500 });
    expect(e?.cost).toBe(50_000);
    expect(e?.breakEvenRevenue).toBeCloseTo(166_666.67, 2);
    expect(e?.breakEvenPerTreated).toBeCloseTo(166.67, 2);
    expect(e?.breakEvenRelativeLift).toBeCloseTo(0.3333, 4);
  });

  it("has no break-even without a margin or a baseline, and nothing before the size is known", () => {
    const e = planEconomics({ costPerContact: 10, fixedCost: 0, margin: 0, treatmentSize: 100, baselineRevenuePerCustomer: 0 });
    expect(e?.cost).toBe(1_000);
    expect(e?.breakEvenRevenue).toBeNull();
    expect(planEconomics({ costPerContact: 10, fixedCost: 0, margin: 0.3, treatmentSize: 100, baselineRevenuePerCustomer: 0 })?.breakEvenRelativeLift).toBeNull();
    expect(planEconomics({ costPerContact: 10, fixedCost: 0, margin: 0.3, treatmentSize: null, baselineRevenuePerCustomer: 100 })).toBeNull();
  });
});

const basePlan: PowerPlan = {
  baselineSource: "segment_history",
  daysToDetect: null,
  snapshotId: "4",
  snapshotAsOf: "2026-11-23T15:00:00.000Z",
  segmentMembers: 3725,
  optedOut: 2017,
  eligibleCustomers: 1708,
  treatmentSize: 1367,
  controlSize: 341,
  holdoutRatio: 0.2,
  baselineFrom: "2026-10-24T15:00:00.000Z",
  baselineTo: "2026-11-23T15:00:00.000Z",
  baselineConversion: 0.8718,
  baselineRevenuePerCustomer: 9833.98,
  baselineRevenueStandardDeviation: 13051.3,
  baselineOrdersPerCustomer: 1.6628,
  mdeConversion: { absolute: 0.0544, relative: 0.0624 },
  mdeRevenuePerCustomer: { absolute: 2211.84, relative: 0.2249 },
  mdeOrdersPerCustomer: { absolute: 0.2313, relative: 0.1391 },
  primaryKpi: "REVENUE_PER_CUSTOMER",
  expectedLift: 0.1,
  isUnderpowered: true,
  requiredSegmentSize: 8642,
  overlappingCustomers: 0,
  overlappingCampaignIds: [],
  warnings: [
    { code: "SMALL_CONTROL_GROUP", message: "small" },
    { code: "UNDERPOWERED", message: "under" },
  ],
  computedAt: "2026-11-24T00:00:00.000Z",
};
const numbers = { locale: "en-US", currency: "JPY" };
const ctx = { outcomeWindowDays: 30, prePeriodDays: 30, kpiLabel: (k: string) => k.toLowerCase(), numbers };

describe("power analysis for the planner", () => {
  it("asks only once a segment and a channel are chosen and the holdout and window are valid", () => {
    expect(powerVariables(valid({ channel: null }))).toBeNull();
    expect(powerVariables(valid({ segmentId: null }))).toBeNull();
    expect(powerVariables(valid({ holdoutRatio: 1 }))).toBeNull();
    expect(powerVariables(valid({ outcomeWindowDays: 0 }))).toBeNull();
    expect(powerVariables(valid({ holdoutRatio: 0.25, primaryKpi: "ORDERS_PER_CUSTOMER" }))).toEqual({
      segmentId: "6",
      snapshotId: null,
      channel: "EMAIL",
      holdoutRatio: 0.25,
      outcomeWindowDays: 30,
      primaryKpi: "ORDERS_PER_CUSTOMER",
      objective: "WIN_BACK",
      expectedLift: 0.2,
    });
  });

  it("leaves out an invalid expected lift instead of stopping the analysis", () => {
    expect(powerVariables(valid({ expectedLift: -0.1 }))?.expectedLift).toBeNull();
  });

  it("lists the primary KPI's MDE first and hides a meaningless zero-baseline MDE", () => {
    const rows = mdeRows(basePlan);
    expect(rows.map((r) => r.kpi)).toEqual(["REVENUE_PER_CUSTOMER", "CONVERSION", "ORDERS_PER_CUSTOMER"]);
    expect(rows[0]).toMatchObject({ isPrimary: true, absolute: 2211.84, relative: 0.2249, baseline: 9833.98 });
    const zero = mdeRows({ ...basePlan, baselineRevenuePerCustomer: 0, mdeRevenuePerCustomer: { absolute: 0, relative: null } });
    expect(zero[0]).toMatchObject({ absolute: null, relative: null });
  });

  it("gives a verdict on the primary KPI", () => {
    expect(powerVerdict(basePlan)).toBe("underpowered");
    expect(powerVerdict({ ...basePlan, expectedLift: 0.3, isUnderpowered: false })).toBe("powered");
    expect(powerVerdict({ ...basePlan, expectedLift: null, isUnderpowered: false })).toBe("noExpectedLift");
    expect(powerVerdict({ ...basePlan, expectedLift: null, isUnderpowered: false, mdeRevenuePerCustomer: { absolute: 0, relative: null } })).toBe("noMde");
  });

  it("turns warnings into messages with the numbers that say what to do", () => {
    const views = planWarnings(basePlan, ctx);
    expect(views.map((v) => v.code)).toEqual(["SMALL_CONTROL_GROUP", "UNDERPOWERED"]);
    expect(views[0]?.params).toEqual({ control: "341", min: "500" });
    expect(views[1]).toMatchObject({
      bodyKey: "UNDERPOWERED.body",
      adviceKey: "UNDERPOWERED.adviceSize",
      params: { expected: "10.0%", mde: "22.5%", kpi: "revenue_per_customer", required: "8,642", eligible: "1,708" },
    });
  });

  it("adds UNEQUAL_PERIODS itself (powerAnalysis has no pre-period) and keeps unknown codes as the API's text", () => {
    const views = planWarnings({ ...basePlan, warnings: [{ code: "SOMETHING_NEW", message: "Read me" }] }, { ...ctx, prePeriodDays: 60 });
    expect(views).toEqual([
      { code: "SOMETHING_NEW", bodyKey: null, adviceKey: null, params: {}, fallback: "Read me" },
      { code: "UNEQUAL_PERIODS", bodyKey: "UNEQUAL_PERIODS.body", adviceKey: "UNEQUAL_PERIODS.advice", params: { pre: "60", window: "30" }, fallback: "" },
    ]);
  });

  it("lists overlapping campaigns by number", () => {
    const views = planWarnings({ ...basePlan, overlappingCustomers: 120, overlappingCampaignIds: ["1", "4"], warnings: [{ code: "OVERLAPPING_CAMPAIGNS", message: "" }] }, ctx);
    expect(views[0]?.params).toEqual({ customers: "120", campaigns: "#1, #4" });
  });
});

describe("KPI formatting", () => {
  it("shows conversion in percent and its changes in percentage points", () => {
    expect(formatKpiLevel("CONVERSION", 0.1234, numbers)).toBe("12.3%");
    expect(formatKpiChange("CONVERSION", 0.0544, numbers)).toBe("+5.4 pt");
    expect(formatKpiChange("CONVERSION", -0.01, numbers)).toBe("-1.0 pt");
  });

  it("words percentage points as the page's language does elsewhere (the results' ポイント in Japanese)", async () => {
    const ja = (await import("../../../i18n/locales/ja/campaign-detail.json")).default as { campaignDetail: { points: string } };
    const points = (v: string) => ja.campaignDetail.points.replace("{v}", v);
    expect(formatKpiChange("CONVERSION", 0.0544, { locale: "ja-JP", currency: "JPY", points })).toBe("+5.4 ポイント");
  });

  it("shows revenue in the currency and orders with two decimals", () => {
    expect(formatKpiLevel("REVENUE_PER_CUSTOMER", 9833.98, numbers)).toBe("¥9,834");
    expect(formatKpiChange("REVENUE_PER_CUSTOMER", 1301.1, numbers)).toBe("+¥1,301");
    expect(formatKpiLevel("ORDERS_PER_CUSTOMER", 1.6628, numbers)).toBe("1.66");
    expect(formatRelative(0.6435, numbers)).toBe("+64.4%");
    expect(formatRelative(null, numbers)).toBe("—");
  });
});

describe("a value with its interval", () => {
  const ctx = { locale: "en-US", currency: "JPY" };
  const rel = (v: number) => formatRelative(v, ctx);
  it("value and interval", () => {
    expect(formatWithInterval(0.444, { lower: 0.175, upper: 0.823 }, rel)).toBe("+44.4% [+17.5%, +82.3%]");
  });
  it("no value: one dash, not a dash for the value and another for the interval", () => {
    expect(formatWithInterval(null, null, rel)).toBe("—");
    expect(formatWithInterval(undefined, { lower: 0, upper: 1 }, rel)).toBe("—");
    expect(formatWithInterval(Number.NaN, null, rel)).toBe("—");
  });
  it("a value without an interval stands alone", () => {
    expect(formatWithInterval(0.1, null, rel)).toBe("+10.0%");
  });
});
