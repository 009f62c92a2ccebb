import type { DbHandle, Query } from "@ltvloop/db/client";
import { createTestDb, testDatabaseKinds, type TestDatabase } from "@ltvloop/db/testing";
import { bgNbdProbabilityAlive, type BgNbdFit } from "@ltvloop/scoring/btyd/bg-nbd";
import type { GammaGammaFit } from "@ltvloop/scoring/btyd/gamma-gamma";
import { paretoNbdProbabilityAlive, type ParetoNbdFit } from "@ltvloop/scoring/btyd/pareto-nbd";
import { clvDiscountedMonthly, conditionalExpectedPurchases } from "@ltvloop/scoring/clv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_AS_OF_DATE, seedScoredDemo } from "../../testing/demo.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import { updateSettings } from "../settings/settings.service.ts";
import type { ModelFits } from "./snapshot.pipeline.ts";
import { createSnapshot, executeSnapshot, latestSnapshot, type SnapshotRow } from "./snapshot.service.ts";

const DAY_MS = 86_400_000;

/** A handle whose transactions fail at the first statement matching `pattern`. */
function failingAt(handle: DbHandle, pattern: RegExp): DbHandle {
  return {
    ...handle,
    transaction: (work) =>
      handle.transaction(({ db, query, copyIn }) => {
        const failing: Query = (text, params) => {
          if (pattern.test(text)) return Promise.reject(new Error(`injected failure at: ${text.slice(0, 60)}`));
          return query(text, params);
        };
        return work({ db, query: failing, copyIn });
      }),
  };
}

