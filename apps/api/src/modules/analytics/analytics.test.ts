import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentProgress } from "../../cli/progress.ts";
import { createTestApi, type GraphQLResponse, type TestApi } from "../../testing/api.ts";
import { seedDemoData } from "../seed/seed.service.ts";
import { createSnapshot, executeSnapshot } from "../snapshots/snapshot.service.ts";
import type { KpiPeriodResult } from "./kpi.service.ts";

const AS_OF = new Date("2025-06-01T00:00:00+09:00");
// Twelve business-time-zone (Asia/Tokyo) months before the demo history ends.
const RANGE = { from: "2024-06-01T00:00:00+09:00", to: "2025-06-01T00:00:00+09:00" };

interface OrderRow {
  customer_id: number;
  month: string;
  day: string;
  ordered_at: Date;
  amount: string;
}

/** Month keys "YYYY-MM" from `first` counting `n` months on. */
const addMonths = (month: string, n: number): string => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
};
const monthsBetween = (a: string, b: string): number => {
  const [ya, ma] = a.split("-").map(Number) as [number, number];
  const [yb, mb] = b.split("-").map(Number) as [number, number];
  return yb * 12 + mb - (ya * 12 + ma);
};
const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

describe.each(testDatabaseKinds())("analytics over HTTP on %s", (kind) => {
  let api: TestApi;
  let cookie: string;
  let snapshotId: number;
  let scored: number;
  let beforeSnapshot: GraphQLResponse;
  /** Every completed order, with its business-time-zone month: the data the expectations come from. */
  let orders: OrderRow[];
  const gql = <T,>(query: string, variables: Record<string, unknown> = {}) => api.gql<T>(query, variables, { cookie });

  beforeAll(async () => {
    api = await createTestApi(kind);
    cookie = await api.loginAs("analyst");
    await seedDemoData(api.db, { seed: 7, customers: 1500, years: 2, asOf: AS_OF, progress: silentProgress });
    beforeSnapshot = await gql("{ rfMatrix { customers } }");
    const created = await createSnapshot(api.db, null, { asOfDate: "2025-06-01" });
    const snapshot = await executeSnapshot(api.db, created.id);
    expect(snapshot.status, snapshot.error ?? "").toBe("succeeded");
    snapshotId = snapshot.id;
    const [count] = await api.db.query<{ n: number }>("select count(*)::int as n from customer_scores where snapshot_id = $1", [snapshotId]);
    scored = count?.n ?? 0;
    orders = await api.db.query<OrderRow>(
      `select customer_id, to_char(ordered_at at time zone (select time_zone from settings), 'YYYY-MM') as month,
              to_char(ordered_at at time zone (select time_zone from settings), 'YYYY-MM-DD') as day, ordered_at, amount
         from orders where status = 'completed'`,
    );
  });

  afterAll(async () => {
    await api.close();
  });

  it("says how to create a snapshot when there is none yet", () => {
    expect(beforeSnapshot.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(beforeSnapshot.errors?.[0]?.message).toMatch(/createSnapshot/);
  });

  it("builds the RF matrix: 25 cells covering every scored customer and all look-back revenue", async () => {
    const res = await gql<{
      rfMatrix: { snapshotId: string; customers: number; revenue: number; cells: { r: number; f: number; customers: number; revenue: number; revenueShare: number; meanMonetary: number | null; segmentKey: string }[] };
    }>("{ rfMatrix { snapshotId customers revenue cells { r f customers revenue revenueShare meanMonetary segmentKey } } }");
    expect(res.errors).toBeUndefined();
    const matrix = res.data!.rfMatrix;
    expect(matrix.snapshotId).toBe(String(snapshotId));
    expect(matrix.cells).toHaveLength(25);
    expect(new Set(matrix.cells.map((c) => `${c.r}:${c.f}`)).size).toBe(25);
    expect(sum(matrix.cells.map((c) => c.customers))).toBe(scored);
    expect(matrix.customers).toBe(scored);
    expect(sum(matrix.cells.map((c) => c.revenueShare))).toBeCloseTo(1, 9);
    const [monetary] = await api.db.query<{ s: string }>("select sum(monetary) as s from customer_scores where snapshot_id = $1", [snapshotId]);
    expect(matrix.revenue).toBeCloseTo(Number(monetary?.s), 2);
    for (const cell of matrix.cells) {
      if (cell.customers === 0) expect(cell.meanMonetary).toBeNull();
      else expect(cell.meanMonetary).toBeCloseTo(cell.revenue / cell.customers, 6);
    }
    // Each cell's segment is the one its customers were scored into.
    const segments = await api.db.query<{ r: number; f: number; keys: string[] }>(
      "select r_score as r, f_score as f, array_agg(distinct rfm_segment) as keys from customer_scores where snapshot_id = $1 group by 1, 2",
      [snapshotId],
    );
    for (const s of segments) {
      expect([matrix.cells.find((c) => c.r === s.r && c.f === s.f)?.segmentKey]).toEqual(s.keys);
    }
  });

  it("ranks customers into ten revenue deciles with a cumulative share ending at 1", async () => {
    const res = await gql<{ deciles: { decile: number; customers: number; orders: number; revenue: number; share: number; cumulativeShare: number; meanOrderValue: number; meanRevenue: number }[] }>(
      `query($id: ID) { deciles(snapshotId: $id) { decile customers orders revenue share cumulativeShare meanOrderValue meanRevenue } }`,
      { id: String(snapshotId) },
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.deciles;
    expect(rows.map((r) => r.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const top = rows[0]!;
    for (const row of rows.slice(1)) expect(top.revenue).toBeGreaterThanOrEqual(row.revenue);
    expect(rows.at(-1)?.cumulativeShare).toBeCloseTo(1, 9);
    const sizes = rows.map((r) => r.customers);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(sum(sizes)).toBe(scored);
    // Lifetime revenue up to the snapshot is every completed order before as_of.
    const before = orders.filter((o) => o.ordered_at < AS_OF);
    expect(sum(rows.map((r) => r.revenue))).toBeCloseTo(sum(before.map((o) => Number(o.amount))), 2);
    expect(sum(rows.map((r) => r.orders))).toBe(before.length);
    expect(top.meanOrderValue).toBeCloseTo(top.revenue / top.orders, 6);
  });

  it("summarises revenue by RFM segment with labels in both languages", async () => {
    const res = await gql<{ rfmSegmentSummary: { segmentKey: string; labelJa: string; labelEn: string; customers: number; revenue: number; revenueShare: number; meanPAlive: number | null; meanPredictedClv: number | null }[] }>(
      "{ rfmSegmentSummary { segmentKey labelJa labelEn customers revenue revenueShare meanPAlive meanPredictedClv } }",
    );
    expect(res.errors).toBeUndefined();
    const rows = res.data!.rfmSegmentSummary;
    expect(sum(rows.map((r) => r.customers))).toBe(scored);
    expect(sum(rows.map((r) => r.revenueShare))).toBeCloseTo(1, 9);
    expect(rows.find((r) => r.segmentKey === "champions")).toMatchObject({ labelJa: "優良顧客", labelEn: "Champions" });
    const revenues = rows.map((r) => r.revenue);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
    for (const row of rows.filter((r) => r.customers > 0)) {
      expect(row.meanPAlive).toBeGreaterThanOrEqual(0);
      expect(row.meanPAlive).toBeLessThanOrEqual(1);
      expect(row.meanPredictedClv).toBeGreaterThanOrEqual(0);
    }
  });

  describe("kpiOverview", () => {
    const KPI = `query($from: DateTimeISO!, $to: DateTimeISO!, $g: Granularity) {
      kpiOverview(from: $from, to: $to, granularity: $g) {
        granularity timeZone currency meanClv snapshotId
        periods { periodStart periodEnd customers newCustomers activeCustomers repeatCustomers repeatRate orders revenue averageOrderValue purchaseFrequency retentionRate churnRate }
        totals { periodStart periodEnd customers newCustomers activeCustomers repeatCustomers orders revenue retentionRate }
      }
    }`;
    /** A period as GraphQL sends it: the service's result with its dates as ISO text. */
    type Period = Omit<KpiPeriodResult, "periodStart" | "periodEnd"> & { periodStart: string; periodEnd: string };
    type Kpi = { kpiOverview: { granularity: string; timeZone: string; currency: string; meanClv: number | null; snapshotId: string | null; periods: Period[]; totals: Period } };

    it("matches the completed orders month by month", async () => {
      const res = await gql<Kpi>(KPI, { ...RANGE, g: "MONTH" });
      expect(res.errors).toBeUndefined();
      const kpi = res.data!.kpiOverview;
      expect(kpi).toMatchObject({ granularity: "MONTH", timeZone: "Asia/Tokyo", currency: "JPY", snapshotId: String(snapshotId) });
      expect(kpi.periods).toHaveLength(12);

      const from = new Date(RANGE.from);
      const to = new Date(RANGE.to);
      const inRange = orders.filter((o) => o.ordered_at >= from && o.ordered_at < to);
      expect(kpi.totals.orders).toBe(inRange.length);
      expect(kpi.totals.revenue).toBeCloseTo(sum(inRange.map((o) => Number(o.amount))), 2);
      expect(sum(kpi.periods.map((p) => p.orders))).toBe(kpi.totals.orders);
      expect(kpi.totals.activeCustomers).toBe(new Set(inRange.map((o) => o.customer_id)).size);

      const firstAt = new Map<number, Date>();
      for (const o of orders) {
        const seen = firstAt.get(o.customer_id);
        if (!seen || o.ordered_at < seen) firstAt.set(o.customer_id, o.ordered_at);
      }
      const firsts = [...firstAt.values()];
      expect(kpi.totals.newCustomers).toBe(firsts.filter((d) => d >= from && d < to).length);
      expect(kpi.totals.customers).toBe(firsts.filter((d) => d < to).length);
      expect(kpi.periods[0]?.customers).toBe(firsts.filter((d) => d < new Date(kpi.periods[0]!.periodEnd)).length);

      // Month by month from the raw orders: active sets, repeaters and retention.
      const activeByMonth = new Map<string, Set<number>>();
      for (const o of inRange) {
        const set = activeByMonth.get(o.month) ?? new Set<number>();
        set.add(o.customer_id);
        activeByMonth.set(o.month, set);
      }
      kpi.periods.forEach((period, i) => {
        const month = addMonths("2024-06", i);
        const active = activeByMonth.get(month) ?? new Set<number>();
        expect(period.activeCustomers).toBe(active.size);
        const start = new Date(period.periodStart);
        const repeaters = [...active].filter((id) => (firstAt.get(id) as Date) < start).length;
        expect(period.repeatCustomers).toBe(repeaters);
        expect(period.purchaseFrequency).toBeCloseTo(period.orders / period.activeCustomers, 9);
        if (i === 0) {
          expect(period.retentionRate).toBeNull();
          expect(period.churnRate).toBeNull();
          return;
        }
        const previous = activeByMonth.get(addMonths("2024-06", i - 1)) ?? new Set<number>();
        const again = [...previous].filter((id) => active.has(id)).length;
        expect(period.retentionRate).toBeCloseTo(again / previous.size, 9);
        expect(period.retentionRate).toBeGreaterThanOrEqual(0);
        expect(period.retentionRate).toBeLessThanOrEqual(1);
        expect(period.churnRate).toBeCloseTo(1 - (period.retentionRate as number), 9);
      });
      expect(kpi.periods[0]?.periodStart).toBe(from.toISOString());
      expect(kpi.periods.at(-1)?.periodEnd).toBe(to.toISOString());
      expect(kpi.totals.retentionRate).toBeNull();

      const [clv] = await api.db.query<{ m: string }>("select avg(predicted_clv) as m from customer_scores where snapshot_id = $1", [snapshotId]);
      expect(kpi.meanClv).toBeCloseTo(Number(clv?.m), 4);
    });

    it("gives a month the same retention whether the range clips the month before it or not", async () => {
      // The range starts mid-August: August is clipped, yet September's retention is over the
      // whole of August, as in a range that starts with August (and as computed from the orders).
      const clipped = await gql<Kpi>(KPI, { from: "2024-08-20T00:00:00+09:00", to: "2024-11-01T00:00:00+09:00", g: "MONTH" });
      const whole = await gql<Kpi>(KPI, { from: "2024-07-01T00:00:00+09:00", to: "2024-11-01T00:00:00+09:00", g: "MONTH" });
      expect(clipped.errors).toBeUndefined();
      const active = (month: string) => new Set(orders.filter((o) => o.month === month).map((o) => o.customer_id));
      const aug = active("2024-08");
      const sep = active("2024-09");
      const expected = [...aug].filter((id) => sep.has(id)).length / aug.size;
      const september = (k: Kpi) => k.kpiOverview.periods.find((p) => p.periodStart === new Date("2024-09-01T00:00:00+09:00").toISOString());
      expect(september(clipped.data!)?.retentionRate).toBeCloseTo(expected, 12);
      expect(september(whole.data!)?.retentionRate).toBeCloseTo(expected, 12);
      expect(clipped.data!.kpiOverview.periods[0]?.retentionRate).toBeNull();
      // The clipped August itself still counts only its days in the range.
      const lateAug = new Set(orders.filter((o) => o.ordered_at >= new Date("2024-08-20T00:00:00+09:00") && o.month === "2024-08").map((o) => o.customer_id));
      expect(clipped.data!.kpiOverview.periods[0]?.activeCustomers).toBe(lateAug.size);
    });

    it("cuts weeks on Mondays and clips the first and last periods to the range", async () => {
      const range = { from: "2025-01-15T00:00:00+09:00", to: "2025-03-10T12:00:00+09:00" };
      const res = await gql<Kpi>(KPI, { ...range, g: "WEEK" });
      expect(res.errors).toBeUndefined();
      const kpi = res.data!.kpiOverview;
      expect(kpi.periods[0]?.periodStart).toBe(new Date(range.from).toISOString());
      expect(kpi.periods.at(-1)?.periodEnd).toBe(new Date(range.to).toISOString());
      for (const period of kpi.periods.slice(1)) {
        // Monday 00:00 in Tokyo is Sunday 15:00 UTC.
        const start = new Date(period.periodStart);
        expect([start.getUTCDay(), start.getUTCHours()]).toEqual([0, 15]);
      }
      const inRange = orders.filter((o) => o.ordered_at >= new Date(range.from) && o.ordered_at < new Date(range.to));
      expect(sum(kpi.periods.map((p) => p.orders))).toBe(inRange.length);
      expect(kpi.totals.revenue).toBeCloseTo(sum(inRange.map((o) => Number(o.amount))), 2);
    });

    it("rejects an empty or reversed range and too many periods", async () => {
      const reversed = await gql<Kpi>(KPI, { from: RANGE.to, to: RANGE.from });
      expect(reversed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(reversed.errors?.[0]?.extensions?.problems?.[0]?.path).toBe("to");
      const empty = await gql<Kpi>(KPI, { from: RANGE.from, to: RANGE.from });
      expect(empty.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const daily = await gql<Kpi>(KPI, { from: "2023-06-01T00:00:00+09:00", to: RANGE.to, g: "DAY" });
      expect(daily.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      expect(daily.errors?.[0]?.message).toMatch(/731 day periods; the limit is 400/);
    });

    it("issues the same number of statements however many periods it returns", async () => {
      const statements = async (from: string) => {
        const before = api.db.statementCount();
        const res = await gql<Kpi>(KPI, { from, to: RANGE.to, g: "MONTH" });
        expect(res.errors).toBeUndefined();
        return { count: api.db.statementCount() - before, periods: res.data!.kpiOverview.periods.length };
      };
      const short = await statements("2025-03-01T00:00:00+09:00");
      const long = await statements("2023-07-01T00:00:00+09:00");
      expect([short.periods, long.periods]).toEqual([3, 23]);
      expect(long.count).toBe(short.count);
    });
  });

  describe("cohortRetention", () => {
    const COHORTS = `query($from: DateTimeISO, $to: DateTimeISO, $max: Int) {
      cohortRetention(from: $from, to: $to, maxMonths: $max) { from to maxMonths dataThrough partialMonth cohorts { cohortMonth size cells { monthsSince activeCustomers retention revenue } } }
    }`;
    type Cohorts = {
      cohortRetention: { from: string; to: string; maxMonths: number; dataThrough: string | null; partialMonth: string | null; cohorts: { cohortMonth: string; size: number; cells: { monthsSince: number; activeCustomers: number; retention: number; revenue: number }[] }[] };
    };

    /** Cohorts recomputed from the raw orders: customer → acquisition month, and who bought in which month. */
    const fromOrders = () => {
      const first = new Map<number, OrderRow>();
      for (const o of orders) {
        const seen = first.get(o.customer_id);
        if (!seen || o.ordered_at < seen.ordered_at) first.set(o.customer_id, o);
      }
      const lastMonth = orders.map((o) => o.month).sort().at(-1) as string;
      return { first, lastMonth };
    };

    it("follows acquisition-month cohorts month by month", async () => {
      const res = await gql<Cohorts>(COHORTS, { ...RANGE, max: 12 });
      expect(res.errors).toBeUndefined();
      const { cohorts } = res.data!.cohortRetention;
      const { first, lastMonth } = fromOrders();
      const acquired = [...first.values()].filter((o) => o.ordered_at >= new Date(RANGE.from) && o.ordered_at < new Date(RANGE.to));
      expect(sum(cohorts.map((c) => c.size))).toBe(acquired.length);
      expect(cohorts.map((c) => c.cohortMonth)).toEqual([...new Set(acquired.map((o) => o.month))].sort());
      for (const cohort of cohorts) {
        expect(cohort.cells[0]).toMatchObject({ monthsSince: 0, retention: 1, activeCustomers: cohort.size });
        expect(cohort.cells).toHaveLength(Math.min(12, monthsBetween(cohort.cohortMonth, lastMonth)) + 1);
      }
      // Month 1 of the oldest cohort, counted from the orders.
      const oldest = cohorts[0]!;
      const members = new Set(acquired.filter((o) => o.month === oldest.cohortMonth).map((o) => o.customer_id));
      const next = addMonths(oldest.cohortMonth, 1);
      const monthOne = orders.filter((o) => o.month === next && members.has(o.customer_id));
      expect(oldest.cells[1]?.activeCustomers).toBe(new Set(monthOne.map((o) => o.customer_id)).size);
      expect(oldest.cells[1]?.revenue).toBeCloseTo(sum(monthOne.map((o) => Number(o.amount))), 2);
      expect(oldest.cells[1]?.retention).toBeCloseTo((oldest.cells[1]?.activeCustomers ?? 0) / oldest.size, 9);
    });

    it("defaults to the last 12 cohorts up to the latest order", async () => {
      const res = await gql<Cohorts>(COHORTS);
      expect(res.errors).toBeUndefined();
      const result = res.data!.cohortRetention;
      const { lastMonth } = fromOrders();
      expect(result.maxMonths).toBe(12);
      expect(result.cohorts.length).toBeLessThanOrEqual(12);
      expect(result.cohorts.at(-1)?.cohortMonth).toBe(lastMonth);
      expect(result.cohorts[0]?.cohortMonth).toBe(addMonths(lastMonth, -11));
      // The last month's cells are flagged as part of a month when the orders stop before its end.
      const lastDay = orders.map((o) => o.day).sort().at(-1) as string;
      const [y, m, d] = lastDay.split("-").map(Number) as [number, number, number];
      expect(result.dataThrough).toBe(lastDay);
      expect(result.partialMonth).toBe(d < new Date(Date.UTC(y, m, 0)).getUTCDate() ? lastMonth : null);
    });

    it("rejects a reversed range and an out-of-range maxMonths", async () => {
      const reversed = await gql<Cohorts>(COHORTS, { from: RANGE.to, to: RANGE.from });
      expect(reversed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
      const tooLong = await gql<Cohorts>(COHORTS, { max: 500 });
      expect(tooLong.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    });
  });

  it("reports the snapshot's model fits and histograms", async () => {
    const res = await gql<{
      clvModel: {
        snapshotId: string;
        timeUnit: string;
        customers: number;
        drivingModel: string;
        bgNbd: { r: number; alpha: number; a: number; b: number; logLikelihood: number; error: string | null };
        paretoNbd: { r: number | null; error: string | null };
        gammaGamma: { p: number | null; q: number | null; gamma: number | null; error: string | null };
        holdout: { customers: number; byFrequency: { customers: number }[]; tracking: { week: number }[]; error: string | null } | null;
        pAliveHistogram: { from: number; to: number; customers: number }[];
        clvHistogram: { from: number; to: number | null; customers: number }[];
        horizonMonths: number;
      };
    }>(`{ clvModel {
      snapshotId timeUnit customers drivingModel horizonMonths
      bgNbd { r alpha a b logLikelihood error } paretoNbd { r error } gammaGamma { p q gamma error }
      holdout { customers byFrequency { customers } tracking { week } error }
      pAliveHistogram { from to customers } clvHistogram { from to customers }
    } }`);
    expect(res.errors).toBeUndefined();
    const model = res.data!.clvModel;
    expect(model).toMatchObject({ snapshotId: String(snapshotId), timeUnit: "week", customers: scored, drivingModel: "BG_NBD", horizonMonths: 12 });
    const bg = model.bgNbd;
    expect(bg.error).toBeNull();
    for (const value of [bg.r, bg.alpha, bg.a, bg.b]) {
      expect(Number.isFinite(value) && value > 0).toBe(true);
    }
    expect(bg.logLikelihood).toBeLessThan(0);
    expect(model.pAliveHistogram).toHaveLength(10);
    expect(sum(model.pAliveHistogram.map((b) => b.customers))).toBe(scored);
    expect(model.pAliveHistogram[0]).toMatchObject({ from: 0, to: 0.1 });
    const [clvCount] = await api.db.query<{ n: number }>("select count(predicted_clv)::int as n from customer_scores where snapshot_id = $1", [snapshotId]);
    expect(sum(model.clvHistogram.map((b) => b.customers))).toBe(clvCount?.n);
    expect(model.clvHistogram.at(-1)?.to).toBeNull();
    // The open bin starts at the 99th percentile, so it holds about 1% of customers.
    expect(model.clvHistogram.at(-1)!.customers).toBeLessThanOrEqual(Math.ceil((clvCount?.n ?? 0) * 0.02));
    if (model.holdout && !model.holdout.error) {
      expect(sum(model.holdout.byFrequency.map((b) => b.customers))).toBe(model.holdout.customers);
    }
  });

  it("answers analysts and nobody signed out; unknown snapshots are NOT_FOUND, malformed ids BAD_USER_INPUT", async () => {
    const anonymous = await api.gql("{ deciles { decile } }");
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data).toBeNull();
    const reviewer = await api.gql("{ rfmSegmentSummary { segmentKey } }", {}, { cookie: await api.loginAs("reviewer") });
    expect(reviewer.errors).toBeUndefined();
    for (const field of ["rfMatrix(snapshotId: $id) { customers }", "deciles(snapshotId: $id) { decile }", "clvModel(snapshotId: $id) { customers }"]) {
      const unknown = await gql(`query($id: ID) { ${field} }`, { id: String(snapshotId + 1000) });
      expect(unknown.errors?.[0]?.extensions?.code, field).toBe("NOT_FOUND");
      // Not an id at all: refused before any SQL runs.
      const malformed = await gql(`query($id: ID) { ${field} }`, { id: "not-an-id" });
      expect(malformed.errors?.[0]?.extensions?.code, field).toBe("BAD_USER_INPUT");
    }
  });
});
