// SQL of the Check step. One pass over the frozen roster's orders (`collectRoster`) leaves per
// customer the outcome-window and pre-period values, the days of the window's orders and what the
// sample-ratio check needs in a temporary table; the sufficient statistics (per group and
// stratum), the daily cumulative series, the delivery arms and the observable arms are then
// small aggregates over that table. Everything counts completed orders in [launch, countedUntil),
// so the totals and the series always agree.
import type { Query } from "@ltvloop/db/client";
import type { CupedStats } from "@ltvloop/scoring/lift/cuped";
import type { SeriesPoint } from "./campaign-measure.types.ts";
import { optInCondition } from "./campaign.service.ts";

/** Revenue per customer is also reported winsorised at this percentile of the pooled roster. */
export const WINSORIZE_PERCENTILE = 0.99;
const DAY_MS = 86_400_000;

export interface Sums {
  n: number;
  capped: number;
  cap: number;
  conv: CupedStats;
  rev: CupedStats;
  ord: CupedStats;
  revW: { sum: number; sumSquares: number };
}

/** The temporary table `collectRoster` fills; it lives until the measurement's transaction ends. */
export const MEASURE_ROSTER = "measure_roster";

export interface MeasureWindow {
  preFrom: Date;
  launchedAt: Date;
  countedUntil: Date;
}

/**
 * Per roster customer: completed orders and revenue in the outcome window [launchedAt,
 * countedUntil) and the pre-period [preFrom, launchedAt), with the day (24-hour days since
 * launch) and amount of each outcome-window order and the first such day; the orders of any
 * status dated before the snapshot's as-of (`on_record`: the snapshot's own window, as-of
 * excluded) beside the completed orders the snapshot counted (kept on the roster since launch);
 * and whether the customer has since opted out of the channel. Must run inside a transaction
 * (the table is dropped at commit).
 *
 * Written as per-customer probes taken in customer order, so each index is walked forward once
 * (a launch stores its roster in that order too); at 100k customers and 10M orders this is about
 * four times faster than joining the roster to the orders once per statistic.
 */
export async function collectRoster(query: Query, campaignId: number, snapshotId: number, channel: string, window: MeasureWindow): Promise<void> {
  await query(`drop table if exists pg_temp.${MEASURE_ROSTER}`);
  // Channels without an opt-in (coupons, …) cannot lose their audience: no lookup of the customer.
  const optIn = optInCondition(channel, "cu");
  const optedOut = optIn === "true" ? "false" : `coalesce((select not ${optIn} from customers cu where cu.id = a.customer_id), false)`;
  await query(
    `create temp table ${MEASURE_ROSTER} on commit drop as
     select a.customer_id, a."group" as grp, a.stratum,
            coalesce(o.post_orders, 0)::float8 as post_orders, coalesce(o.post_rev, 0)::float8 as post_rev,
            coalesce(o.pre_orders, 0)::float8 as pre_orders, coalesce(o.pre_rev, 0)::float8 as pre_rev,
            o.first_day, o.post_days, o.post_amounts,
            (select count(*) from orders h
              where h.customer_id = a.customer_id and h.ordered_at < (select as_of from snapshots where id = $2)) as on_record,
            coalesce(a.snapshot_orders, 0) as snapshot_orders,
            ${optedOut} as opted_out
       from (select customer_id, "group", stratum, snapshot_orders from campaign_assignments where campaign_id = $1 order by customer_id) a
       left join lateral (
         select count(*) filter (where o.ordered_at >= $4) as post_orders, sum(o.amount) filter (where o.ordered_at >= $4) as post_rev,
                count(*) filter (where o.ordered_at < $4) as pre_orders, sum(o.amount) filter (where o.ordered_at < $4) as pre_rev,
                min(floor(extract(epoch from (o.ordered_at - $4::timestamptz)) / 86400)::int) filter (where o.ordered_at >= $4) as first_day,
                array_agg(floor(extract(epoch from (o.ordered_at - $4::timestamptz)) / 86400)::int) filter (where o.ordered_at >= $4) as post_days,
                array_agg(o.amount) filter (where o.ordered_at >= $4) as post_amounts
           from orders o
          where o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $3 and o.ordered_at < $5
       ) o on true`,
    [campaignId, snapshotId, window.preFrom, window.launchedAt, window.countedUntil],
  );
}

/**
 * Per group (and per group × stratum) over the collected roster: n and the sums the tests need,
 * over per-customer outcome-window values y and pre-period values x of conversion (0/1), revenue
 * and orders.
 */
