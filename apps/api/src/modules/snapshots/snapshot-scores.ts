// Step 5 of the snapshot pipeline: every customer's scores in one set-based statement — RFM
// (thresholds or quantiles with ties kept together, as in @ltvloop/scoring/rfm), deciles by
// lifetime revenue, P(alive) and expected purchases, expected spend (Gamma-Gamma, Fader, Hardie
// & Lee 2005 JMR eq. 5), predicted and historical CLV — read from snap_base, snap_factors and
// snap_alive (see snapshot.pipeline.ts) into the snapshot's fresh partition table.
import type { Query } from "@ltvloop/db/client";
import type { BgNbdParams } from "@ltvloop/scoring/btyd/bg-nbd";
import type { GammaGammaParams } from "@ltvloop/scoring/btyd/gamma-gamma";
import type { BtydModel } from "@ltvloop/scoring/clv";
import type { SnapshotParameters } from "./snapshot.params.ts";

export interface ScoresInput {
  snapshotId: number;
  /** The last calendar day the snapshot sees (YYYY-MM-DD). */
  endDay: string;
  params: SnapshotParameters;
  /** Rows of snap_base. */
  customers: number;
  /** Days per model time unit (7 or 1). */
  unit: number;
  /** The model that drives predictions, or null when its fit was refused. */
  model: BtydModel | null;
  /** Gamma-Gamma parameters, or null when the fit was refused. */
  gg: GammaGammaParams | null;
  /** The partition table the rows go into (no index or foreign-key trigger to maintain per row). */
  table: string;
}

