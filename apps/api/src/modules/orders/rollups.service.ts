import { deferIndexesAndKeys, lockForBulk } from "@ltvloop/db/bulk";
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

export interface RefreshOptions {
  /**
   * The caller's write was a bulk load (see @ltvloop/db/bulk): when it touched at least as many
   * customers as `customer_rollups` holds, both rollup tables are written with their secondary
   * indexes and foreign keys rebuilt once afterwards instead of maintained row by row.
   */
  bulk?: boolean;
}

/**
 * Recomputes `customer_rollups` and `customer_day_activity` from completed orders: for the
 * given customers (after an import touched them, including customers an order moved away from)
 * or for everyone (`customerIds` undefined: the demo seed, a time-zone change). Purchase days are
 * counted in the business time zone. Refunded and cancelled orders never count. Call it in the
 * transaction that wrote the orders, so readers never see orders without their rollups.
 *
 * One statement, one pass over the orders: the orders are grouped into customer-days once (with
 * each day's first and last order time and the running totals), and both tables are written
 * from those days. Rows whose customer or day has no completed order any more are deleted, new
 * and changed rows upserted, unchanged rows left alone (a replayed import writes nothing). In
 * bulk mode (RefreshOptions) the touched customers' rows are deleted and inserted again, with
 * both tables' keys, indexes and foreign keys rebuilt afterwards.
 */
export async function refreshRollups(
  query: Query,
  timeZone: string,
  customerIds?: readonly number[],
  { bulk = false }: RefreshOptions = {},
): Promise<void> {
  const scoped = customerIds !== undefined;
  // The maintained row counts (/healthz) fold the writes that led here into one row per table.
  await compactRowCounts(query);
  if (scoped && customerIds.length === 0) return;
  const only = (alias: string, param = 2) => (scoped ? `and ${alias}.customer_id = any($${param}::bigint[])` : "");
  const day = "(o.ordered_at at time zone $1::text)::date";
  const isBulk = bulk && (await coversRollups(query, customerIds)) && (await lockForBulk(query, ["customer_day_activity", "customer_rollups"]));
  const params = scoped ? [timeZone, customerIds] : [timeZone];
  const restore: (() => Promise<void>)[] = [];
  if (isBulk) {
    // The touched customers' rows are rewritten with plain inserts: no key to arbitrate them.
    await query(`delete from customer_day_activity a where true ${only("a", 1)}`, scoped ? [customerIds] : []);
    await query(`delete from customer_rollups r where true ${only("r", 1)}`, scoped ? [customerIds] : []);
    for (const table of ["customer_day_activity", "customer_rollups"]) restore.push(await deferIndexesAndKeys(query, table, { dropUnique: true }));
  }
  const changing = ROLLUP_COLUMNS.filter((c) => c !== "customer_id");
  const upsertDays = `on conflict (customer_id, day) do update set
         orders = excluded.orders, revenue = excluded.revenue,
         own_margin_profit = excluded.own_margin_profit, default_margin_revenue = excluded.default_margin_revenue
       where (customer_day_activity.orders, customer_day_activity.revenue, customer_day_activity.own_margin_profit,
              customer_day_activity.default_margin_revenue)
         is distinct from (excluded.orders, excluded.revenue, excluded.own_margin_profit, excluded.default_margin_revenue)`;
  const upsertRollups = `on conflict (customer_id) do update set
       ${changing.map((c) => `${c} = excluded.${c}`).join(", ")}, updated_at = excluded.updated_at
     where (${changing.map((c) => `customer_rollups.${c}`).join(", ")})
       is distinct from (${changing.map((c) => `excluded.${c}`).join(", ")})`;
  await query(
    `with days as materialized (
       select o.customer_id, ${day} as day, count(*)::int as orders, sum(o.amount) as revenue,
              coalesce(sum(o.amount * o.gross_margin), 0) as own_margin_profit,
              coalesce(sum(o.amount) filter (where o.gross_margin is null), 0) as default_margin_revenue,
              min(o.ordered_at) as first_at, max(o.ordered_at) as last_at,
              (sum(count(*)) over history)::int as running_n, sum(sum(o.amount)) over history as running_spend
         from orders o
        where o.status = 'completed' ${only("o")}
        group by 1, 2
       window history as (partition by o.customer_id order by ${day} rows unbounded preceding)
     ), ${isBulk ? "" : `gone_days as (
       delete from customer_day_activity a
        where true ${only("a")}
          and not exists (select 1 from days d where d.customer_id = a.customer_id and d.day = a.day)
     ), gone_rollups as (
       delete from customer_rollups r
        where true ${only("r")}
          and not exists (select 1 from days d where d.customer_id = r.customer_id)
     ), `}put_days as (
       insert into customer_day_activity (customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue)
       select customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue from days
       ${isBulk ? "" : upsertDays}
     )
     insert into customer_rollups (${ROLLUP_COLUMNS.join(", ")}, updated_at)
     select customer_id, min(first_at), max(last_at), sum(orders)::int, count(*)::int, sum(revenue),
            array_agg(day order by day), array_agg(running_n order by day), array_agg(running_spend order by day),
            array_agg(last_at order by day), now()
       from days
      group by customer_id
     ${isBulk ? "" : upsertRollups}`,
    params,
  );
  for (const put of restore) await put();
}

/** Whether `customerIds` (everyone when undefined) are at least as many as the rollup rows. */
async function coversRollups(query: Query, customerIds?: readonly number[]): Promise<boolean> {
  if (customerIds === undefined) return true;
  const [held] = await query<{ n: number }>("select count(*)::int as n from (select 1 from customer_rollups limit $1) t", [customerIds.length + 1]);
  return (held?.n ?? 0) <= customerIds.length;
}
