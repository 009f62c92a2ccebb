import { describe, expect, it } from "vitest";
import type { CampaignStatus, Role } from "../../../gql/graphql.ts";
import { formatMoney, formatNumber, formatPercent } from "../../shared/format.ts";
import { roleCan } from "../../session/composables/use-session.ts";
import type { StatFormat } from "../results/interpret.ts";
import { audienceCsvLink, availableActions, daysLeft, editLink, isMeasureProvisional, nextStepOwner, type CampaignAction } from "./actions.ts";
import { planPowerTag, primaryMde, warningText, type PlanLike } from "./plan-warnings.ts";
import { cycleNumber, nextCycleOf, reviewProblems, suggestedDecision } from "./review.ts";
import { summarizeEvent } from "./timeline.ts";

const fmt: StatFormat = {
  percent: (v, d) => formatPercent(v, "en-US", d),
  number: (v, d) => formatNumber(v, "en-US", d),
  money: (v) => formatMoney(v, "en-US", "JPY"),
  points: (v) => `${formatNumber(v * 100, "en-US", 1)} pt`,
};

describe("actions per status × role", () => {
  const STATUSES: CampaignStatus[] = ["DRAFT", "PLANNED", "RUNNING", "MEASURING", "CHECKED", "ACTED", "CANCELLED"];
  const ROLES: Role[] = ["ADMIN", "OPERATOR", "REVIEWER", "ANALYST"];
  const expected: Record<CampaignStatus, Record<Role, CampaignAction[]>> = {
    DRAFT: { ADMIN: ["plan", "edit", "cancel"], OPERATOR: ["plan", "edit", "cancel"], REVIEWER: [], ANALYST: [] },
    PLANNED: { ADMIN: ["launch", "cancel"], OPERATOR: ["launch", "cancel"], REVIEWER: [], ANALYST: [] },
    RUNNING: { ADMIN: ["measure"], OPERATOR: ["measure"], REVIEWER: [], ANALYST: [] },
    MEASURING: { ADMIN: ["measure"], OPERATOR: ["measure"], REVIEWER: [], ANALYST: [] },
    CHECKED: { ADMIN: ["measure", "review"], OPERATOR: ["measure"], REVIEWER: ["review"], ANALYST: [] },
    ACTED: { ADMIN: [], OPERATOR: [], REVIEWER: [], ANALYST: [] },
    CANCELLED: { ADMIN: [], OPERATOR: [], REVIEWER: [], ANALYST: [] },
  };
  for (const status of STATUSES) {
    for (const role of ROLES) {
      it(`${status} × ${role}`, () => {
        expect(availableActions(status, (c) => roleCan(role, c))).toEqual(expected[status][role]);
      });
    }
  }

  it("says who takes the next step when the viewer cannot", () => {
    expect(nextStepOwner("DRAFT")).toBe("campaign");
    expect(nextStepOwner("MEASURING")).toBe("campaign");
    expect(nextStepOwner("CHECKED")).toBe("review");
    expect(nextStepOwner("ACTED")).toBeNull();
    expect(nextStepOwner("CANCELLED")).toBeNull();
  });

  it("measuring is provisional until the window ends", () => {
    const now = new Date("2026-10-01T00:00:00Z");
    expect(isMeasureProvisional("2026-10-15T15:00:00Z", now)).toBe(true);
    expect(isMeasureProvisional("2026-09-30T15:00:00Z", now)).toBe(false);
    expect(isMeasureProvisional(null, now)).toBe(false);
    expect(daysLeft("2026-10-15T15:00:00Z", now)).toBe(15);
    expect(daysLeft("2026-10-01T00:00:01Z", now)).toBe(1);
    expect(daysLeft("2026-09-30T15:00:00Z", now)).toBe(0);
  });

  it("links to the plan wizard and the audience export", () => {
    expect(editLink("12")).toBe("/campaigns/new?edit=12");
    expect(audienceCsvLink("12")).toBe("/export/campaigns/12/audience.csv");
  });
});

describe("timeline", () => {
  it("reads the details each kind of event stores", () => {
    expect(summarizeEvent({ kind: "launch", details: { control: 658, treatment: 1533, launchedAt: "2026-09-01T15:00:00.000Z", snapshotId: 1 } })).toMatchObject({
      key: "launched",
      params: { treatment: 1533, control: 658 },
    });
    expect(summarizeEvent({ kind: "plan", details: { warnings: ["UNDERPOWERED"], snapshotId: 1, eligibleCustomers: 2191 } })).toMatchObject({
      key: "planned",
      params: { eligible: 2191 },
      labelKeys: ["planWarning.UNDERPOWERED"],
    });
    expect(summarizeEvent({ kind: "measure", details: { isProvisional: true, srmMismatch: false } })).toMatchObject({ key: "measuredProvisional", isSrmMismatch: false });
    expect(summarizeEvent({ kind: "measure", details: { isProvisional: false, srmMismatch: true } })).toMatchObject({ key: "measured", isSrmMismatch: true });
  });

  it("links a review to the next cycle and keeps its rationale", () => {
    const s = summarizeEvent({ kind: "review", details: { decision: "iterate", rationale: "Try a higher threshold.", nextCycleId: 3 } });
    expect(s).toMatchObject({ key: "reviewed", decision: "ITERATE", note: "Try a higher threshold.", linkedCampaignId: "3" });
    expect(summarizeEvent({ kind: "review", details: { decision: "adopt", rationale: "Roll out.", nextCycleId: null } }).linkedCampaignId).toBeNull();
  });

  it("links a next cycle's creation back to its parent, and shows a cancel reason", () => {
    expect(summarizeEvent({ kind: "create", details: { iterationOf: 2 } })).toMatchObject({ key: "createdFromCycle", linkedCampaignId: "2" });
    expect(summarizeEvent({ kind: "create", details: { fields: { name: "x" } } }).key).toBeNull();
    expect(summarizeEvent({ kind: "cancel", details: { reason: "Offer withdrawn" } }).note).toBe("Offer withdrawn");
  });

  it("names the fields an edit changed", () => {
    expect(summarizeEvent({ kind: "edit", details: { changes: { holdoutRatio: 0.2, offer: "x", somethingNew: 1 } } }).labelKeys).toEqual([
      "campaign.holdout",
      "campaign.offer",
      "somethingNew",
    ]);
    // A changed loyalty offer stores its kind, multiplier and extra stamps: one "loyalty offer".
    expect(summarizeEvent({ kind: "edit", details: { changes: { loyaltyOfferKind: "BONUS_POINTS", loyaltyMultiplier: 2, loyaltyBonusStamps: null, name: "x" } } }).labelKeys).toEqual([
      "campaignLoyalty.field.offer",
      "campaign.name",
    ]);
  });

  it("tolerates events without the expected details", () => {
    expect(summarizeEvent({ kind: "launch", details: {} }).key).toBeNull();
    expect(summarizeEvent({ kind: "review", details: { decision: 42 } }).key).toBeNull();
    expect(summarizeEvent({ kind: "note", details: {} }).key).toBeNull();
  });
});

