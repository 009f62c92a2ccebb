// Completed orders per customer and business day over any time range, read from the
// `customer_day_activity` rollup (migration 0017) for the whole days of the range and from the
// orders only for the parts of a day at its two ends, so a range that does not start or end at
// local midnight is still answered exactly while reading at most two days of orders.

/**
 * Two CTE definitions, `act_bounds` and `act_days`, to put after `with`: `act_days` has one row
 * per (customer_id, day) with completed orders whose time lies in [from, to) — columns
 * customer_id, day (a date in the business time zone), orders, revenue, own_margin_profit,
 * default_margin_revenue. `from`, `to` and `tz` are SQL expressions (timestamptz, timestamptz,
 * text); `from` may be `'-infinity'::timestamptz`.
 */
export function dayActivityCtes(from: string, to: string, tz: string): string {
  return `act_bounds as (
       select full_from, full_to,
              least(full_from::timestamp at time zone ${tz}, ${to}) as head_end,
              greatest(full_to::timestamp at time zone ${tz}, least(full_from::timestamp at time zone ${tz}, ${to})) as tail_start
         from (select case when local_from = date_trunc('day', local_from) then local_from::date else local_from::date + 1 end as full_from,
                      (${to} at time zone ${tz})::date as full_to
                 from (select ${from} at time zone ${tz} as local_from) f) d
     ), act_edges as (
       -- The two partial days as instant ranges, each read through the orders' time index.
       select ${from} as lo, head_end as hi from act_bounds
       union all
       select tail_start, ${to} from act_bounds
     ), act_days as (
       select a.customer_id, a.day, a.orders, a.revenue, a.own_margin_profit, a.default_margin_revenue
         from customer_day_activity a, act_bounds b
        where a.day >= b.full_from and a.day < b.full_to
       union all
       select o.customer_id, (o.ordered_at at time zone ${tz})::date, count(*)::int, sum(o.amount),
              coalesce(sum(o.amount * o.gross_margin), 0), coalesce(sum(o.amount) filter (where o.gross_margin is null), 0)
         from act_edges e join orders o on o.ordered_at >= e.lo and o.ordered_at < e.hi
        where o.status = 'completed'
        group by 1, 2
     )`;
}
