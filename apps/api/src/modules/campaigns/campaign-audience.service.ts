// The treatment group of a launched campaign, for the delivery tool's audience file.
import type { Query } from "@ltvloop/db/client";

export interface AudienceCampaign {
  id: number;
  launched_at: Date | null;
  segment_name: string;
}

export interface AudienceRow {
  id: number;
  external_id: string;
  name: string;
  email: string | null;
  line_opt_in: boolean;
}

export async function findAudienceCampaign(query: Query, campaignId: number): Promise<AudienceCampaign | null> {
  const [campaign] = await query<AudienceCampaign>(
    "select c.id, c.launched_at, s.name as segment_name from campaigns c join segments s on s.id = c.segment_id where c.id = $1",
    [campaignId],
  );
  return campaign ?? null;
}

/** Treatment customers after `afterId` in id order. */
export function audiencePage(query: Query, campaignId: number, afterId: number, limit: number): Promise<AudienceRow[]> {
  return query<AudienceRow>(
    `select cu.id, cu.external_id, cu.name, cu.email, cu.line_opt_in
       from campaign_assignments a join customers cu on cu.id = a.customer_id
      where a.campaign_id = $1 and a."group" = 'treatment' and a.customer_id > $2
      order by a.customer_id limit $3`,
    [campaignId, afterId, limit],
  );
}
