import type { CampaignDecision } from "../../../gql/graphql.ts";

/** The Act decisions (DESIGN §5), in the order the form offers them. */
export const DECISIONS: readonly CampaignDecision[] = ["ADOPT", "ITERATE", "STOP", "INVALID"];

export type ReviewField = "decision" | "rationale";

/** What still keeps the review from being recorded: a decision and a rationale are both required. */
export function reviewProblems(decision: CampaignDecision | null, rationale: string): ReviewField[] {
  const problems: ReviewField[] = [];
  if (!decision) problems.push("decision");
  if (!rationale.trim()) problems.push("rationale");
  return problems;
}

/**
 * A hint for the reviewer, never a default: a sample ratio mismatch means the assignment or the
 * data is broken, so the result cannot support adopting or stopping (DESIGN §4.4).
 */
export function suggestedDecision(result: { srm: { isMismatch: boolean } } | null | undefined): CampaignDecision | null {
  return result?.srm.isMismatch ? "INVALID" : null;
}

interface ChainMember {
  id: string;
  parentCampaignId?: string | null;
}

/** The cycle created from this one by ITERATE, if any. */
export function nextCycleOf<T extends ChainMember>(chain: readonly T[], id: string): T | null {
  return chain.find((c) => c.parentCampaignId === id) ?? null;
}

/** This campaign's position in its chain, 1-based (1 when it is alone). */
export function cycleNumber(chain: readonly ChainMember[], id: string): number {
  const index = chain.findIndex((c) => c.id === id);
  return index < 0 ? 1 : index + 1;
}
