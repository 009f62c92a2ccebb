// The dashboard's KPIs and cohorts read the customer_day_activity rollup; this checks them against
// an independent computation from the raw orders (plain SQL over `orders` only) on a randomised
// population written through the real importer: orders at a few seconds either side of midnight
// in Tokyo, refunds and cancellations, a re-import that refunds, re-prices, moves orders across
// midnight and to other customers (bulk mode and row by row), and time-zone changes that move
// the day boundaries (Los Angeles, with its daylight-saving switches).
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCustomers } from "../import/customers-import.service.ts";
import { importOrders } from "../import/orders-import.service.ts";
import { updateSettings } from "../settings/settings.service.ts";
import { cohortRetention } from "./cohorts.service.ts";
import { kpiOverview, type Granularity } from "./kpi.service.ts";
import { mulberry32 } from "@ltvloop/scoring/testing/cdnow";

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
const random = mulberry32;

interface Order {
  id: string;
  customer: string;
  at: Date;
  amount: string;
  status: "completed" | "refunded" | "cancelled";
  margin: string;
}

const CUSTOMERS = 60;
const START = Date.parse("2024-01-01T00:00:00+09:00");
const SPAN_DAYS = 540;

function population(rand: () => number, count: number): Order[] {
  const orders: Order[] = [];
  for (let i = 0; i < count; i++) {
    const day = Math.floor(rand() * SPAN_DAYS);
    // Half the orders fall within a minute of midnight in Tokyo, a quarter within a minute of
    // midnight in Los Angeles (16:00 or 17:00 in Tokyo), the rest anywhere in the day.
    const r = rand();
    const jitter = Math.round((rand() - 0.5) * 120_000);
    const offsetMs = r < 0.5 ? jitter : r < 0.75 ? (rand() < 0.5 ? 16 : 17) * 3600_000 + jitter : Math.floor(rand() * 24 * 3600_000);
    const s = rand();
    orders.push({
      id: `O${i}`,
      customer: `C${Math.floor(rand() ** 1.5 * CUSTOMERS)}`,
      at: new Date(START + day * 86_400_000 + offsetMs),
      amount: (Math.floor(rand() * 2_000_000) / 100).toFixed(2),
      status: s < 0.08 ? "refunded" : s < 0.12 ? "cancelled" : "completed",
      margin: rand() < 0.5 ? "" : (Math.floor(rand() * 10_000) / 10_000).toFixed(4),
    });
  }
  return orders;
}

const csv = (orders: Order[]) =>
  `external_id,customer_external_id,ordered_at,amount,status,gross_margin\n${orders.map((o) => `${o.id},${o.customer},${o.at.toISOString()},${o.amount},${o.status},${o.margin}`).join("\n")}\n`;

