// A customer's history across snapshots and campaigns, for many customers in one statement each
// (the detail page's score and segment timelines and its campaign exposures).
import type { Query } from "@ltvloop/db/client";
import { scoreColumns } from "./customer.columns.ts";
import type { Row } from "./customer.sql.ts";

export async function scoreHistory(query: Query, customerIds: readonly number[]): Promise<Row[]> {
  return query(
    `select s.customer_id, sn.as_of, ${scoreColumns()}
       from customer_scores s join snapshots sn on sn.id = s.snapshot_id and sn.status = 'succeeded'
      where s.customer_id = any($1::bigint[])
      order by s.customer_id, sn.as_of, sn.id`,
    [customerIds],
  );
}

export async function segmentHistory(query: Query, customerIds: readonly number[]): Promise<Row[]> {
  return query(
    `select m.customer_id, m.snapshot_id, sn.as_of, g.id as segment_id, g.name, g.key, g.color
       from segment_members m
       join snapshots sn on sn.id = m.snapshot_id and sn.status = 'succeeded'
       join segments g on g.id = m.segment_id
      where m.customer_id = any($1::bigint[])
      order by m.customer_id, sn.as_of, sn.id, g.id`,
    [customerIds],
  );
}

export async function campaignExposures(query: Query, customerIds: readonly number[]): Promise<Row[]> {
  return query(
    `select a.customer_id, a.campaign_id, c.name, a."group", c.status, a.assigned_at
       from campaign_assignments a join campaigns c on c.id = a.campaign_id
      where a.customer_id = any($1::bigint[])
      order by a.customer_id, a.assigned_at desc, a.campaign_id`,
    [customerIds],
  );
}