export async function outcomeSums(query: Query) {
  return query<Record<string, unknown>>(
    // The cap is a scalar subquery, computed once: the temporary table has no statistics, and a
    // cross join with it could be planned as a nested loop recomputing the percentile per row.
    `with x as (
       select r.grp, r.stratum, r.post_orders, r.post_rev, r.pre_orders, r.pre_rev,
              (r.post_orders > 0)::int::float8 as post_conv, (r.pre_orders > 0)::int::float8 as pre_conv, c.cap
         from ${MEASURE_ROSTER} r,
              (select (select percentile_cont(${WINSORIZE_PERCENTILE}) within group (order by post_rev) from ${MEASURE_ROSTER}) as cap) c
     ), w as (select x.*, least(x.post_rev, x.cap) as post_rev_w from x)
     select grp, stratum, grouping(stratum) as is_total, count(*)::int as n,
            sum(post_conv) as cy, sum(pre_conv) as cx, sum(post_conv * pre_conv) as cxy,
            sum(post_rev) as ry, sum(post_rev * post_rev) as ryy, sum(pre_rev) as rx, sum(pre_rev * pre_rev) as rxx, sum(post_rev * pre_rev) as rxy,
            sum(post_orders) as oy, sum(post_orders * post_orders) as oyy, sum(pre_orders) as ox, sum(pre_orders * pre_orders) as oxx,
            sum(post_orders * pre_orders) as oxy,
            sum(post_rev_w) as wy, sum(post_rev_w * post_rev_w) as wyy,
            (count(*) filter (where post_rev > cap))::int as capped, max(cap) as cap
       from w group by grouping sets ((grp), (grp, stratum))`,
  );
}

export function toSums(r: Record<string, unknown>): Sums {
  const n = Number(r.n);
  const v = (k: string) => Number(r[k] ?? 0);
  return {
    n,
    capped: v("capped"),
    cap: v("cap"),
    conv: { n, sumY: v("cy"), sumYY: v("cy"), sumX: v("cx"), sumXX: v("cx"), sumXY: v("cxy") },
    rev: { n, sumY: v("ry"), sumYY: v("ryy"), sumX: v("rx"), sumXX: v("rxx"), sumXY: v("rxy") },
    ord: { n, sumY: v("oy"), sumYY: v("oyy"), sumX: v("ox"), sumXX: v("oxx"), sumXY: v("oxy") },
    revW: { sum: v("wy"), sumSquares: v("wyy") },
  };
}

/** Day by day since launch (24-hour days), cumulative per group, for charts; from the collected roster. */
export async function dailySeries(query: Query, launchedAt: Date, until: Date, sizes: { treatment: number; control: number }): Promise<SeriesPoint[]> {
  const rows = await query<{ grp: string; day: number; converters: number; revenue: number }>(
    `with post as (
       select grp, unnest(post_days) as day, unnest(post_amounts) as amount from ${MEASURE_ROSTER} where post_days is not null
     ), firsts as (select grp, first_day as day from ${MEASURE_ROSTER} where first_day is not null)
     select grp, day, sum(c)::int as converters, sum(r)::float8 as revenue
       from (select grp, day, 0 as c, amount as r from post union all select grp, day, 1, 0 from firsts) u
      group by grp, day order by day`,
  );
  const days = Math.max(0, Math.ceil((until.getTime() - launchedAt.getTime()) / DAY_MS));
  const byDay = new Map<string, { converters: number; revenue: number }>();
  for (const r of rows) byDay.set(`${r.grp}:${r.day}`, { converters: Number(r.converters), revenue: Number(r.revenue) });
  const acc = { treatment: { c: 0, r: 0 }, control: { c: 0, r: 0 } };
  const series: SeriesPoint[] = [];
  for (let day = 0; day < days; day += 1) {
    for (const g of ["treatment", "control"] as const) {
      const hit = byDay.get(`${g}:${day}`);
      if (hit) {
        acc[g].c += hit.converters;
        acc[g].r += hit.revenue;
      }
    }
    series.push({
      day,
      date: new Date(launchedAt.getTime() + day * DAY_MS).toISOString(),
      treatmentConversion: sizes.treatment ? acc.treatment.c / sizes.treatment : 0,
      controlConversion: sizes.control ? acc.control.c / sizes.control : 0,
      treatmentRevenuePerCustomer: sizes.treatment ? acc.treatment.r / sizes.treatment : 0,
      controlRevenuePerCustomer: sizes.control ? acc.control.r / sizes.control : 0,
    });
  }
  return series;
}