/** The KPI statement over the orders alone: per-customer first orders derived from orders too. */
const REFERENCE_KPI = `
  with firsts as (
    select customer_id, min(ordered_at) as first_order_at from orders where status = 'completed' group by 1
  ), periods as (
    select (row_number() over (order by local_start))::int as idx, local_start,
           greatest(local_start at time zone $3::text, $1::timestamptz) as period_start
      from generate_series(date_trunc($4::text, $1::timestamptz at time zone $3::text),
                           ($2::timestamptz - interval '1 microsecond') at time zone $3::text, $5::interval) as local_start
  ), per_customer as (
    select o.customer_id, date_trunc($4::text, o.ordered_at at time zone $3::text) as bucket, count(*)::int as orders, sum(o.amount) as revenue
      from orders o where o.status = 'completed' and o.ordered_at >= $1::timestamptz and o.ordered_at < $2::timestamptz
     group by 1, 2
  ), whole as (
    -- Who bought in each whole calendar period, the range's edges not clipping it: retention is
    -- over the whole previous period.
    select distinct o.customer_id, date_trunc($4::text, o.ordered_at at time zone $3::text) as bucket
      from orders o where o.status = 'completed'
  ), per_bucket as (
    select p.bucket, count(*)::int as active, sum(p.orders)::int as orders, sum(p.revenue) as revenue,
           (count(*) filter (where f.first_order_at < greatest(p.bucket at time zone $3::text, $1::timestamptz)))::int as repeaters,
           (count(*) filter (where exists (select 1 from whole q where q.customer_id = p.customer_id and q.bucket = p.bucket - $5::interval)))::int as retained
      from per_customer p join firsts f on f.customer_id = p.customer_id
     group by p.bucket
  )
  select p.idx, p.period_start,
         (select count(*) from firsts f where f.first_order_at < least((p.local_start + $5::interval) at time zone $3::text, $2::timestamptz))::int as customers,
         (select count(*) from firsts f where f.first_order_at >= p.period_start
             and f.first_order_at < least((p.local_start + $5::interval) at time zone $3::text, $2::timestamptz))::int as new_customers,
         coalesce(b.active, 0) as active, coalesce(b.repeaters, 0) as repeaters, coalesce(b.orders, 0) as orders,
         coalesce(b.revenue, 0)::text as revenue, coalesce(b.retained, 0) as retained,
         (select count(*) from whole w where w.bucket = p.local_start - $5::interval)::int as previous_whole
    from periods p left join per_bucket b on b.bucket = p.local_start
   order by p.idx`;

const STEP: Record<Granularity, string> = { day: "1 day", week: "7 days", month: "1 month", quarter: "3 months" };

async function referenceKpi(db: TestDatabase, from: string, to: string, granularity: Granularity, tz: string) {
  const rows = await db.query<{ period_start: Date; customers: number; new_customers: number; active: number; repeaters: number; orders: number; revenue: string; retained: number; previous_whole: number }>(
    REFERENCE_KPI,
    [from, to, tz, granularity, STEP[granularity]],
  );
  return rows.map((r, i) => ({
    periodStart: r.period_start.toISOString(),
    customers: r.customers,
    newCustomers: r.new_customers,
    activeCustomers: r.active,
    repeatCustomers: r.repeaters,
    orders: r.orders,
    revenue: Number(r.revenue),
    retentionRate: i === 0 || r.previous_whole === 0 ? null : r.retained / r.previous_whole,
  }));
}

/** Cohorts from the orders alone: acquisition month and who bought in which month after it. */
async function referenceCohorts(db: TestDatabase, from: string, to: string, maxMonths: number, tz: string) {
  const rows = await db.query<{ cohort: string; size: number; k: number; active: number; revenue: string }>(
    `with firsts as (
       select customer_id, date_trunc('month', min(ordered_at) at time zone $3::text) as cohort, min(ordered_at) as first_at
         from orders where status = 'completed' group by 1
     ), members as (
       select * from firsts where first_at >= $1::timestamptz and first_at < $2::timestamptz
     ), last as (
       select date_trunc('month', max(ordered_at) at time zone $3::text) as last_month from orders where status = 'completed'
     ), grid as (
       select m.cohort, count(*)::int as size, k from members m cross join generate_series(0, $4::int) k, last l
        where m.cohort + make_interval(months => k) <= l.last_month group by m.cohort, k
     )
     select to_char(g.cohort, 'YYYY-MM') as cohort, g.size, g.k,
            (select count(distinct o.customer_id) from orders o join members m on m.customer_id = o.customer_id
              where o.status = 'completed' and m.cohort = g.cohort
                and date_trunc('month', o.ordered_at at time zone $3::text) = g.cohort + make_interval(months => g.k))::int as active,
            (select coalesce(sum(o.amount), 0) from orders o join members m on m.customer_id = o.customer_id
              where o.status = 'completed' and m.cohort = g.cohort
                and date_trunc('month', o.ordered_at at time zone $3::text) = g.cohort + make_interval(months => g.k))::text as revenue
       from grid g order by g.cohort, g.k`,
    [from, to, tz, maxMonths],
  );
  const cohorts: { cohortMonth: string; size: number; cells: { monthsSince: number; activeCustomers: number; revenue: number }[] }[] = [];
  for (const r of rows) {
    if (cohorts.at(-1)?.cohortMonth !== r.cohort) cohorts.push({ cohortMonth: r.cohort, size: r.size, cells: [] });
    cohorts.at(-1)?.cells.push({ monthsSince: r.k, activeCustomers: r.active, revenue: Number(r.revenue) });
  }
  return cohorts;
}