async function partitions(query: Query, parent: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
      where p.relname = $1 and p.relnamespace = to_regnamespace(current_schema())::oid order by 1`,
    [parent],
  );
  return rows.map((r) => r.name);
}

describe.each(testDatabaseKinds())("snapshot pipeline on %s", (kind) => {
  let db: TestDatabase;
  let first: SnapshotRow;

  beforeAll(async () => {
    db = await createTestDb(kind);
    first = await seedScoredDemo(db, 600);
  });
  afterAll(async () => {
    await db.destroy();
  });

  it("scores every customer with a completed order before the as-of, in the snapshot's own partitions", async () => {
    const [counts] = await db.query<{ buyers: number; scores: number; members: number }>(
      `select (select count(distinct customer_id)::int from orders where status = 'completed' and ordered_at < $1::timestamptz) as buyers,
              (select count(*)::int from customer_scores where snapshot_id = $2) as scores,
              (select count(*)::int from segment_members m join segments g on g.id = m.segment_id where g.kind = 'rfm' and m.snapshot_id = $2) as members`,
      [first.asOf, first.id],
    );
    expect(counts?.scores).toBe(counts?.buyers);
    expect(first.customerCount).toBe(counts?.buyers);
    // Every scored customer is in exactly one built-in RFM segment.
    expect(counts?.members).toBe(counts?.scores);
    expect(await partitions(db.query, "customer_scores")).toEqual([`customer_scores_${first.id}`]);
    expect(await partitions(db.query, "segment_members")).toEqual([`segment_members_${first.id}`]);
    expect(Object.keys(first.timings)).toEqual(
      expect.arrayContaining(["aggregate", "fit", "predict", "scores", "segments", "holdout", "publish"]),
    );
  });

  it("writes the BTYD statistics, P(alive) and predicted CLV the scoring package gives for each customer's orders", async () => {
    const fits = (await db.query<{ model_fits: ModelFits }>("select model_fits from snapshots where id = $1", [first.id]))[0]?.model_fits;
    const bg = fits?.bgNbd as BgNbdFit;
    const gg = fits?.gammaGamma as GammaGammaFit;
    expect(bg.params.r).toBeGreaterThan(0);
    const scores = await db.query<{
      customer_id: number;
      btyd_x: number;
      btyd_t_x: number;
      btyd_t: number;
      p_alive: number;
      expected_purchases: number;
      expected_spend: string | null;
      predicted_clv: string | null;
    }>("select * from customer_scores where snapshot_id = $1 order by customer_id limit 40", [first.id]);
    const orders = await db.query<{ customer_id: number; day: string; amount: string }>(
      `select customer_id, to_char(ordered_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as day, amount from orders
        where status = 'completed' and ordered_at < $1::timestamptz and customer_id = any($2::bigint[]) order by ordered_at`,
      [first.asOf, scores.map((s) => s.customer_id)],
    );
    const endDay = Date.parse(`${DEMO_AS_OF_DATE}T00:00:00Z`) - DAY_MS; // the last day the snapshot sees
    for (const s of scores) {
      const mine = orders.filter((o) => o.customer_id === s.customer_id);
      const days = [...new Set(mine.map((o) => o.day))].map((d) => Date.parse(`${d}T00:00:00Z`)).sort((a, b) => a - b);
      const firstDay = days[0] as number;
      const lastDay = days[days.length - 1] as number;
      const history = { x: days.length - 1, tx: (lastDay - firstDay) / DAY_MS / 7, T: (endDay - firstDay) / DAY_MS / 7 };
      expect(s.btyd_x).toBe(history.x);
      expect(s.btyd_t_x).toBeCloseTo(history.tx, 10);
      expect(s.btyd_t).toBeCloseTo(history.T, 10);
      expect(s.p_alive).toBeCloseTo(bgNbdProbabilityAlive(bg.params, history.x, history.tx, history.T), 10);
      expect(s.expected_purchases).toBeCloseTo(conditionalExpectedPurchases({ kind: "bg-nbd", params: bg.params }, 360 / 7, history), 10);
      // Gamma-Gamma expected spend from the repeat purchases' mean (first purchase day excluded).
      const spendByDay = new Map<string, number>();
      for (const o of mine) spendByDay.set(o.day, (spendByDay.get(o.day) ?? 0) + Number(o.amount));
      const repeat = [...spendByDay.entries()].filter(([d]) => Date.parse(`${d}T00:00:00Z`) !== firstDay).map(([, v]) => v);
      const spend =
        repeat.length > 0
          ? (gg.params.p * (gg.params.gamma + repeat.length * (repeat.reduce((a, b) => a + b, 0) / repeat.length))) / (gg.params.p * repeat.length + gg.params.q - 1)
          : (gg.params.p * gg.params.gamma) / (gg.params.q - 1);
      expect(Number(s.expected_spend)).toBeCloseTo(spend, 1);
      const clv = clvDiscountedMonthly({ kind: "bg-nbd", params: bg.params }, history, {
        expectedSpend: Number(s.expected_spend),
        months: 12,
        monthlyDiscountRate: 0.01,
        margin: 0.3,
      }).clv;
      expect(Math.abs(Number(s.predicted_clv) - clv)).toBeLessThanOrEqual(0.01 + clv * 1e-3);
    }
  });

  it("ranks deciles exactly as ntile(10) over lifetime revenue, ties broken by customer", async () => {
    const rows = await db.query<{ decile: number; expected: number }>(
      `select decile, ntile(10) over (order by revenue desc, customer_id) as expected from customer_scores where snapshot_id = $1`,
      [first.id],
    );
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.length % 10).not.toBe(0); // uneven deciles: the first ones hold one customer more
    expect(rows.filter((r) => r.decile !== Number(r.expected))).toEqual([]);
  });

  for (const stage of [/^insert into customer_scores_/, /attach partition segment_members/, /^update snapshots set status = 'succeeded'/]) {
    it(`a run failing at "${stage.source}" is marked failed and leaves the previous snapshot untouched`, async () => {
      const before = await db.query<{ n: number; clv: string }>(
        "select count(*)::int as n, sum(predicted_clv)::text as clv from customer_scores where snapshot_id = $1",
        [first.id],
      );
      const queued = await createSnapshot(db, null, { asOfDate: DEMO_AS_OF_DATE });
      const failed = await executeSnapshot(failingAt(db, stage), queued.id);
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/injected failure/);
      expect((await latestSnapshot(db.query))?.id).toBe(first.id);
      const after = await db.query<{ n: number; clv: string }>(
        "select count(*)::int as n, sum(predicted_clv)::text as clv from customer_scores where snapshot_id = $1",
        [first.id],
      );
      expect(after).toEqual(before);
      const [leftovers] = await db.query<{ scores: number; members: number }>(
        `select (select count(*)::int from customer_scores where snapshot_id = $1) as scores,
                (select count(*)::int from segment_members where snapshot_id = $1) as members`,
        [queued.id],
      );
      expect(leftovers).toEqual({ scores: 0, members: 0 });
      expect(await partitions(db.query, "customer_scores")).toEqual([`customer_scores_${first.id}`]);
    });
  }

  it("fits on a deterministic random sample above fitSampleCustomers, scoring everyone with the sample's fit", async () => {
    const run = async () => {
      const queued = await createSnapshot(db, null, { asOfDate: DEMO_AS_OF_DATE });
      await db.query(`update snapshots set parameters = jsonb_set(parameters, '{fitSampleCustomers}', '250') where id = $1`, [queued.id]);
      const done = await executeSnapshot(db, queued.id);
      expect(done.status).toBe("succeeded");
      const [row] = await db.query<{ model_fits: ModelFits }>("select model_fits from snapshots where id = $1", [done.id]);
      return { done, fits: row?.model_fits as ModelFits };
    };
    const { done, fits } = await run();
    expect(fits.customers).toBe(first.customerCount);
    expect(fits.fitCustomers).toBeGreaterThan(150);
    expect(fits.fitCustomers).toBeLessThan(first.customerCount ?? 0);
    const bg = fits.bgNbd as BgNbdFit;
    const full = (await db.query<{ model_fits: ModelFits }>("select model_fits from snapshots where id = $1", [first.id]))[0]?.model_fits.bgNbd as BgNbdFit;
    // The sample's log-likelihood is scaled to every customer: close to the full fit's.
    expect(Math.abs(bg.logLikelihood - full.logLikelihood) / Math.abs(full.logLikelihood)).toBeLessThan(0.1);
    const [check] = await db.query<{ n: number }>(
      "select count(*)::int as n from customer_scores where snapshot_id = $1 and p_alive is not null",
      [done.id],
    );
    expect(check?.n).toBe(first.customerCount);
    const sample = await db.query<{ x: number; t_x: number; t: number; p_alive: number }>(
      "select btyd_x as x, btyd_t_x as t_x, btyd_t as t, p_alive from customer_scores where snapshot_id = $1 order by customer_id limit 50",
      [done.id],
    );
    for (const s of sample) expect(s.p_alive).toBeCloseTo(bgNbdProbabilityAlive(bg.params, s.x, s.t_x, s.t), 10);
    expect("byFrequency" in (fits.holdout ?? {})).toBe(true);
    // Deterministic: the same data gives the same sample and the same fit.
    const again = await run();
    expect((again.fits.bgNbd as BgNbdFit).params).toEqual(bg.params);
    expect(again.fits.fitCustomers).toBe(fits.fitCustomers);
  });

  it("with Pareto/NBD driving, writes its P(alive) and expectations per customer", async () => {
    const queued = await createSnapshot(db, null, { asOfDate: DEMO_AS_OF_DATE, model: "pareto-nbd" });
    const done = await executeSnapshot(db, queued.id);
    expect(done.status).toBe("succeeded");
    const [row] = await db.query<{ model_fits: ModelFits }>("select model_fits from snapshots where id = $1", [done.id]);
    const pareto = row?.model_fits.paretoNbd as ParetoNbdFit;
    expect(pareto.params.r).toBeGreaterThan(0);
    const model = { kind: "pareto-nbd" as const, params: pareto.params };
    const scores = await db.query<{ x: number; t_x: number; t: number; p_alive: number; expected_purchases: number }>(
      "select btyd_x as x, btyd_t_x as t_x, btyd_t as t, p_alive, expected_purchases from customer_scores where snapshot_id = $1 order by customer_id limit 40",
      [done.id],
    );
    expect(scores).toHaveLength(40);
    for (const s of scores) {
      expect(s.p_alive).toBeCloseTo(paretoNbdProbabilityAlive(pareto.params, s.x, s.t_x, s.t), 10);
      expect(s.expected_purchases).toBeCloseTo(conditionalExpectedPurchases(model, 360 / 7, { x: s.x, tx: s.t_x, T: s.t }), 10);
    }
  });

  it("computes the next snapshot after failures, and deleting a snapshot deletes its scores and memberships", async () => {
    const queued = await createSnapshot(db, null, { asOfDate: "2025-05-01" });
    const second = await executeSnapshot(db, queued.id);
    expect(second.status).toBe("succeeded");
    expect(await partitions(db.query, "customer_scores")).toEqual(expect.arrayContaining([`customer_scores_${first.id}`, `customer_scores_${second.id}`]));
    const [n] = await db.query<{ n: number }>("select count(*)::int as n from customer_scores where snapshot_id = $1", [second.id]);
    expect(n?.n).toBe(second.customerCount);
    expect(second.customerCount).toBeLessThanOrEqual(first.customerCount ?? 0);
    await db.query("delete from snapshots where id = $1", [second.id]);
    const [gone] = await db.query<{ scores: number; members: number }>(
      `select (select count(*)::int from customer_scores where snapshot_id = $1) as scores,
              (select count(*)::int from segment_members where snapshot_id = $1) as members`,
      [second.id],
    );
    expect(gone).toEqual({ scores: 0, members: 0 });
  });
});

/** Each customer's statistics as of `asOf`, straight from the orders, days counted in `timeZone`. */
async function statisticsFromOrders(query: Query, asOf: Date, timeZone: string) {
  return query<Statistics>(
    `with bounds as (select (($1::timestamptz - interval '1 microsecond') at time zone $2)::date as e),
          days as (
            select o.customer_id, (o.ordered_at at time zone $2)::date as d, count(*)::int as n, sum(o.amount) as spend,
                   min(o.ordered_at) as f, max(o.ordered_at) as l
              from orders o where o.status = 'completed' and o.ordered_at < $1::timestamptz group by 1, 2
          )
     select customer_id, count(*)::int - 1 as x, (max(d) - min(d))::int as tx_days, (max(e) - min(d))::int as t_days,
            (max(e) - max(d))::int as recency_days, sum(n)::int as order_count, sum(spend)::numeric(16, 2)::text as revenue,
            min(f) as first_at, max(l) as last_at, count(*) filter (where d > e - 365)::int as win_days,
            coalesce(sum(spend) filter (where d > e - 365), 0)::numeric(16, 2)::text as win_revenue
       from days, bounds group by customer_id order by customer_id`,
    [asOf, timeZone],
  );
}

interface Statistics {
  customer_id: number;
  x: number;
  tx_days: number;
  t_days: number;
  recency_days: number;
  order_count: number;
  revenue: string;
  first_at: Date;
  last_at: Date;
  win_days: number;
  win_revenue: string;
}

/** The same statistics as a snapshot stored them (BTYD times in weeks back to days). */
async function statisticsOfSnapshot(query: Query, snapshotId: number) {
  return query<Statistics>(
    `select customer_id, btyd_x as x, round(btyd_t_x * 7)::int as tx_days, round(btyd_t * 7)::int as t_days, recency_days,
            order_count, revenue::text, first_order_at as first_at, last_order_at as last_at, frequency as win_days,
            monetary::numeric(16, 2)::text as win_revenue
       from customer_scores where snapshot_id = $1 order by customer_id`,
    [snapshotId],
  );
}

describe.each(testDatabaseKinds())("snapshots from the rollups on %s", (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDb(kind);
    await seedScoredDemo(db, 300);
  });
  afterAll(async () => {
    await db.destroy();
  });

  const snapshotAt = async (input: Parameters<typeof createSnapshot>[2]) => {
    const done = await executeSnapshot(db, (await createSnapshot(db, null, input)).id);
    expect(done.status).toBe("succeeded");
    return done;
  };

  it("as of an instant inside a day, counts that day's orders before the instant and none after", async () => {
    const asOf = new Date("2025-05-20T12:00:00+09:00");
    const ids = (await db.query<{ id: number }>("select id from customers order by id limit 3")).map((r) => r.id);
    const [a, b, c] = ids as [number, number, number];
    const at = (time: string) => new Date(`2025-05-20T${time}+09:00`);
    await db.query(
      `insert into orders (external_id, customer_id, ordered_at, amount, status, channel, items)
       select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[], $5::text[], $6::text[], $7::int[])`,
      [
        ["edge-a1", "edge-a2", "edge-a3", "edge-b1", "edge-c1"],
        [a, a, a, b, c],
        [at("09:00:00"), at("11:59:59"), at("15:00:00"), at("12:00:00"), at("00:00:00")].map((t) => t.toISOString()),
        [1000, 2500, 9999, 7777, 1234],
        ["completed", "completed", "completed", "completed", "completed"],
        ["online", "online", "online", "store", "store"],
        [1, 2, 1, 1, 1],
      ],
    );
    await refreshRollups(db.query, "Asia/Tokyo", ids);
    const done = await snapshotAt({ asOf });
    const expected = await statisticsFromOrders(db.query, asOf, "Asia/Tokyo");
    expect(expected.length).toBeGreaterThan(100);
    expect(await statisticsOfSnapshot(db.query, done.id)).toEqual(expected);
    // The orders at or after 12:00 (a's third, b's) are not in it; the two before noon are.
    const mine = expected.find((s) => s.customer_id === a) as Statistics;
    expect(mine.last_at).toEqual(at("11:59:59"));
    expect(mine.recency_days).toBe(0);
    expect((expected.find((s) => s.customer_id === b) as Statistics).last_at.getTime()).toBeLessThan(at("00:00:00").getTime());
  });

  it("as of a day's end, reads whole days from the rollups and matches the orders", async () => {
    const done = await snapshotAt({ asOfDate: "2025-05-21" });
    expect(await statisticsOfSnapshot(db.query, done.id)).toEqual(await statisticsFromOrders(db.query, done.asOf, "Asia/Tokyo"));
  });

  it("a new business time zone recounts the rollups' purchase days, and a snapshot queued under the old zone keeps it", async () => {
    const queuedInTokyo = await createSnapshot(db, null, { asOfDate: "2025-04-01" });
    await updateSettings(db, null, { timeZone: "America/Los_Angeles" });
    const [mismatch] = await db.query<{ n: number }>(
      `select count(*)::int as n from customer_rollups r
         full join (select customer_id, array_agg(d order by d) as ds
                      from (select distinct customer_id, (ordered_at at time zone 'America/Los_Angeles')::date as d
                              from orders where status = 'completed') days
                     group by 1) o on o.customer_id = r.customer_id
        where r.purchase_dates is distinct from o.ds or r.purchase_days <> cardinality(o.ds)`,
    );
    expect(mismatch?.n).toBe(0);
    // Queued before the change: its days are still counted in Tokyo time (from the orders).
    const done = await executeSnapshot(db, queuedInTokyo.id);
    expect(done.status).toBe("succeeded");
    expect(await statisticsOfSnapshot(db.query, done.id)).toEqual(await statisticsFromOrders(db.query, done.asOf, "Asia/Tokyo"));
    const inLosAngeles = await snapshotAt({ asOfDate: "2025-04-01" });
    expect(await statisticsOfSnapshot(db.query, inLosAngeles.id)).toEqual(await statisticsFromOrders(db.query, inLosAngeles.asOf, "America/Los_Angeles"));
    // Days counted differently somewhere: the two zones' snapshots differ.
    expect(await statisticsOfSnapshot(db.query, inLosAngeles.id)).not.toEqual(await statisticsOfSnapshot(db.query, done.id));
    await updateSettings(db, null, { timeZone: "Asia/Tokyo" });
  });
});
