// The Plan step's baselines: what the control group is expected to do in the coming window,
// forecast from the same RF cells after an earlier snapshot (rfCellForecast), or, without one,
// read from the eligible members' own last window (ownWindow).
import type { Query } from "@ltvloop/db/client";
import { optInCondition } from "./campaign.service.ts";

/**
 * The baselines from RF cells' history: a segment's own window just before the snapshot says
 * little about the next one (lapsed customers rarely bought in it, recent buyers all did).
 * Instead: the latest earlier succeeded snapshot whose as-of is at least one outcome window
 * before this one's; per RF cell, what its customers did in the window after that as-of — the
 * share with a completed order (for lapsed cells, their reactivation rate), and the first two
 * moments of revenue and of orders per customer — weighted by how many eligible members of the
 * segment are in each cell now. The spread is the mixture's (within and between cells). Cells
 * absent from the earlier snapshot are left out of the weights. Null when there is no such
 * snapshot.
 */
export async function rfCellForecast(
  query: Query,
  input: { outcomeWindowDays: number },
  snapshot: { id: number; asOf: Date },
  latestAllowedAsOf: Date,
  cells: readonly { r_score: number; f_score: number; eligible: number }[],
  cached?: CachedRead,
): Promise<RfCellForecast | null> {
  const [prev] = await query<{ id: number; as_of: Date }>(
    "select id, as_of from snapshots where status = 'succeeded' and id <> $1 and as_of <= $2 order by as_of desc, id desc limit 1",
    [snapshot.id, latestAllowedAsOf],
  );
  if (!prev) return null;
  const mix = cells.filter((c) => c.eligible > 0);
  const from = prev.as_of;
  const to = new Date(prev.as_of.getTime() + input.outcomeWindowDays * 86_400_000);
  // With the server's read cache, every cell once (any segment's plan reuses them until orders
  // change); without it, only the segment's cells.
  const past = cached
    ? await cached(`plan.rf-cell-past:${prev.id}:${from.toISOString()}:${to.toISOString()}`, () => pastCells(query, prev.id, from, to, null))
    : await pastCells(query, prev.id, from, to, mix.map(cellKey));
  const byCell = new Map(past.map((p) => [cellKey(p), p]));
  // Moments of a customer drawn from the mixture (each cell weighted by its eligible members).
  let n = 0;
  const m = { rate: 0, rev: 0, rev2: 0, ord: 0, ord2: 0 };
  for (const cell of mix) {
    const p = byCell.get(cellKey(cell));
    if (!p) continue; // a cell absent from the earlier snapshot is left out of the weights
    n += cell.eligible;
    for (const k of MOMENTS) m[k] += cell.eligible * p[k];
  }
  if (n === 0) return null;
  for (const k of MOMENTS) m[k] /= n;
  // The spread, with the n/(n − 1) correction of a sample of the eligible size.
  const spread = (m1: number, m2: number) => ({ mean: m1, sd: n > 1 ? Math.sqrt(Math.max(0, m2 - m1 * m1) * (n / (n - 1))) : 0 });
  return {
    rate: m.rate,
    revenue: spread(m.rev, m.rev2),
    orders: spread(m.ord, m.ord2),
    snapshotId: prev.id,
    from,
    to,
  };
}

/** Reads shared through the server's cache (ServingCache.read), dropped when orders change. */
export type CachedRead = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export interface PlanReadOptions {
  cached?: CachedRead;
}

/** An RF cell as one number (R4F5 → 45), as the per-cell statements take and give them. */
const cellKey = (c: { r_score: number; f_score: number }) => c.r_score * 10 + c.f_score;

const MOMENTS = ["rate", "rev", "rev2", "ord", "ord2"] as const;

interface PastCell {
  r_score: number;
  f_score: number;
  rate: number;
  rev: number;
  rev2: number;
  ord: number;
  ord2: number;
}

/**
 * Per RF cell of snapshot `snapshotId` (all cells, or those of `only`, as cellKey gives them): the share of its
 * customers with a completed order in [from, to) and the first two moments of their revenue and
 * orders there. Each customer's window is probed in customer order (the order scores are stored
 * in, so the orders index is walked forward; grouping by cell first would probe it at random).
 */
async function pastCells(query: Query, snapshotId: number, from: Date, to: Date, only: readonly number[] | null): Promise<PastCell[]> {
  const rows = await query<PastCell>(
    `with per_customer as materialized (
       select p.r_score, p.f_score, w.n, w.rev
         from customer_scores p
         cross join lateral (select count(*)::float8 as n, coalesce(sum(o.amount), 0)::float8 as rev from orders o
                              where o.customer_id = p.customer_id and o.status = 'completed' and o.ordered_at >= $2 and o.ordered_at < $3) w
        where p.snapshot_id = $1
          and ($4::int[] is null or (p.r_score * 10 + p.f_score) = any($4::int[]))
     )
     select r_score, f_score, avg((n > 0)::int::float8) as rate, avg(rev) as rev, avg(rev * rev) as rev2, avg(n) as ord, avg(n * n) as ord2
       from per_customer group by r_score, f_score`,
    [snapshotId, from, to, only],
  );
  return rows.map((r) => ({ r_score: Number(r.r_score), f_score: Number(r.f_score), rate: Number(r.rate), rev: Number(r.rev), rev2: Number(r.rev2), ord: Number(r.ord), ord2: Number(r.ord2) }));
}

/** The eligible members' own completed orders in [from, to): the baseline without an earlier snapshot. */
export async function ownWindow(query: Query, input: { segmentId: number; channel: string }, snapshotId: number, from: Date, to: Date) {
  const [row] = await query<{ converters: number; sum_rev: number; sum_rev2: number; sum_ord: number; sum_ord2: number }>(
    `select (count(*) filter (where w.n > 0))::int as converters,
            coalesce(sum(w.rev), 0)::float8 as sum_rev, coalesce(sum(w.rev * w.rev), 0)::float8 as sum_rev2,
            coalesce(sum(w.n), 0)::float8 as sum_ord, coalesce(sum(w.n * w.n), 0)::float8 as sum_ord2
       from segment_members m
       join customers cu on cu.id = m.customer_id
       cross join lateral (select count(*)::float8 as n, coalesce(sum(o.amount), 0)::float8 as rev from orders o
                            where o.customer_id = m.customer_id and o.status = 'completed' and o.ordered_at >= $3 and o.ordered_at < $4) w
      where m.segment_id = $1 and m.snapshot_id = $2 and ${optInCondition(input.channel)}`,
    [input.segmentId, snapshotId, from, to],
  );
  return { converters: Number(row?.converters ?? 0), sum_rev: Number(row?.sum_rev ?? 0), sum_rev2: Number(row?.sum_rev2 ?? 0), sum_ord: Number(row?.sum_ord ?? 0), sum_ord2: Number(row?.sum_ord2 ?? 0) };
}

export interface RfCellForecast {
  rate: number;
  revenue: { mean: number; sd: number };
  orders: { mean: number; sd: number };
  snapshotId: number;
  /** The window after the earlier snapshot the cells' behaviour was read from. */
  from: Date;
  to: Date;
}
