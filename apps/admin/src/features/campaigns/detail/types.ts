import type { CampaignDetailResultCoreFragment, CampaignDetailResultExtraFragment, CampaignQuery } from "../../../gql/graphql.ts";

/** The campaign as the detail page reads it. */
export type CampaignView = CampaignQuery["campaign"];
export type PlanView = NonNullable<CampaignView["plan"]>;
export type ChainCycle = CampaignView["chain"][number];
export type CampaignEventView = CampaignView["events"][number];
/** One measurement with everything the results section shows. */
export type ResultView = CampaignDetailResultCoreFragment & CampaignDetailResultExtraFragment;
