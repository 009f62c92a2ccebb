// KPIs per calendar period (DESIGN §4.1) from the per-customer-day rollup of completed orders
// (customer_day_activity) and customer_rollups, never from the orders themselves except the
// parts of a day at the range's two ends.
import type { Query } from "@ltvloop/db/client";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { dayActivityCtes } from "../orders/day-activity.ts";
import { getSettings } from "../settings/settings.service.ts";

/** PostgreSQL numerics arrive as strings; keep nulls null. */
const num = (value: unknown): number => Number(value ?? 0);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

// ─── KPI overview ──────────────────────────────────────────────────────────────────────

export type Granularity = "day" | "week" | "month" | "quarter";

const PERIOD_STEP: Record<Granularity, string> = { day: "1 day", week: "7 days", month: "1 month", quarter: "3 months" };
export const MAX_KPI_PERIODS = 400;

export interface KpiPeriodResult {
  periodStart: Date;
  periodEnd: Date;
  customers: number;
  newCustomers: number;
  activeCustomers: number;
  repeatCustomers: number;
  repeatRate: number | null;
  orders: number;
  revenue: number;
  averageOrderValue: number | null;
  purchaseFrequency: number | null;
  retentionRate: number | null;
  churnRate: number | null;
}

export interface KpiOverviewResult {
  granularity: Granularity;
  timeZone: string;
  currency: string;
  periods: KpiPeriodResult[];
  totals: KpiPeriodResult;
  meanClv: number | null;
  snapshotId: number | null;
}

interface KpiRow {
  idx: number;
  period_start: Date;
  period_end: Date;
  customers: number;
  new_customers: number;
  active: number;
  repeaters: number;
  orders: number;
  revenue: string;
  retention: number | null;
}

const toKpiPeriod = (row: KpiRow): KpiPeriodResult => {
  const revenue = num(row.revenue);
  const retention = numOrNull(row.retention);
  return {
    periodStart: row.period_start,
    periodEnd: row.period_end,
    customers: row.customers,
    newCustomers: row.new_customers,
    activeCustomers: row.active,
    repeatCustomers: row.repeaters,
    repeatRate: row.active > 0 ? row.repeaters / row.active : null,
    orders: row.orders,
    revenue,
    averageOrderValue: row.orders > 0 ? revenue / row.orders : null,
    purchaseFrequency: row.active > 0 ? row.orders / row.active : null,
    retentionRate: retention,
    churnRate: retention === null ? null : 1 - retention,
  };
};

/**
 * KPIs per calendar period of [from, to) in the business time zone, plus totals over the range.
 * The first and last periods are clipped to the range, so totals equal the sum of the periods
 * for additive measures. Activity comes from customer_day_activity (whole days) and the orders
 * of the range's partial first and last day; acquisition (first completed order) from
 * customer_rollups.
 */
