// SQL of the Check step: per-customer outcomes of the frozen roster from completed orders,
// aggregated to sufficient statistics (one statement per group and stratum), and the daily
// cumulative series. Both count orders in [launch, countedUntil), so they always agree.
import type { Query } from "@ltvloop/db/client";
import type { CupedStats } from "@ltvloop/scoring/lift/cuped";
import type { SeriesPoint } from "./campaign-measure.types.ts";

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

/**
 * Per group (and per group × stratum): n and the sums the tests need, over per-customer
 * outcome-window values y and pre-period values x of conversion (0/1), revenue and orders.
 */
export async function outcomeSums(query: Query, campaignId: number, preFrom: Date, launchedAt: Date, windowTo: Date) {
  return query<Record<string, unknown>>(
    `with per as (
       select a.customer_id, a."group" as grp, a.stratum,
              (count(o.id) filter (where o.ordered_at >= $3))::float8 as post_orders,
              coalesce(sum(o.amount) filter (where o.ordered_at >= $3), 0)::float8 as post_rev,
              (count(o.id) filter (where o.ordered_at < $3))::float8 as pre_orders,
              coalesce(sum(o.amount) filter (where o.ordered_at < $3), 0)::float8 as pre_rev
         from campaign_assignments a
         left join orders o on o.customer_id = a.customer_id and o.status = 'completed'
              and o.ordered_at >= $2 and o.ordered_at < $4
        where a.campaign_id = $1
        group by a.customer_id, a."group", a.stratum
     ), cap as (
       select percentile_cont(${WINSORIZE_PERCENTILE}) within group (order by post_rev) as cap from per
     ), x as (
       select per.*, (post_orders > 0)::int::float8 as post_conv, (pre_orders > 0)::int::float8 as pre_conv,
              least(post_rev, cap.cap) as post_rev_w, cap.cap
         from per cross join cap
     )
     select grp, stratum, grouping(stratum) as is_total, count(*)::int as n,
            sum(post_conv) as cy, sum(pre_conv) as cx, sum(post_conv * pre_conv) as cxy,
            sum(post_rev) as ry, sum(post_rev * post_rev) as ryy, sum(pre_rev) as rx, sum(pre_rev * pre_rev) as rxx, sum(post_rev * pre_rev) as rxy,
            sum(post_orders) as oy, sum(post_orders * post_orders) as oyy, sum(pre_orders) as ox, sum(pre_orders * pre_orders) as oxx,
            sum(post_orders * pre_orders) as oxy,
            sum(post_rev_w) as wy, sum(post_rev_w * post_rev_w) as wyy,
            (count(*) filter (where post_rev > cap))::int as capped, max(cap) as cap
       from x group by grouping sets ((grp), (grp, stratum))`,
    [campaignId, preFrom, launchedAt, windowTo],
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

/** Day by day since launch (24-hour days), cumulative per group, for charts. */
export async function dailySeries(query: Query, campaignId: number, launchedAt: Date, until: Date, sizes: { treatment: number; control: number }): Promise<SeriesPoint[]> {
  const rows = await query<{ grp: string; day: number; converters: number; revenue: number }>(
    `with post as (
       select a."group" as grp, a.customer_id, floor(extract(epoch from (o.ordered_at - $2::timestamptz)) / 86400)::int as day, o.amount
         from campaign_assignments a
         join orders o on o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $2 and o.ordered_at < $3
        where a.campaign_id = $1
     ), firsts as (select grp, customer_id, min(day) as day from post group by grp, customer_id)
     select grp, day, sum(c)::int as converters, sum(r)::float8 as revenue
       from (select grp, day, 0 as c, amount as r from post union all select grp, day, 1, 0 from firsts) u
      group by grp, day order by day`,
    [campaignId, launchedAt, until],
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

