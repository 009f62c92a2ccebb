// The invariants the crash test checks after every kill, as queries on the database.
import type { Query } from "@ltvloop/db/client";

/**
 * Customers whose rollup disagrees with their completed orders (or that lack one / have a stray
 * one), plus customer-days of customer_day_activity that disagree with the orders of that day.
 */
export async function inconsistentRollups(query: Query): Promise<number> {
  const [row] = await query<{ n: number }>(
    `select (select count(*)::int
               from (select customer_id, count(*)::int as n, sum(amount) as revenue, min(ordered_at) as first_at, max(ordered_at) as last_at
                       from orders where status = 'completed' group by customer_id) o
               full join customer_rollups r on r.customer_id = o.customer_id
              where r.customer_id is null or o.customer_id is null or r.order_count <> o.n or r.revenue <> o.revenue
                 or r.first_order_at <> o.first_at or r.last_order_at <> o.last_at)
          + (select count(*)::int
               from (select o.customer_id, (o.ordered_at at time zone s.time_zone)::date as day, count(*)::int as n, sum(o.amount) as revenue
                       from orders o cross join settings s where o.status = 'completed' group by 1, 2) o
               full join customer_day_activity a on a.customer_id = o.customer_id and a.day = o.day
              where a.customer_id is null or o.customer_id is null or a.orders <> o.n or a.revenue <> o.revenue) as n`,
  );
  return row?.n ?? -1;
}

export async function ordersWithPrefix(query: Query, prefix: string): Promise<number> {
  const [row] = await query<{ n: number }>("select count(*)::int as n from orders where external_id like $1", [`${prefix}%`]);
  return row?.n ?? -1;
}

export async function latestSucceeded(query: Query): Promise<number | null> {
  const [row] = await query<{ id: number }>("select id from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1");
  return row?.id ?? null;
}

/**
 * Snapshots that did not succeed but left scores, memberships or partitions behind, and those
 * holding memberships whose snapshot or segment row is gone (no foreign key guards them since
 * migration 0025; triggers and the writers' locks do).
 */
export async function partialSnapshots(query: Query): Promise<number[]> {
  const rows = await query<{ id: number }>(
    `select s.id from snapshots s
      where s.status <> 'succeeded'
        and (exists (select 1 from customer_scores c where c.snapshot_id = s.id)
          or exists (select 1 from segment_members m where m.snapshot_id = s.id)
          or exists (select 1 from pg_class k where k.relname in ('customer_scores_' || s.id, 'segment_members_' || s.id)
                       and k.relnamespace = to_regnamespace(current_schema())::oid))
     union
     select distinct m.snapshot_id from segment_members m
      where not exists (select 1 from snapshots s where s.id = m.snapshot_id)
         or not exists (select 1 from segments g where g.id = m.segment_id)`,
  );
  return rows.map((r) => r.id);
}

/** A campaign's roster: launched with its whole roster, or not launched with none. */
export async function launchState(query: Query, campaignId: number): Promise<{ launched: boolean; assignments: number; eligible: number }> {
  const [row] = await query<{ launched: boolean; assignments: number; eligible: number }>(
    `select c.launched_at is not null as launched,
            (select count(*)::int from campaign_assignments a where a.campaign_id = c.id) as assignments,
            coalesce((c.plan->>'eligibleCustomers')::int, -1) as eligible
       from campaigns c where c.id = $1`,
    [campaignId],
  );
  if (!row) throw new Error(`campaign ${campaignId} is missing`);
  return row;
}
