// The rows of the customers CSV: one keyset page at a time, with the chosen snapshot's scores.
import type { Query } from "@ltvloop/db/client";
import type { CustomerFilter } from "./customer.input.ts";
import { filterConditions } from "./customer.service.ts";

export interface CustomerExportRow {
  id: number;
  external_id: string;
  name: string;
  email: string | null;
  prefecture: string | null;
  acquisition_channel: string | null;
  first_order_at: Date | null;
  last_order_at: Date | null;
  order_count: number | null;
  revenue: string | null;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  rfm_segment: string | null;
  decile: number | null;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: string | null;
  predicted_clv: string | null;
  historical_clv: string | null;
}

/**
 * Customers after `afterId` in id order; members of `segmentId` in that snapshot when given, and
 * only those matching `filter` (the customer list's filter, the same conditions as the list).
 */
export function customerExportPage(
  query: Query,
  options: { snapshotId: number | null; segmentId: number | null; afterId: number; limit: number; filter?: CustomerFilter | null },
): Promise<CustomerExportRow[]> {
  const params: unknown[] = [options.snapshotId, options.afterId, options.segmentId, options.limit];
  const conditions = filterConditions(options.filter, params).map((c) => `and ${c.sql}`);
  return query<CustomerExportRow>(
    `select c.id, c.external_id, c.name, c.email, c.attributes->>'prefecture' as prefecture, c.acquisition_channel,
            r.first_order_at, r.last_order_at, r.order_count, r.revenue,
            s.r_score, s.f_score, s.m_score, s.rfm_segment, s.decile, s.p_alive, s.expected_purchases,
            s.expected_spend, s.predicted_clv, s.historical_clv
       from customers c
       left join customer_rollups r on r.customer_id = c.id
       left join customer_scores s on s.customer_id = c.id and s.snapshot_id = $1
      where c.id > $2
        and ($3::bigint is null or exists (select 1 from segment_members m where m.segment_id = $3 and m.snapshot_id = $1 and m.customer_id = c.id))
        ${conditions.join("\n        ")}
      order by c.id limit $4`,
    params,
  );
}
