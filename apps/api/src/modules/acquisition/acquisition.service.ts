// Acquisition economics: per channel and acquisition cohort, what customers cost (per-customer
// cost, else the channel's monthly spend shared equally), the gross profit they realised, the
// residual CLV the latest snapshot predicts, LTV/CAC with a bootstrap interval, and payback.
// Per-customer and per-group figures are set-based SQL; only the bootstrap and the payback
// projection run here, on the arrays the statements return.
import type { Query } from "@ltvloop/db/client";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { dayActivityCtes } from "../orders/day-activity.ts";
import { getSettings } from "../settings/settings.service.ts";
import type { SnapshotParameters } from "../snapshots/snapshot.params.ts";
import { latestSnapshot } from "../snapshots/snapshot.service.ts";
import { bootstrapRatioInterval, type RatioInterval } from "./acquisition.bootstrap.ts";

export type GroupBy = "channel" | "cohort" | "channel_cohort";
export type CohortUnit = "month" | "quarter";

/** Payback curves follow customers for at most this many months. */
export const MAX_CURVE_MONTHS = 60;
/** A projected payback further out than this many months is reported as none. */
export const MAX_PROJECTED_MONTHS = 120;

export interface PaybackPointResult {
  monthsSince: number;
  customers: number;
  cumulativeGrossProfitPerCustomer: number;
  cacPerCustomer: number;
}

export interface AcquisitionGroupResult {
  channel: string | null;
  isUnknownChannel: boolean;
  cohort: string | null;
  customers: number;
  customersWithoutCost: number;
  totalCac: number;
  meanCac: number;
  realisedGrossProfit: number;
  predictedClv: number;
  ltv: number;
  ltvPerCustomer: number;
  ltvToCac: number | null;
  ltvToCacInterval: RatioInterval | null;
  paybackMonth: number | null;
  projectedPaybackMonth: number | null;
  repeatRate: number;
  retention12m: number | null;
  curve: PaybackPointResult[];
}

export interface AcquisitionEconomicsResult {
  groupBy: GroupBy;
  cohortUnit: CohortUnit;
  asOf: Date;
  snapshotId: number | null;
  horizonMonths: number | null;
  monthlyDiscountRate: number | null;
  snapshotMargin: number | null;
  defaultMargin: number;
  timeZone: string;
  groups: AcquisitionGroupResult[];
}

export interface AcquisitionInput {
  groupBy: GroupBy;
  from?: Date | null | undefined;
  to?: Date | null | undefined;
  cohortUnit: CohortUnit;
}

const num = (value: unknown): number => Number(value ?? 0);

/**
 * The per-customer rows every statement starts from. Parameters: $1 from, $2 to, $3 cohort unit,
 * $4 reference time (as-of), $5 snapshot id (or null), $6 time zone, $7 default margin.
 * Acquisition time is acquired_at, else the first completed order; customers acquired at or
 * after the reference time are left out. A channel-month's spend is shared equally by that
 * month's customers of the channel who have no per-customer cost (over all such customers,
 * whatever the range asked for), so per-customer costs win.
 */