export async function kpiOverview(query: Query, input: { from: Date; to: Date; granularity: Granularity }): Promise<KpiOverviewResult> {
  const { from, to, granularity } = input;
  if (!(from.getTime() < to.getTime())) {
    throw badInput("`from` must be before `to`: the range is [from, to).", [fieldProblem("to", "NOT_AFTER", { other: "from" })], "BAD_RANGE");
  }
  const settings = await getSettings(query);
  const tz = settings.timeZone;
  const [count] = await query<{ n: number }>(
    `select (case $3::text
              when 'day' then (t::date - f::date)
              when 'week' then (date_trunc('week', t)::date - date_trunc('week', f)::date) / 7
              when 'month' then ((extract(year from t) - extract(year from f)) * 12 + extract(month from t) - extract(month from f))::int
              else ((extract(year from t) - extract(year from f)) * 4 + extract(quarter from t) - extract(quarter from f))::int
            end + 1)::int as n
       from (select $1::timestamptz at time zone $4::text as f, ($2::timestamptz - interval '1 microsecond') at time zone $4::text as t) x`,
    [from.toISOString(), to.toISOString(), granularity, tz],
  );
  const periodCount = count?.n ?? 0;
  if (periodCount > MAX_KPI_PERIODS) {
    throw badInput(`The range spans ${periodCount} ${granularity} periods; the limit is ${MAX_KPI_PERIODS}. Use a shorter range or a coarser granularity.`, [
      fieldProblem("granularity", "TOO_MANY_PERIODS", { max: MAX_KPI_PERIODS, count: periodCount }),
    ]);
  }

  const rows = await query<KpiRow>(
    `with periods as (
       select (row_number() over (order by local_start))::int as idx, local_start,
              greatest(local_start at time zone $3::text, $1::timestamptz) as period_start,
              least((local_start + $5::interval) at time zone $3::text, $2::timestamptz) as period_end
         from generate_series(date_trunc($4::text, $1::timestamptz at time zone $3::text),
                              ($2::timestamptz - interval '1 microsecond') at time zone $3::text, $5::interval) as local_start
     ), ${dayActivityCtes("$1::timestamptz", "$2::timestamptz", "$3::text")}, activity as (
       -- One row per (customer, period) with completed orders, keyed by the period's local start
       -- so nothing joins row by row against the periods.
       select customer_id, date_trunc($4::text, day::timestamp) as bucket, sum(orders)::int as orders, sum(revenue) as revenue
         from act_days group by 1, 2
     ), presence as (
       -- Who was active in each whole calendar period, for retention: the range's activity plus
       -- the days of the period before the first one and of the first period before the range
       -- starts, so a period's retention is over its whole previous period even when the range
       -- clips that period (the same closed month has the same churn whatever range shows it).
       select customer_id, bucket from activity
       union
       select customer_id, date_trunc($4::text, day::timestamp)
         from customer_day_activity
        where day >= (date_trunc($4::text, $1::timestamptz at time zone $3::text) - $5::interval)::date
          and day <= ($1::timestamptz at time zone $3::text)::date
     ), presence_counts as (
       select bucket, count(*)::int as n from presence group by bucket
     ), per_bucket as (
       select a.bucket, count(*)::int as active, sum(a.orders)::int as orders, sum(a.revenue) as revenue,
              (count(*) filter (where r.first_order_at < greatest(a.bucket at time zone $3::text, $1::timestamptz)))::int as repeaters,
              (count(*) filter (where pr.customer_id is not null))::int as retained
         from activity a
         left join customer_rollups r on r.customer_id = a.customer_id
         left join presence pr on pr.customer_id = a.customer_id and pr.bucket = a.bucket - $5::interval
        group by a.bucket
     ), acquired as (
       select date_trunc($4::text, first_order_at at time zone $3::text) as bucket, count(*)::int as n
         from customer_rollups
        where first_order_at >= $1::timestamptz and first_order_at < $2::timestamptz
        group by 1
     ), earlier as (
       select count(*)::int as n from customer_rollups where first_order_at < $1::timestamptz
     ), whole as (
       select count(*)::int as active, coalesce(sum(c.orders), 0)::int as orders, coalesce(sum(c.revenue), 0) as revenue,
              (count(*) filter (where r.first_order_at < $1::timestamptz))::int as repeaters
         from (select customer_id, sum(orders) as orders, sum(revenue) as revenue from activity group by customer_id) c
         left join customer_rollups r on r.customer_id = c.customer_id
     )
     select p.idx, p.period_start, p.period_end,
            (e.n + sum(coalesce(q.n, 0)) over (order by p.idx))::int as customers,
            coalesce(q.n, 0) as new_customers,
            coalesce(b.active, 0) as active, coalesce(b.repeaters, 0) as repeaters,
            coalesce(b.orders, 0) as orders, coalesce(b.revenue, 0) as revenue,
            case when p.idx = 1 then null
                 else coalesce(b.retained, 0)::float8 / nullif(pc.n, 0) end as retention
       from periods p
       cross join earlier e
       left join acquired q on q.bucket = p.local_start
       left join per_bucket b on b.bucket = p.local_start
       left join presence_counts pc on pc.bucket = p.local_start - $5::interval
     union all
     select 0, $1::timestamptz, $2::timestamptz,
            (e.n + coalesce((select sum(n) from acquired), 0))::int, coalesce((select sum(n) from acquired), 0)::int,
            w.active, w.repeaters, w.orders, w.revenue, null
       from whole w cross join earlier e
     order by 1`,
    [from.toISOString(), to.toISOString(), tz, granularity, PERIOD_STEP[granularity]],
  );
  const [totalsRow, ...periodRows] = rows;
  if (!totalsRow) throw new Error("kpiOverview: the totals row is missing");

  const [clv] = await query<{ id: number; mean_clv: string | null }>(
    `select s.id, (select avg(predicted_clv) from customer_scores where snapshot_id = s.id) as mean_clv
       from snapshots s where s.status = 'succeeded' order by s.as_of desc, s.id desc limit 1`,
  );
  return {
    granularity,
    timeZone: tz,
    currency: settings.currency,
    periods: periodRows.map(toKpiPeriod),
    totals: toKpiPeriod(totalsRow),
    meanClv: numOrNull(clv?.mean_clv),
    snapshotId: clv?.id ?? null,
  };
}
