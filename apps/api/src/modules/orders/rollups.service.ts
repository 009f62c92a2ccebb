import type { Query } from "@ltvloop/db/client";
import { compactRowCounts } from "../health/health.service.ts";

/** The columns {@link rollupSelect} produces, in order. */
export const ROLLUP_COLUMNS = [
  "customer_id",
  "first_order_at",
  "last_order_at",
  "order_count",
  "purchase_days",
  "revenue",
  "purchase_dates",
  "cumulative_orders",
  "cumulative_revenue",
  "day_last_order_at",
] as const;

/**
 * A SELECT of `customer_rollups`' columns ({@link ROLLUP_COLUMNS}) from completed orders, with
 * purchase days counted in the time zone bound to `$<timeZoneParam>`; `filter` narrows the
 * orders (`o`). Per customer: first and last order, order count, distinct purchase days and
 * revenue, and the history day by day (ascending purchase dates, running order count, running
 * revenue, each day's last order time) a snapshot as of any time reads instead of the orders.
 */
export function rollupSelect(timeZoneParam: number, filter = ""): string {
  return `select customer_id, min(first_at) as first_order_at, max(last_at) as last_order_at, sum(n)::int as order_count,
                 count(*)::int as purchase_days, sum(spend) as revenue,
                 array_agg(d order by d) as purchase_dates, array_agg(running_n order by d) as cumulative_orders,
                 array_agg(running_spend order by d) as cumulative_revenue, array_agg(last_at order by d) as day_last_order_at
            from (
              select customer_id, d, n, spend, first_at, last_at,
                     (sum(n) over (partition by customer_id order by d))::int as running_n,
                     sum(spend) over (partition by customer_id order by d) as running_spend
                from (
                  select o.customer_id, (o.ordered_at at time zone $${timeZoneParam})::date as d, count(*)::int as n,
                         sum(o.amount) as spend, min(o.ordered_at) as first_at, max(o.ordered_at) as last_at
                    from orders o
                   where o.status = 'completed' ${filter}
                   group by 1, 2
                ) days
            ) history
           group by customer_id`;
}

/**
 * Recomputes `customer_rollups` and `customer_day_activity` from completed orders: for the
 * given customers (after an import touched them, including customers an order moved away from)
 * or for everyone (`customerIds` undefined: the demo seed, a time-zone change). Purchase days are
 * counted in the business time zone. Refunded and cancelled orders never count. Call it in the
 * transaction that wrote the orders, so readers never see orders without their rollups.
 */
export async function refreshRollups(
  query: Query,
  timeZone: string,
  customerIds?: readonly number[],
): Promise<void> {
  const scoped = customerIds !== undefined;
  // The maintained row counts (/healthz) fold the writes that led here into one row per table.
  await compactRowCounts(query);
  if (scoped && customerIds.length === 0) return;
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
  const columns = ROLLUP_COLUMNS.join(", ");
  const changing = ROLLUP_COLUMNS.filter((c) => c !== "customer_id");
  await query(
    `insert into customer_rollups (${columns}, updated_at)
     select ${columns}, now() from (${rollupSelect(1, scoped ? "and o.customer_id = any($2::bigint[])" : "")}) r
     on conflict (customer_id) do update set
       ${changing.map((c) => `${c} = excluded.${c}`).join(", ")}, updated_at = excluded.updated_at
     where (${changing.map((c) => `customer_rollups.${c}`).join(", ")})
       is distinct from (${changing.map((c) => `excluded.${c}`).join(", ")})`,
    params,
  );
  await refreshDayActivity(query, timeZone, customerIds);
}

/**
 * Brings `customer_day_activity` of the given customers (or everyone) to what their completed
 * orders give, in one statement: rows whose day has no completed order any more are deleted,
 * new and changed rows upserted, unchanged rows left alone (a replayed import writes nothing).
 */
async function refreshDayActivity(query: Query, timeZone: string, customerIds?: readonly number[]): Promise<void> {
  const scoped = customerIds !== undefined;
  const only = (alias: string) => (scoped ? `and ${alias}.customer_id = any($2::bigint[])` : "");
  await query(
    `with fresh as (
       select o.customer_id, (o.ordered_at at time zone $1::text)::date as day, count(*)::int as orders, sum(o.amount) as revenue,
              coalesce(sum(o.amount * o.gross_margin), 0) as own_margin_profit,
              coalesce(sum(o.amount) filter (where o.gross_margin is null), 0) as default_margin_revenue
         from orders o
        where o.status = 'completed' ${only("o")}
        group by 1, 2
     ), gone as (
       delete from customer_day_activity a
        where true ${only("a")}
          and not exists (select 1 from fresh f where f.customer_id = a.customer_id and f.day = a.day)
     )
     insert into customer_day_activity (customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue)
     select customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue from fresh
     on conflict (customer_id, day) do update set
       orders = excluded.orders, revenue = excluded.revenue,
       own_margin_profit = excluded.own_margin_profit, default_margin_revenue = excluded.default_margin_revenue
     where (customer_day_activity.orders, customer_day_activity.revenue, customer_day_activity.own_margin_profit,
            customer_day_activity.default_margin_revenue)
       is distinct from (excluded.orders, excluded.revenue, excluded.own_margin_profit, excluded.default_margin_revenue)`,
    scoped ? [timeZone, customerIds] : [timeZone],
  );
}
