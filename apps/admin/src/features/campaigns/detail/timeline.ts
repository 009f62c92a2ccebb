import type { CampaignDecision } from "../../../gql/graphql.ts";

/** One PDCA log entry as the API returns it (`details` is the event's JSON payload). */
export interface CampaignEventInput {
  kind: string;
  details: Record<string, unknown>;
}

/** What the timeline shows under an event's title, derived from its details. */
export interface EventSummary {
  /** Message key (under campaignDetail.event) of a one-line summary, or null for none. */
  key: string | null;
  params: Record<string, number>;
  /** Message keys of the fields an edit changed, or the plan warnings' titles. */
  labelKeys: string[];
  /** What the person wrote: the cancel reason or the review rationale. */
  note: string | null;
  decision: CampaignDecision | null;
  /** The campaign this event points at: the next cycle (review) or the previous one (create). */
  linkedCampaignId: string | null;
  isSrmMismatch: boolean;
}

/** Field names of createCampaign/updateCampaign → the label the plan card uses for them. */
const FIELD_LABELS: Record<string, string> = {
  name: "campaign.name",
  segmentId: "campaign.segment",
  snapshotId: "campaignDetail.field.snapshot",
  objective: "campaign.objective",
  hypothesis: "campaign.hypothesis",
  channel: "campaign.channel",
  offer: "campaign.offer",
  primaryKpi: "campaign.primaryKpi",
  guardrailKpis: "campaignDetail.field.guardrailKpis",
  expectedLift: "campaign.expectedLift",
  holdoutRatio: "campaign.holdout",
  costPerContact: "campaignDetail.field.costPerContact",
  fixedCost: "campaignDetail.field.fixedCost",
  margin: "campaignDetail.field.margin",
  outcomeWindowDays: "campaign.window",
  prePeriodDays: "campaignDetail.field.prePeriod",
  plannedStart: "campaignDetail.field.plannedStart",
  // An edit of the loyalty offer stores its three columns; the plan card names them as one.
  loyaltyOfferKind: "campaignLoyalty.field.offer",
  loyaltyMultiplier: "campaignLoyalty.field.offer",
  loyaltyBonusStamps: "campaignLoyalty.field.offer",
};

const DECISIONS: Record<string, CampaignDecision> = { adopt: "ADOPT", iterate: "ITERATE", stop: "STOP", invalid: "INVALID" };

const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : null);
const asText = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);
const asId = (v: unknown): string | null => {
  const n = asNumber(v);
  return n === null ? null : String(n);
};

/** Reads an event's details (written by campaign.service.ts / campaign-measure.service.ts). */
export function summarizeEvent(event: CampaignEventInput): EventSummary {
  const d = event.details ?? {};
  const out: EventSummary = { key: null, params: {}, labelKeys: [], note: null, decision: null, linkedCampaignId: null, isSrmMismatch: false };
  switch (event.kind) {
    case "create": {
      const parent = asId(d["iterationOf"]);
      if (parent) return { ...out, key: "createdFromCycle", linkedCampaignId: parent };
      return out;
    }
    case "edit": {
      const changes = d["changes"];
      const fields = changes && typeof changes === "object" ? Object.keys(changes) : [];
      return { ...out, key: fields.length ? "edited" : null, labelKeys: [...new Set(fields.map((f) => FIELD_LABELS[f] ?? f))] };
    }
    case "plan": {
      const eligible = asNumber(d["eligibleCustomers"]);
      const warnings = Array.isArray(d["warnings"]) ? d["warnings"].filter((w): w is string => typeof w === "string") : [];
      return { ...out, key: eligible === null ? null : "planned", params: eligible === null ? {} : { eligible }, labelKeys: warnings.map((w) => `planWarning.${w}`) };
    }
    case "launch": {
      const treatment = asNumber(d["treatment"]);
      const control = asNumber(d["control"]);
      if (treatment === null || control === null) return out;
      return { ...out, key: "launched", params: { treatment, control } };
    }
    case "measure":
      return { ...out, key: d["isProvisional"] === true ? "measuredProvisional" : "measured", isSrmMismatch: d["srmMismatch"] === true };
    case "review": {
      const decision = typeof d["decision"] === "string" ? (DECISIONS[d["decision"].toLowerCase()] ?? null) : null;
      return { ...out, key: decision ? "reviewed" : null, decision, note: asText(d["rationale"]), linkedCampaignId: asId(d["nextCycleId"]) };
    }
    case "cancel":
      return { ...out, note: asText(d["reason"]) };
    default:
      return out;
  }
}
