import type { Role } from "@ltvloop/db/schema";

/** DESIGN §6: who may do what. Resolvers name one of these in `@Authorized(...)`. */
export const ALLOW = {
  /** Reading customers, scores, segments, campaigns and analytics. */
  read: ["admin", "operator", "analyst", "reviewer"],
  /** Creating segments and snapshots. */
  manageSegments: ["admin", "operator"],
  /** Planning, launching and measuring campaigns. */
  runCampaigns: ["admin", "operator"],
  /** The Act step: reviewing a campaign. */
  review: ["admin", "reviewer"],
  /** Users and settings. */
  administer: ["admin"],
} as const satisfies Record<string, readonly Role[]>;
