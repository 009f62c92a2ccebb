import { deferIndexesAndKeys, lockForBulk } from "@ltvloop/db/bulk";
import type { Query } from "@ltvloop/db/client";
import { compactRowCounts } from "../health/health.service.ts";

/**
 * A SELECT of one row per customer from completed orders, with purchase days counted in the time
 * zone bound to `$<timeZoneParam>`; `filter` narrows the orders (`o`). Columns: `customer_id`,
 * `first_order_at`, `last_order_at`, `order_count`, `purchase_days`, `revenue` and the history day
 * by day as arrays in ascending day order — `purchase_dates`, `cumulative_orders` (running order
 * count), `cumulative_revenue` (running revenue), `day_last_order_at` (each day's last order) —
 * which a snapshot as of any time reads instead of the orders; with `dayColumns`, also each day's
 * `day_orders`, `day_revenue`, `day_own_margin_profit` and `day_default_margin_revenue` (the rows
 * of `customer_day_activity`).
 *
 * One pass in customer-day order: the orders are grouped into customer-days, the running totals
 * taken over each customer's days, and every customer's days gathered into arrays as they stream
 * past. The arrays are gathered without `order by` inside `array_agg`: PostgreSQL 15 sorts each
 * customer's values again for every ordered aggregate (eight sorts per customer, about a fifth of
 * a full rebuild at ten million orders), while the rows already arrive in day order: the grouping
 * reads the window's output, which is sorted by customer and day, and a window is never split
 * across parallel workers. rollup-reference.test.ts checks the arrays against plain SQL over
 * orders inserted in shuffled order.
 */
export function historySelect(timeZoneParam: number, filter = "", { dayColumns = false } = {}): string {
  const day = `(o.ordered_at at time zone $${timeZoneParam})::date`;
  const perDay = dayColumns
    ? `, array_agg(orders) as day_orders, array_agg(revenue) as day_revenue,
         array_agg(own_margin_profit) as day_own_margin_profit, array_agg(default_margin_revenue) as day_default_margin_revenue`
    : "";
  const margins = dayColumns
    ? `coalesce(sum(o.amount * o.gross_margin), 0) as own_margin_profit,
       coalesce(sum(o.amount) filter (where o.gross_margin is null), 0) as default_margin_revenue,`
    : "";
  return `select customer_id, min(first_at) as first_order_at, max(last_at) as last_order_at, sum(orders)::int as order_count,
                 count(*)::int as purchase_days, sum(revenue) as revenue,
                 array_agg(day) as purchase_dates, array_agg(running_n) as cumulative_orders,
                 array_agg(running_spend) as cumulative_revenue, array_agg(last_at) as day_last_order_at${perDay}
            from (
              select o.customer_id, ${day} as day, count(*)::int as orders, sum(o.amount) as revenue, ${margins}
                     min(o.ordered_at) as first_at, max(o.ordered_at) as last_at,
                     (sum(count(*)) over history)::int as running_n, sum(sum(o.amount)) over history as running_spend
                from orders o
               where o.status = 'completed' ${filter}
               group by 1, 2
              window history as (partition by o.customer_id order by ${day} rows unbounded preceding)
            ) days
           group by customer_id`;
}

/** The columns of `customer_rollups` a {@link historySelect} row fills, by the same names. */
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
 * One statement, one pass over the orders: each customer's history is gathered once
 * ({@link historySelect}), and both tables are written from it (the day rows unpacked from its
 * arrays). Rows whose customer or day has no completed order any more are deleted, new and
 * changed rows upserted, unchanged rows left alone (a replayed import writes nothing). In bulk
 * mode (RefreshOptions) the touched customers' rows are deleted (everyone's: the tables
 * truncated) and inserted again, with both tables' keys, indexes and foreign keys rebuilt
 * afterwards.
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
  const isBulk = bulk && (await coversRollups(query, customerIds)) && (await lockForBulk(query, ["customer_day_activity", "customer_rollups"]));
  const params = scoped ? [timeZone, customerIds] : [timeZone];
  const restore: (() => Promise<void>)[] = [];
  if (isBulk) {
    // The touched customers' rows are rewritten with plain inserts: no key to arbitrate them.
    // Everyone's: emptied at once (the tables are held exclusively), leaving no dead rows behind.
    // TRUNCATE is not MVCC-safe: a REPEATABLE READ transaction whose snapshot predates this
    // commit and that first reads the rollups after it would find them empty. The product reads
    // under READ COMMITTED, and only the demo seed rebuilds everyone in bulk.
    if (scoped) {
      await query("delete from customer_day_activity a where a.customer_id = any($1::bigint[])", [customerIds]);
      await query("delete from customer_rollups r where r.customer_id = any($1::bigint[])", [customerIds]);
    } else await query("truncate customer_day_activity, customer_rollups");
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
  // The customers' histories once (one row each, arrays day by day); the day rows are unpacked
  // from them, so the orders are grouped a single time for both tables.
  await query(
    `with histories as materialized (${historySelect(1, only("o"), { dayColumns: true })}),
     days as (
       select customer_id, unnest(purchase_dates) as day, unnest(day_orders) as orders, unnest(day_revenue) as revenue,
              unnest(day_own_margin_profit) as own_margin_profit, unnest(day_default_margin_revenue) as default_margin_revenue
         from histories
     ), ${isBulk ? "" : `gone_days as (
       delete from customer_day_activity a
        where true ${only("a")}
          and not exists (select 1 from days d where d.customer_id = a.customer_id and d.day = a.day)
     ), gone_rollups as (
       delete from customer_rollups r
        where true ${only("r")}
          and not exists (select 1 from histories h where h.customer_id = r.customer_id)
     ), `}put_days as (
       insert into customer_day_activity (customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue)
       select customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue from days
       ${isBulk ? "" : upsertDays}
     )
     insert into customer_rollups (${ROLLUP_COLUMNS.join(", ")}, updated_at)
     select ${ROLLUP_COLUMNS.join(", ")}, now() from histories
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