const PER_CUSTOMER = `
  cal as (
    -- Business-time-zone month starts from the first acquisition to the reference time, as
    -- instants: an instant's month is found by width_bucket over them, so no row is converted
    -- to local time (which costs embedded PostgreSQL seconds per hundred thousand rows).
    -- first_index numbers the first month (year × 12 + month) so that a business day's month index
    -- is plain arithmetic on the date.
    select array_agg(g.m at time zone $6::text order by g.m) as bounds, min(g.m) as first_month, count(*)::int as n,
           (date_part('year', min(g.m)) * 12 + date_part('month', min(g.m)))::int as first_index
      from generate_series(
             date_trunc('month', least((select min(acquired_at) from customers), (select min(first_order_at) from customer_rollups)) at time zone $6::text),
             date_trunc('month', $4::timestamptz at time zone $6::text),
             interval '1 month') as g(m)
  ), acq as (
    select a.*, width_bucket(a.acquired_at, cal.bounds) as acq_index,
           cal.first_month + (width_bucket(a.acquired_at, cal.bounds) - 1) * interval '1 month' as acq_month,
           cal.n - width_bucket(a.acquired_at, cal.bounds) as months_observed
      from (select c.id as customer_id, c.acquisition_channel as channel, c.acquisition_cost::float8 as own_cost,
                   coalesce(c.acquired_at, r.first_order_at) as acquired_at
              from customers c left join customer_rollups r on r.customer_id = c.id
             where coalesce(c.acquired_at, r.first_order_at) < $4::timestamptz) a
      cross join cal
  ), alloc as (
    select a.channel, a.acq_month, sp.amount::float8 / count(*) as share
      from acq a join channel_spend sp on sp.channel = a.channel and sp.month = a.acq_month::date
     where a.own_cost is null
     group by a.channel, a.acq_month, sp.amount
  ), cust as (
    select a.customer_id, a.channel, a.acq_index, a.months_observed,
           date_trunc($3::text, a.acq_month) as cohort,
           coalesce(a.own_cost, al.share, 0) as cac,
           (a.own_cost is null and al.share is null) as no_cost
      from acq a
      left join alloc al on al.channel = a.channel and al.acq_month = a.acq_month
     where ($1::timestamptz is null or a.acquired_at >= $1::timestamptz) and ($2::timestamptz is null or a.acquired_at < $2::timestamptz)
  ), ${dayActivityCtes("'-infinity'::timestamptz", "$4::timestamptz", "$6::text")}, ord as (
    -- Every business day with completed orders before the reference time (customer_day_activity,
    -- and the orders of the reference time's own day up to it), with its gross profit (own
    -- margins, else the default) and month k since acquisition. A day is already a business date,
    -- so its month index (1 = cal's first month, as width_bucket over the bounds would give) is
    -- arithmetic, not a time-zone conversion per customer-day.
    select cu.customer_id, cu.channel, cu.cohort, cu.months_observed,
           greatest(0, (date_part('year', d.day) * 12 + date_part('month', d.day))::int - cal.first_index + 1 - cu.acq_index) as k,
           d.own_margin_profit::float8 + d.default_margin_revenue::float8 * $7::float8 as gp, d.orders
      from cust cu
      join act_days d on d.customer_id = cu.customer_id
      cross join cal
  ), per as (
    select cu.*, coalesce(p.gp, 0) as realised, coalesce(p.n, 0) as orders, coalesce(p.active12, false) as active12,
           coalesce(p.observed_gp, 0) as observed_gp,
           coalesce(sc.predicted_clv::float8, 0) as predicted,
           coalesce(sc.expected_purchases * sc.expected_spend::float8, 0) as expected_revenue
      from cust cu
      left join (select customer_id, sum(gp) as gp, sum(orders)::int as n, bool_or(k = 12) as active12,
                        sum(gp) filter (where k < months_observed) as observed_gp
                   from ord group by 1) p on p.customer_id = cu.customer_id
      left join customer_scores sc on sc.customer_id = cu.customer_id and sc.snapshot_id = $5::bigint
  )`;

/** A grouping's keys: the channel unless grouped by cohort only, the cohort unless by channel only (s.g is the grouping). */
const KEYS = {
  channel: `case when s.g = 'cohort' then null::text else channel end`,
  cohort: `case when s.g = 'channel' then null::timestamp else cohort end`,
};

interface GroupRow {
  g: GroupBy;
  channel: string | null;
  cohort: string | null;
  customers: number;
  without_cost: number;
  total_cac: number;
  realised: number;
  predicted: number;
  repeaters: number;
  eligible12: number;
  active12: number;
  expected_revenue: number;
  ltvs: number[];
  cacs: number[];
  /** [k, customers, sum of cumulative gross profit, sum of CAC] per month, or null. */
  curve: [number, number, number, number][] | null;
}

/** Months from `last` on at `perMonth` until cumulative profit exceeds CAC; null when never within the cap. */
export function projectPayback(last: { monthsSince: number; gp: number; cac: number }, perMonth: number): number | null {
  if (last.gp > last.cac) return null;
  if (!(perMonth > 0)) return null;
  const month = last.monthsSince + Math.floor((last.cac - last.gp) / perMonth) + 1;
  return month <= MAX_PROJECTED_MONTHS ? month : null;
}