describe("plan warnings", () => {
  const plan: PlanLike = {
    primaryKpi: "REVENUE_PER_CUSTOMER",
    controlSize: 657,
    baselineConversion: 0.324,
    expectedLift: 0.1,
    requiredSegmentSize: 19199,
    overlappingCustomers: 12,
    overlappingCampaignIds: ["4", "5"],
    mdeConversion: { absolute: 0.0619, relative: 0.1909 },
    mdeRevenuePerCustomer: { absolute: 798.1, relative: 0.296 },
    mdeOrdersPerCustomer: null,
  };
  const campaign = { prePeriodDays: 60, outcomeWindowDays: 30 };

  it("quotes the primary KPI's detectable lift for an underpowered plan", () => {
    expect(primaryMde(plan)?.relative).toBe(0.296);
    expect(warningText("UNDERPOWERED", plan, campaign, fmt)).toEqual({ key: "UNDERPOWERED", params: { expected: "10.0%", mde: "29.6%", required: "19,199" }, campaignIds: [] });
    expect(warningText("UNDERPOWERED", { ...plan, requiredSegmentSize: null }, campaign, fmt).key).toBe("UNDERPOWERED_NO_SIZE");
    // No detectable lift to quote (no baseline): a wording that does not compare with a dash.
    expect(warningText("UNDERPOWERED", { ...plan, primaryKpi: "ORDERS_PER_CUSTOMER" }, campaign, fmt).key).toBe("UNDERPOWERED_NO_MDE");
  });

  it("rebuilds the other warnings from the plan", () => {
    expect(warningText("SMALL_CONTROL_GROUP", plan, campaign, fmt).params).toEqual({ control: "657" });
    expect(warningText("OVERLAPPING_CAMPAIGNS", plan, campaign, fmt)).toMatchObject({ params: { n: "12" }, campaignIds: ["4", "5"] });
    expect(warningText("UNEQUAL_PERIODS", plan, campaign, fmt).params).toEqual({ pre: "60", window: "30" });
    expect(warningText("NO_BASELINE", { ...plan, baselineConversion: 0 }, campaign, fmt).params).toEqual({ rate: "0.0%" });
  });

  it("never tags a plan detectable without a minimum detectable lift behind it", () => {
    const p = { ...plan, isUnderpowered: false };
    expect(planPowerTag(p)).toBe("powered");
    expect(planPowerTag({ ...p, isUnderpowered: true })).toBe("underpowered");
    // A win-back segment with no baseline: no MDE, so no "detectable" tag.
    expect(planPowerTag({ ...p, primaryKpi: "ORDERS_PER_CUSTOMER" })).toBe("noMde");
    expect(planPowerTag({ ...p, mdeRevenuePerCustomer: { absolute: 0, relative: null } })).toBe("noMde");
    expect(planPowerTag({ ...p, expectedLift: null })).toBe("noExpectedLift");
  });

  it("falls back to the API's message for a code it does not know", () => {
    expect(warningText("SOMETHING_NEW", plan, campaign, fmt).key).toBeNull();
  });
});

describe("review", () => {
  it("requires a decision and a non-blank rationale", () => {
    expect(reviewProblems(null, "")).toEqual(["decision", "rationale"]);
    expect(reviewProblems("ADOPT", "   ")).toEqual(["rationale"]);
    expect(reviewProblems(null, "because")).toEqual(["decision"]);
    expect(reviewProblems("ITERATE", "Raise the threshold")).toEqual([]);
  });

  it("suggests INVALID only for a sample ratio mismatch", () => {
    expect(suggestedDecision({ srm: { isMismatch: true } })).toBe("INVALID");
    expect(suggestedDecision({ srm: { isMismatch: false } })).toBeNull();
    expect(suggestedDecision(null)).toBeNull();
  });

  it("finds the next cycle and this cycle's number in the chain", () => {
    const chain = [
      { id: "2", parentCampaignId: null },
      { id: "3", parentCampaignId: "2" },
      { id: "7", parentCampaignId: "3" },
    ];
    expect(nextCycleOf(chain, "2")?.id).toBe("3");
    expect(nextCycleOf(chain, "7")).toBeNull();
    expect(cycleNumber(chain, "3")).toBe(2);
    expect(cycleNumber([], "3")).toBe(1);
  });
});
