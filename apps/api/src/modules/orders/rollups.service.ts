import type { Query } from "@ltvloop/db/client";

/**
 * Recomputes `customer_rollups` from completed orders: for the given customers (after an
 * import touched them) or for everyone (`customerIds` undefined). Purchase days are counted
 * in the business time zone. Refunded and cancelled orders never count.
 */
export async function refreshRollups(
  query: Query,
  timeZone: string,
  customerIds?: readonly number[],
): Promise<void> {
  const scoped = customerIds !== undefined;
  if (scoped && customerIds.length === 0) return;
  const filter = scoped ? "and o.customer_id = any($2::bigint[])" : "";
  const params: unknown[] = scoped ? [timeZone, customerIds] : [timeZone];
  if (scoped) {
    await query(
      `delete from customer_rollups r where r.customer_id = any($1::bigint[])
         and not exists (select 1 from orders o where o.customer_id = r.customer_id and o.status = 'completed')`,
      [customerIds],
    );
  } else {
    await query("delete from customer_rollups");
  }
  await query(
    `insert into customer_rollups (customer_id, first_order_at, last_order_at, order_count, purchase_days, revenue, updated_at)
     select o.customer_id, min(o.ordered_at), max(o.ordered_at), count(*)::int,
            count(distinct (o.ordered_at at time zone $1)::date)::int, sum(o.amount), now()
       from orders o
      where o.status = 'completed' ${filter}
      group by o.customer_id
     on conflict (customer_id) do update set
       first_order_at = excluded.first_order_at, last_order_at = excluded.last_order_at,
       order_count = excluded.order_count, purchase_days = excluded.purchase_days,
       revenue = excluded.revenue, updated_at = excluded.updated_at
     where (customer_rollups.first_order_at, customer_rollups.last_order_at, customer_rollups.order_count,
            customer_rollups.purchase_days, customer_rollups.revenue)
       is distinct from (excluded.first_order_at, excluded.last_order_at, excluded.order_count,
            excluded.purchase_days, excluded.revenue)`,
    params,
  );
}
