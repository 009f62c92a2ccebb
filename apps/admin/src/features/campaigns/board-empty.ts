// What an empty campaign board says. The review queue (the board filtered to CHECKED) being
// empty means nothing waits for a decision, not that there are no campaigns; a board filtered to
// other statuses says none has them; only the unfiltered board says there are no campaigns yet.
import type { CampaignStatus } from "../../gql/graphql.ts";

export type BoardEmpty = "noMatch" | "queueEmpty" | "noneInStatus" | "none";

/**
 * Which empty state the board shows, or null when it has cards: `loaded` campaigns came back
 * for the status filter, `shown` of them match the search box.
 */
export function boardEmpty(statuses: readonly CampaignStatus[] | undefined, loaded: number, shown: number): BoardEmpty | null {
  if (shown > 0) return null;
  if (loaded > 0) return "noMatch";
  if (statuses?.length) return statuses.includes("CHECKED") ? "queueEmpty" : "noneInStatus";
  return "none";
}
