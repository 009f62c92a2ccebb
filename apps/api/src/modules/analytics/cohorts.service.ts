// Acquisition-month cohorts (DESIGN §4.2) from customer_rollups (who was acquired when) and
// customer_day_activity (who bought in which month), never from the orders.
import type { Query } from "@ltvloop/db/client";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { getSettings } from "../settings/settings.service.ts";

const num = (value: unknown): number => Number(value ?? 0);

// ─── Cohorts ───────────────────────────────────────────────────────────────────────────

export const MAX_COHORT_MONTHS = 60;

export interface CohortRetentionResult {
  from: Date;
  to: Date;
  maxMonths: number;
  /** The latest business day with a completed order (YYYY-MM-DD), null without orders. */
  dataThrough: string | null;
  /** The month (YYYY-MM) of dataThrough when the data stops before that month's last day: its cells count part of a month. */
  partialMonth: string | null;
  cohorts: { cohortMonth: string; size: number; cells: { monthsSince: number; activeCustomers: number; retention: number; revenue: number }[] }[];
}

/**
 * Acquisition-month cohorts (month of the first completed order, business time zone) of
 * customers acquired in [from, to), followed for months 0…maxMonths up to the month of the
 * latest completed order. Default range: the 12 months ending with that month.
 */
export async function cohortRetention(
  query: Query,
  input: { from?: Date | null | undefined; to?: Date | null | undefined; maxMonths: number },
): Promise<CohortRetentionResult> {
  const { from = null, to = null, maxMonths } = input;
  if (!Number.isInteger(maxMonths) || maxMonths < 0 || maxMonths > MAX_COHORT_MONTHS) {
    throw badInput(`maxMonths must be 0–${MAX_COHORT_MONTHS}; got ${maxMonths}.`, [fieldProblem("maxMonths", "WHOLE_NUMBER", { min: 0, max: MAX_COHORT_MONTHS })]);
  }
  if (from && to && !(from.getTime() < to.getTime())) {
    throw badInput("`from` must be before `to`: the range is [from, to).", [fieldProblem("to", "NOT_AFTER", { other: "from" })], "BAD_RANGE");
  }
  const settings = await getSettings(query);
  const rows = await query<{
    range_from: Date;
    range_to: Date;
    data_through: string | null;
    partial_month: string | null;
    cohort_month: string | null;
    size: number | null;
    k: number | null;
    active: number | null;
    revenue: string | null;
  }>(
    `with latest as (
       select date_trunc('month', coalesce(d.max_day::timestamp, now() at time zone $3::text)) as last_month, d.max_day
         from (select max(day) as max_day from customer_day_activity) d
     ), bounds0 as (
       select l.last_month, l.max_day, coalesce($2::timestamptz, (l.last_month + interval '1 month') at time zone $3::text) as range_to from latest l
     ), bounds as (
       select b.last_month, b.max_day, b.range_to,
              coalesce($1::timestamptz, ((b.range_to at time zone $3::text) - interval '12 months') at time zone $3::text) as range_from
         from bounds0 b
     ), members as (
       select r.customer_id, date_trunc('month', r.first_order_at at time zone $3::text) as cohort
         from customer_rollups r, bounds b
        where r.first_order_at >= b.range_from and r.first_order_at < b.range_to
     ), sizes as (
       select cohort, count(*)::int as size from members group by cohort
     ), activity as (
       select m.cohort,
              ((extract(year from om.month) - extract(year from m.cohort)) * 12 + extract(month from om.month) - extract(month from m.cohort))::int as k,
              count(distinct a.customer_id)::int as active, sum(a.revenue) as revenue
         from members m
         join customer_day_activity a on a.customer_id = m.customer_id and a.day < (m.cohort + make_interval(months => $4::int + 1))::date
         cross join lateral (select date_trunc('month', a.day::timestamp) as month) om
        group by 1, 2
     ), grid as (
       select s.cohort, s.size, k.k
         from sizes s cross join generate_series(0, $4::int) as k(k) cross join bounds b
        where s.cohort + make_interval(months => k.k) <= b.last_month
     )
     select b.range_from, b.range_to, to_char(b.max_day, 'YYYY-MM-DD') as data_through,
            case when b.max_day < (b.last_month + interval '1 month' - interval '1 day')::date then to_char(b.last_month, 'YYYY-MM') end as partial_month,
            to_char(g.cohort, 'YYYY-MM') as cohort_month, g.size, g.k,
            coalesce(a.active, 0) as active, coalesce(a.revenue, 0) as revenue
       from bounds b
       left join (grid g left join activity a on a.cohort = g.cohort and a.k = g.k) on true
      order by g.cohort, g.k`,
    [from?.toISOString() ?? null, to?.toISOString() ?? null, settings.timeZone, maxMonths],
  );
  const first = rows[0];
  if (!first) throw new Error("cohortRetention: the bounds row is missing");
  const cohorts: CohortRetentionResult["cohorts"] = [];
  for (const row of rows) {
    if (row.cohort_month === null || row.size === null || row.k === null) continue;
    let cohort = cohorts.at(-1);
    if (cohort?.cohortMonth !== row.cohort_month) {
      cohort = { cohortMonth: row.cohort_month, size: row.size, cells: [] };
      cohorts.push(cohort);
    }
    const active = row.active ?? 0;
    cohort.cells.push({ monthsSince: row.k, activeCustomers: active, retention: row.size > 0 ? active / row.size : 0, revenue: num(row.revenue) });
  }
  return { from: first.range_from, to: first.range_to, maxMonths, dataThrough: first.data_through, partialMonth: first.partial_month, cohorts };
}