const RANGES: { from: string; to: string; granularity: Granularity }[] = [
  { from: "2024-01-01T00:00:00+09:00", to: "2025-07-01T00:00:00+09:00", granularity: "month" },
  { from: "2024-01-01T00:00:00+09:00", to: "2025-07-01T00:00:00+09:00", granularity: "quarter" },
  // Edges inside a day, in Tokyo and in Los Angeles.
  { from: "2024-03-03T21:30:00+09:00", to: "2024-09-10T05:15:00+09:00", granularity: "week" },
  { from: "2024-12-30T23:59:59+09:00", to: "2025-02-01T00:00:01+09:00", granularity: "day" },
  { from: "2024-05-05T10:00:00+09:00", to: "2024-05-05T20:00:00+09:00", granularity: "day" },
  { from: "2024-05-05T00:00:30+09:00", to: "2024-05-06T00:00:00+09:00", granularity: "day" },
  // Around the Los Angeles switches to and from daylight saving time (2024-03-10, 2024-11-03).
  { from: "2024-03-01T00:00:00-08:00", to: "2024-03-20T00:00:00-07:00", granularity: "day" },
  { from: "2024-10-27T12:00:00-07:00", to: "2024-11-10T00:00:00-08:00", granularity: "day" },
];

describe.each(testDatabaseKinds())("rollup-based KPIs and cohorts equal the raw orders on %s", (kind) => {
  let db: TestDatabase;
  const rand = random(20_261_203);
  const first = population(rand, 1500);

  beforeAll(async () => {
    db = await createTestDb(kind);
    const customers = Array.from({ length: CUSTOMERS + 1 }, (_, i) => `C${i},Customer ${i}`).join("\n");
    await importCustomers({ handle: db, source: `external_id,name\n${customers}\n`, label: "customers.csv" });
    // The first load in bulk mode, the re-import below row by row.
    await importOrders({ handle: db, source: csv(first), label: "orders.csv", bulkMinRows: 100 });
  }, 120_000);
  afterAll(async () => {
    await db.destroy();
  });

  const rollupsMatchOrders = async () => {
    const [diff] = await db.query<{ n: number }>(
      `with fresh as (
         select o.customer_id, (o.ordered_at at time zone s.time_zone)::date as day, count(*)::int as orders, sum(o.amount) as revenue,
                coalesce(sum(o.amount * o.gross_margin), 0) as own_margin_profit,
                coalesce(sum(o.amount) filter (where o.gross_margin is null), 0) as default_margin_revenue
           from orders o cross join settings s where o.status = 'completed' group by 1, 2
       )
       select count(*)::int as n from (
         (select * from fresh except all select customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue from customer_day_activity)
         union all
         (select customer_id, day, orders, revenue, own_margin_profit, default_margin_revenue from customer_day_activity except all select * from fresh)
       ) d`,
    );
    expect(diff?.n).toBe(0);
    // Each customer's history arrays, in ascending day order, against ordered aggregates over the
    // orders (written in shuffled order: the population's days are drawn at random).
    const [history] = await db.query<{ n: number; customers: number }>(
      `with days as (
         select o.customer_id, (o.ordered_at at time zone s.time_zone)::date as day, count(*)::int as n, sum(o.amount) as spend,
                min(o.ordered_at) as first_at, max(o.ordered_at) as last_at
           from orders o cross join settings s where o.status = 'completed' group by 1, 2
       ), fresh as (
         select d.customer_id, min(d.first_at) as first_order_at, max(d.last_at) as last_order_at, sum(d.n)::int as order_count,
                count(*)::int as purchase_days, sum(d.spend) as revenue,
                array_agg(d.day order by d.day) as purchase_dates,
                array_agg((select sum(e.n) from days e where e.customer_id = d.customer_id and e.day <= d.day)::int order by d.day) as cumulative_orders,
                array_agg((select sum(e.spend) from days e where e.customer_id = d.customer_id and e.day <= d.day) order by d.day) as cumulative_revenue,
                array_agg(d.last_at order by d.day) as day_last_order_at
           from days d group by d.customer_id
       ), stored as (
         select customer_id, first_order_at, last_order_at, order_count, purchase_days, revenue, purchase_dates, cumulative_orders,
                cumulative_revenue, day_last_order_at
           from customer_rollups
       )
       select (select count(*) from fresh)::int as customers, count(*)::int as n from (
         (select * from fresh except all select * from stored) union all (select * from stored except all select * from fresh)
       ) d`,
    );
    expect(history?.customers).toBeGreaterThan(40);
    expect(history?.n).toBe(0);
  };

  const compare = async (tz: string) => {
    await rollupsMatchOrders();
    for (const range of RANGES) {
      const got = await kpiOverview(db.query, { from: new Date(range.from), to: new Date(range.to), granularity: range.granularity });
      expect(got.timeZone).toBe(tz);
      const expected = await referenceKpi(db, range.from, range.to, range.granularity, tz);
      if (Date.parse(range.to) - Date.parse(range.from) > 3 * 86_400_000) expect(expected.some((p) => p.activeCustomers > 0)).toBe(true);
      const actual = got.periods.map((p) => ({
        periodStart: p.periodStart.toISOString(),
        customers: p.customers,
        newCustomers: p.newCustomers,
        activeCustomers: p.activeCustomers,
        repeatCustomers: p.repeatCustomers,
        orders: p.orders,
        revenue: p.revenue,
        retentionRate: p.retentionRate,
      }));
      expect(actual, `${range.from} – ${range.to} by ${range.granularity}`).toEqual(expected);
    }
    for (const maxMonths of [12, 3]) {
      const from = "2024-01-01T00:00:00+09:00";
      const to = "2025-06-15T12:00:00+09:00";
      const got = await cohortRetention(db.query, { from: new Date(from), to: new Date(to), maxMonths });
      const expected = await referenceCohorts(db, from, to, maxMonths, tz);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(got.cohorts.map((c) => ({ cohortMonth: c.cohortMonth, size: c.size, cells: c.cells.map(({ monthsSince, activeCustomers, revenue }) => ({ monthsSince, activeCustomers, revenue })) }))).toEqual(expected);
    }
  };

  it("after the first import", async () => {
    await compare("Asia/Tokyo");
  });

  it("after a re-import that refunds, re-prices, moves orders across midnight and to other customers", async () => {
    const changed = first.map((o) => {
      const r = rand();
      if (r < 0.05) return { ...o, status: "refunded" as const };
      if (r < 0.08) return { ...o, status: "completed" as const };
      if (r < 0.12) return { ...o, amount: (Number(o.amount) + 100).toFixed(2) };
      if (r < 0.18) return { ...o, at: new Date(o.at.getTime() + (rand() < 0.5 ? -1 : 1) * 90_000) };
      if (r < 0.24) return { ...o, customer: `C${Math.floor(rand() * CUSTOMERS)}` };
      return o;
    });
    const more = population(rand, 200).map((o) => ({ ...o, id: `N${o.id}` }));
    await importOrders({ handle: db, source: csv([...changed, ...more]), label: "orders-2.csv" });
    await compare("Asia/Tokyo");
  });

  it("after the time zone changes (day boundaries move) and back", async () => {
    await updateSettings(db, null, { timeZone: "America/Los_Angeles" });
    await compare("America/Los_Angeles");
    await updateSettings(db, null, { timeZone: "Asia/Tokyo" });
    await compare("Asia/Tokyo");
  });
});