export async function acquisitionEconomics(query: Query, input: AcquisitionInput): Promise<AcquisitionEconomicsResult> {
  const results = await acquisitionEconomicsByGrouping(query, { ...input, groupBys: [input.groupBy] });
  return results.get(input.groupBy) as AcquisitionEconomicsResult;
}

/**
 * Several groupings of the same customers (same cohort unit and range) from one statement: the
 * per-customer rows, most of the work, are made once. The acquisition page shows channels and
 * cohorts side by side.
 */
export async function acquisitionEconomicsByGrouping(
  query: Query,
  input: Omit<AcquisitionInput, "groupBy"> & { groupBys: readonly GroupBy[] },
): Promise<Map<GroupBy, AcquisitionEconomicsResult>> {
  const { cohortUnit, from = null, to = null } = input;
  const groupBys = [...new Set(input.groupBys)];
  if (from && to && !(from.getTime() < to.getTime())) {
    throw badInput("`from` must be before `to`: the range is [from, to).", [fieldProblem("to", "NOT_AFTER", { other: "from" })], "BAD_RANGE");
  }
  const settings = await getSettings(query);
  const snapshot = await latestSnapshot(query);
  const params = (snapshot?.parameters ?? null) as SnapshotParameters | null;
  const asOf = snapshot?.asOf ?? new Date();
  const defaultMargin = Number(settings.defaultMargin);
  const args = [from?.toISOString() ?? null, to?.toISOString() ?? null, cohortUnit, asOf.toISOString(), snapshot?.id ?? null, settings.timeZone, defaultMargin, groupBys];
  const k = KEYS;
  const cohortLabel = cohortUnit === "quarter" ? `to_char(cohort, 'YYYY-"Q"Q')` : `to_char(cohort, 'YYYY-MM')`;

  // One statement: per grouping g ($8) and group the totals, the per-customer arrays the
  // bootstrap resamples, and the payback curve — per month k since acquisition, over the
  // customers whose month k is complete (k < months observed), the sums of their cumulative
  // gross profit through k and of their CAC, as running sums of events (a customer enters at 0
  // and leaves at its months observed), so no row per customer and month is ever made.
  const groups = await query<GroupRow>(
    `with ${PER_CUSTOMER},
     sets as (select unnest($8::text[]) as g),
     ev as (
       select s.g, ${k.channel} as channel, ${k.cohort} as cohort, k, sum(gp) as d_gp, 0::int as d_n, 0::float8 as d_cac
         from ord cross join sets s where k < months_observed group by 1, 2, 3, 4
       union all
       select s.g, ${k.channel}, ${k.cohort}, 0, 0, count(*)::int, sum(cac) from per cross join sets s where months_observed > 0 group by 1, 2, 3
       union all
       select s.g, ${k.channel}, ${k.cohort}, months_observed, -sum(observed_gp), -count(*)::int, -sum(cac) from per cross join sets s where months_observed > 0 group by 1, 2, 3, 4
     ), evg as (
       select g, channel, cohort, k, sum(d_gp) as d_gp, sum(d_n) as d_n, sum(d_cac) as d_cac from ev group by 1, 2, 3, 4
     ), grid as (
       select g, channel, cohort, generate_series(0, least(max(months_observed), ${MAX_CURVE_MONTHS}) - 1) as k
         from (select s.g, ${k.channel} as channel, ${k.cohort} as cohort, months_observed from per cross join sets s) p group by 1, 2, 3
     ), run as (
       select gr.g, gr.channel, gr.cohort, gr.k,
              (sum(coalesce(e.d_n, 0)) over w)::int as n, sum(coalesce(e.d_gp, 0)) over w as gp, sum(coalesce(e.d_cac, 0)) over w as cac
         from grid gr
         left join evg e on e.g = gr.g and coalesce(e.channel, '') = coalesce(gr.channel, '') and (e.channel is null) = (gr.channel is null)
                        and coalesce(e.cohort, '-infinity'::timestamp) = coalesce(gr.cohort, '-infinity'::timestamp) and e.k = gr.k
       window w as (partition by gr.g, gr.channel, gr.cohort order by gr.k)
     ), curves as (
       select g, channel, cohort, json_agg(json_build_array(k, n, gp, cac) order by k) filter (where n > 0) as curve from run group by 1, 2, 3
     ), totals as (
       select s.g, ${k.channel} as channel, ${k.cohort} as cohort, count(*)::int as customers, (count(*) filter (where no_cost))::int as without_cost,
              sum(cac) as total_cac, sum(realised) as realised, sum(predicted) as predicted,
              (count(*) filter (where orders >= 2))::int as repeaters,
              (count(*) filter (where months_observed > 12))::int as eligible12,
              (count(*) filter (where months_observed > 12 and active12))::int as active12,
              sum(expected_revenue) as expected_revenue,
              array_agg(realised + predicted order by customer_id) as ltvs, array_agg(cac order by customer_id) as cacs
         from per cross join sets s group by 1, 2, 3
     )
     select t.g, t.channel, ${cohortLabel.replace("cohort", "t.cohort")} as cohort, t.customers, t.without_cost, t.total_cac, t.realised, t.predicted,
            t.repeaters, t.eligible12, t.active12, t.expected_revenue, t.ltvs, t.cacs, c.curve
       from totals t
       left join curves c on c.g = t.g and coalesce(c.channel, '') = coalesce(t.channel, '') and (c.channel is null) = (t.channel is null)
                         and coalesce(c.cohort, '-infinity'::timestamp) = coalesce(t.cohort, '-infinity'::timestamp)
      order by t.g, t.channel nulls last, t.cohort nulls first`,
    args,
  );

  const horizon = params?.horizonMonths ?? null;
  const snapshotMargin = params?.margin ?? null;
  const toGroup = (groupBy: GroupBy, row: GroupRow): AcquisitionGroupResult => {
    const customers = row.customers;
    const totalCac = num(row.total_cac);
    const realised = num(row.realised);
    const predicted = num(row.predicted);
    const ltv = realised + predicted;
    const curve = (row.curve ?? []).map(([monthsSince, n, gp, cac]) => ({
      monthsSince,
      customers: n,
      cumulativeGrossProfitPerCustomer: num(gp) / n,
      cacPerCustomer: num(cac) / n,
    }));
    const paid = curve.find((p) => p.cumulativeGrossProfitPerCustomer > p.cacPerCustomer);
    const last = curve.at(-1);
    const perMonth = horizon && snapshotMargin !== null ? (num(row.expected_revenue) * snapshotMargin) / horizon / customers : 0;
    const projected = paid
      ? null
      : projectPayback(
          last
            ? { monthsSince: last.monthsSince, gp: last.cumulativeGrossProfitPerCustomer, cac: last.cacPerCustomer }
            : { monthsSince: -1, gp: 0, cac: totalCac / customers },
          perMonth,
        );
    return {
      channel: row.channel,
      isUnknownChannel: groupBy !== "cohort" && row.channel === null,
      cohort: row.cohort,
      customers,
      customersWithoutCost: row.without_cost,
      totalCac,
      meanCac: totalCac / customers,
      realisedGrossProfit: realised,
      predictedClv: predicted,
      ltv,
      ltvPerCustomer: ltv / customers,
      ltvToCac: totalCac > 0 ? ltv / totalCac : null,
      ltvToCacInterval: bootstrapRatioInterval(row.ltvs.map(Number), row.cacs.map(Number)),
      paybackMonth: paid ? paid.monthsSince : null,
      projectedPaybackMonth: projected,
      repeatRate: customers > 0 ? row.repeaters / customers : 0,
      retention12m: row.eligible12 > 0 ? row.active12 / row.eligible12 : null,
      curve,
    };
  };
  return new Map(
    groupBys.map((groupBy) => [
      groupBy,
      {
        groupBy,
        cohortUnit,
        asOf,
        snapshotId: snapshot?.id ?? null,
        horizonMonths: horizon,
        monthlyDiscountRate: params?.monthlyDiscountRate ?? null,
        snapshotMargin,
        defaultMargin,
        timeZone: settings.timeZone,
        groups: groups.filter((row) => row.g === groupBy).map((row) => toGroup(groupBy, row)),
      },
    ]),
  );
}
