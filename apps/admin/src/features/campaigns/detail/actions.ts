import type { CampaignStatus } from "../../../gql/graphql.ts";
import type { Capability } from "../../session/composables/use-session.ts";

/** What a person can do to a campaign from its page. */
export type CampaignAction = "edit" | "plan" | "launch" | "measure" | "cancel" | "review";

/**
 * Each action, the statuses it applies to (DESIGN §5, mirroring the API's checks) and the
 * capability it needs (DESIGN §6). Measuring a RUNNING campaign gives a provisional result;
 * a CHECKED one may be re-measured (more data) until a reviewer decides.
 */
const RULES: Record<CampaignAction, { statuses: readonly CampaignStatus[]; capability: Capability }> = {
  edit: { statuses: ["DRAFT"], capability: "campaign" },
  plan: { statuses: ["DRAFT"], capability: "campaign" },
  launch: { statuses: ["PLANNED"], capability: "campaign" },
  measure: { statuses: ["RUNNING", "MEASURING", "CHECKED"], capability: "campaign" },
  cancel: { statuses: ["DRAFT", "PLANNED"], capability: "campaign" },
  review: { statuses: ["CHECKED"], capability: "review" },
};

/** Button order on the page: the forward step first, cancelling last. */
const ORDER: readonly CampaignAction[] = ["plan", "launch", "measure", "review", "edit", "cancel"];

/** The actions this person may take on a campaign in this status, in button order. */
export function availableActions(status: CampaignStatus, can: (capability: Capability) => boolean): CampaignAction[] {
  return ORDER.filter((action) => RULES[action].statuses.includes(status) && can(RULES[action].capability));
}

/**
 * Who takes the next step when the viewer cannot: `campaign` (an operator or admin),
 * `review` (a reviewer or admin) or null when the cycle is closed.
 */
export function nextStepOwner(status: CampaignStatus): Capability | null {
  if (status === "CHECKED") return "review";
  if (status === "ACTED" || status === "CANCELLED") return null;
  return "campaign";
}

/** Measuring before the outcome window ends stores a provisional result (status stays RUNNING). */
export function isMeasureProvisional(outcomeWindowEndsAt: string | null | undefined, now: Date = new Date()): boolean {
  if (!outcomeWindowEndsAt) return false;
  return now.getTime() < new Date(outcomeWindowEndsAt).getTime();
}

/** Whole days left in the outcome window (rounded up), 0 once it has ended. */
export function daysLeft(outcomeWindowEndsAt: string | null | undefined, now: Date = new Date()): number {
  if (!outcomeWindowEndsAt) return 0;
  return Math.max(0, Math.ceil((new Date(outcomeWindowEndsAt).getTime() - now.getTime()) / 86_400_000));
}

/** Where a draft is edited: the plan wizard in edit mode. */
export function editLink(id: string): string {
  return `/campaigns/new?edit=${encodeURIComponent(id)}`;
}

/** The treatment list for the delivery tool (admins and operators only; see campaign-export.ts). */
export function audienceCsvLink(id: string): string {
  return `/export/campaigns/${encodeURIComponent(id)}/audience.csv`;
}