/** Writes every snap_base customer's scores into `table` (see the file comment). */
export async function writeScores(query: Query, { snapshotId, endDay, params, customers, unit, model, gg, table: scoresTable }: ScoresInput): Promise<void> {
  const pAliveSql = !model ? "null::float8" : model.kind === "pareto-nbd" ? "al.p_alive" : bgNbdProbabilityAliveSql(model.params, unit);
  const t = params.rfmThresholds;
  const thresholdScores = `
    case when b.recency_days <= ${t.recencyDays[0]} then 5 when b.recency_days <= ${t.recencyDays[1]} then 4
         when b.recency_days <= ${t.recencyDays[2]} then 3 when b.recency_days <= ${t.recencyDays[3]} then 2 else 1 end as r_score,
    1 + (b.win_days >= ${t.frequency[0]})::int + (b.win_days >= ${t.frequency[1]})::int + (b.win_days >= ${t.frequency[2]})::int + (b.win_days >= ${t.frequency[3]})::int as f_score,
    1 + (b.win_revenue >= ${t.monetary[0]})::int + (b.win_revenue >= ${t.monetary[1]})::int + (b.win_revenue >= ${t.monetary[2]})::int + (b.win_revenue >= ${t.monetary[3]})::int as m_score`;
  // Window functions that need the partition's row count (ntile, count(*) over ()) make
  // PostgreSQL spool every wide row first; the count is known, so rank and row_number stream.
  const n = Math.max(customers, 1);
  const quantileScores = `
    1 + least(4, floor(5.0 * (rank() over (order by b.recency_days desc) - 1) / ${n}))::int as r_score,
    1 + least(4, floor(5.0 * (rank() over (order by b.win_days) - 1) / ${n}))::int as f_score,
    1 + least(4, floor(5.0 * (rank() over (order by b.win_revenue) - 1) / ${n}))::int as m_score`;
  // ntile(10) over (order by revenue desc, customer_id) without sorting the wide rows: the last
  // customer of each decile is found by a narrow sort, and a customer's decile is 1 + the
  // number of those boundaries ranked before them.
  const decile = await decileExpression(query, customers);
  // The RF map's 25 keys, row by row, indexed by (r - 1)·5 + f.
  const segmentOf = `(array[${params.rfSegmentMap
    .flatMap((row) => row.map((key) => `'${key.replace(/'/g, "''")}'`))
    .join(", ")}]::text[])[(r_score - 1) * 5 + f_score]`;
  // Money to cents: through int8, which costs a fraction of a float8 → numeric conversion.
  const cents = (value: string) => `(round(${value} * 100)::int8 * 0.01)`;
  // Model outputs are computed in float8 (rounded to cents when stored): numeric division
  // costs several times more per row and buys no accuracy the models have.
  // x · mean repeat spend = revenue after the first purchase day.
  const expectedSpend = gg
    ? `case when b.purchase_days > 1 and b.revenue > b.first_spend
            then (${float8(gg.p)} * (${float8(gg.gamma)} + (b.revenue - b.first_spend)::float8)) / (${float8(gg.p)} * (b.purchase_days - 1) + ${float8(gg.q)} - 1)
            else ${gg.q > 1 ? float8((gg.p * gg.gamma) / (gg.q - 1)) : "null::float8"} end`
    : "null::float8";
  // Look the factors up by hash: a merge join would sort every customer row for a table of
  // a few thousand (x, T) pairs.
  await query("set local enable_mergejoin = off");
  await query(
    `insert into ${scoresTable} (snapshot_id, customer_id, recency_days, frequency, monetary, r_score, f_score, m_score,
                                  rfm_segment, decile, btyd_x, btyd_t_x, btyd_t, p_alive, expected_purchases,
                                  expected_spend, predicted_clv, historical_clv, revenue, order_count, first_order_at, last_order_at)
     select $1, customer_id, recency_days, win_days, win_revenue, r_score, f_score, m_score, ${segmentOf}, decile,
            x, tx, t, p_alive, p_alive * g_horizon, ${cents("expected_spend")},
            ${cents("(p_alive * g_discounted * expected_spend * $3::float8)")}, ${cents("historical_clv")},
            revenue, order_count, first_at, last_at
       from (
         select b.customer_id, b.recency_days, b.win_days, b.win_revenue, b.revenue, b.order_count, b.first_at, b.last_at,
                ${params.rfmBinMode === "quantile" ? quantileScores : thresholdScores},
                ${decile} as decile,
                b.purchase_days - 1 as x, (b.last_d - b.first_d)::float8 / ${unit} as tx, ($2::date - b.first_d)::float8 / ${unit} as t,
                ${pAliveSql} as p_alive, g.horizon as g_horizon, g.discounted as g_discounted,
                ${expectedSpend} as expected_spend,
                b.revenue::float8 / greatest(($2::date - b.first_d + 1) / 365.25::float8, 1.0::float8) * $4::float8 * $3::float8
                  - coalesce(c.acquisition_cost, 0)::float8 as historical_clv
           from (select *, ($2::date - last_d) as recency_days from snap_base) b
           join customers c on c.id = b.customer_id
           left join snap_factors g on g.x = b.purchase_days - 1 and g.t_days = $2::date - b.first_d
           ${model?.kind === "pareto-nbd" ? "left join snap_alive al on al.x = b.purchase_days - 1 and al.tx_days = b.last_d - b.first_d and al.t_days = $2::date - b.first_d" : ""}
         offset 0 -- evaluate each score once: the outer select refers to them several times
       ) scored`,
    [snapshotId, endDay, params.margin, params.expectedLifespanYears],
  );
  await query("set local enable_mergejoin = on");
}

/**
 * SQL giving the decile of a snap_base row `b` as ntile(10) over (order by revenue desc,
 * customer_id) would: the first n mod 10 deciles hold ⌊n/10⌋ + 1 customers, the others ⌊n/10⌋.
 * The last customer of each of deciles 1–9 is looked up by a narrow sort; a row's decile is
 * 1 + the number of those boundary customers ranked before it.
 */
async function decileExpression(query: Query, customers: number): Promise<string> {
  const q = Math.floor(customers / 10);
  const r = customers % 10;
  const lastRanks = Array.from({ length: 9 }, (_, i) => (i + 1 <= r ? (i + 1) * (q + 1) : r * (q + 1) + (i + 1 - r) * q)).filter((rank) => rank >= 1);
  if (lastRanks.length === 0) return "1";
  const rows = await query<{ rn: number; revenue: string; customer_id: number }>(
    `select rn::int, revenue::text, customer_id from (
       select revenue, customer_id, row_number() over (order by revenue desc, customer_id) as rn from snap_base
     ) ranked where rn = any($1::bigint[])`,
    [[...new Set(lastRanks)]],
  );
  const byRank = new Map(rows.map((row) => [row.rn, row]));
  const after = lastRanks.map((rank) => {
    const boundary = byRank.get(rank);
    if (!boundary || !/^-?\d+(\.\d+)?$/.test(boundary.revenue) || !Number.isSafeInteger(Number(boundary.customer_id))) {
      throw new Error(`decile boundary at rank ${rank} not found`);
    }
    const revenue = `${boundary.revenue}::numeric`;
    return `(b.revenue < ${revenue} or (b.revenue = ${revenue} and b.customer_id > ${Number(boundary.customer_id)}))::int`;
  });
  return `(1 + ${after.join(" + ")})`;
}

/** A model parameter as a SQL float8 literal; refuses NaN and infinities. */
function float8(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`model parameter ${v} is not finite`);
  return `${v}::float8`;
}

/**
 * P(alive | x, t_x, T) under BG/NBD as a SQL expression over snap_base `b` (the same closed
 * form as @ltvloop/scoring's bgNbdProbabilityAlive), the log-odds clamped so exp() stays in range.
 */
function bgNbdProbabilityAliveSql(p: BgNbdParams, unit: number): string {
  const x = "(b.purchase_days - 1)";
  const logOdds = `(ln(${float8(p.a)}) - ln(${float8(p.b)} + ${x} - 1)
      + (${float8(p.r)} + ${x}) * (ln(${float8(p.alpha)} + ($2::date - b.first_d)::float8 / ${unit}) - ln(${float8(p.alpha)} + (b.last_d - b.first_d)::float8 / ${unit})))`;
  return `case when b.purchase_days = 1 then 1::float8 else 1 / (1 + exp(least(greatest(${logOdds}, -700), 700))) end`;
}
