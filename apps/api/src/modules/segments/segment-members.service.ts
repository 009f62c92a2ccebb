import type { Query } from "@ltvloop/db/client";
import { DEFAULT_RF_SEGMENT_MAP, RFM_SEGMENT_LABELS, type RfmSegmentKey } from "@ltvloop/scoring/rfm";
import { compileRule } from "./segment-rule.ts";

/** Colours of the built-in RFM segments, from best to worst. */
const RFM_COLORS: Record<RfmSegmentKey, string> = {
  champions: "#1b9e77",
  loyal: "#66a61e",
  promising: "#a6d854",
  new: "#7570b3",
  need_attention: "#e6ab02",
  at_risk: "#d95f02",
  hibernating: "#a6761d",
  lost: "#666666",
};

/** Creates the named RFM segments (優良顧客 Champions, …) once; operators may rename them. */
export async function ensureRfmSegments(query: Query): Promise<void> {
  const keys = Object.keys(RFM_SEGMENT_LABELS) as RfmSegmentKey[];
  await query(
    `insert into segments (key, name, description, kind, definition, color)
     select k, n, d, 'rfm', jsonb_build_object('rfmSegment', k), c
       from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(k, n, d, c)
     on conflict (key) do nothing`,
    [
      keys,
      keys.map((k) => `${RFM_SEGMENT_LABELS[k].ja} ${RFM_SEGMENT_LABELS[k].en}`),
      keys.map((k) => `RF cells: ${cellsOf(k)}`),
      keys.map((k) => RFM_COLORS[k]),
    ],
  );
}

function cellsOf(key: RfmSegmentKey): string {
  const cells: string[] = [];
  DEFAULT_RF_SEGMENT_MAP.forEach((row, r) => row.forEach((k, f) => k === key && cells.push(`R${r + 1}F${f + 1}`)));
  return cells.join(" ");
}

export type SegmentDefinition =
  | { rfmSegment: string }
  | { cells: { r: number; f: number }[] }
  | { customerExternalIds: string[] }
  | Record<string, unknown>;

/**
 * The SQL condition selecting a segment's customers over `s` (customer_scores of the snapshot)
 * and `c` (customers), with its parameters numbered from `$firstParam`.
 */
export function segmentCondition(kind: string, definition: SegmentDefinition, firstParam: number): { sql: string; params: unknown[] } {
  if (kind === "rfm" && "rfmSegment" in definition) return { sql: `s.rfm_segment = $${firstParam}`, params: [definition.rfmSegment] };
  if (kind === "rfm" && "cells" in definition && Array.isArray(definition.cells)) {
    const cells = definition.cells as { r: number; f: number }[];
    return {
      sql: `(s.r_score * 10 + s.f_score) = any($${firstParam}::int[])`,
      params: [cells.map((c) => c.r * 10 + c.f)],
    };
  }
  if (kind === "manual" && "customerExternalIds" in definition) {
    return { sql: `c.external_id = any($${firstParam}::text[])`, params: [definition.customerExternalIds] };
  }
  return compileRule(definition, firstParam);
}

/**
 * Materialises every active segment's members (or those of `segmentIds`) for one snapshot, into
 * `segment_members` from `customer_scores` or, while a snapshot is being computed, from and into
 * its partitions not attached yet.
 */
export async function refreshSegmentMembers(
  query: Query,
  snapshotId: number,
  segmentIds?: number[],
  options: { table?: string; scoresTable?: string } = {},
): Promise<void> {
  const table = options.table ?? "segment_members";
  const scores = options.scoresTable ?? "customer_scores";
  await ensureRfmSegments(query);
  const segments = await query<{ id: number; kind: string; definition: SegmentDefinition }>(
    `select id, kind, definition from segments where not archived ${segmentIds ? "and id = any($1::bigint[])" : ""} order by id`,
    segmentIds ? [segmentIds] : [],
  );
  // Built-in RFM segments are one partition of the snapshot: write them with one statement
  // (one pass over the scores) instead of one pass per segment.
  const rfmKeyed = segments.filter((g) => g.kind === "rfm" && "rfmSegment" in g.definition);
  if (rfmKeyed.length > 0) {
    await query(`delete from ${table} where snapshot_id = $1 and segment_id = any($2::bigint[])`, [snapshotId, rfmKeyed.map((g) => g.id)]);
    await query(
      `insert into ${table} (segment_id, snapshot_id, customer_id, predicted_clv)
       select g.id, s.snapshot_id, s.customer_id, s.predicted_clv
         from ${scores} s
         join (select id, definition->>'rfmSegment' as key from segments where id = any($2::bigint[])) g on g.key = s.rfm_segment
        where s.snapshot_id = $1`,
      [snapshotId, rfmKeyed.map((g) => g.id)],
    );
  }
  // Every other segment in one pass over the scores too: each row gets the ids of the segments
  // whose condition it meets (one pass instead of one per segment, which grew the snapshot by a
  // scan of every score and customer for each segment a user added).
  const others = segments.filter((g) => !rfmKeyed.includes(g));
  if (others.length > 0) {
    await query(`delete from ${table} where snapshot_id = $1 and segment_id = any($2::bigint[])`, [snapshotId, others.map((g) => g.id)]);
    const params: unknown[] = [snapshotId];
    const ids = others.map((segment) => {
      params.push(segment.id);
      const idParam = params.length;
      const condition = segmentCondition(segment.kind, segment.definition, idParam + 1);
      params.push(...condition.params);
      return `case when ${condition.sql} then $${idParam}::bigint end`;
    });
    await query(
      `insert into ${table} (segment_id, snapshot_id, customer_id, predicted_clv)
       select segment_id, snapshot_id, customer_id, predicted_clv
         from (select s.snapshot_id, s.customer_id, s.predicted_clv, unnest(array[${ids.join(", ")}]) as segment_id
                 from ${scores} s join customers c on c.id = s.customer_id
                where s.snapshot_id = $1) x
        where segment_id is not null`,
      params,
    );
  }
  await writeSegmentStats(query, snapshotId, rfmKeyed, others, table, scores);
}

/**
 * Each refreshed segment's size, revenue and means in the snapshot, one row per segment (also
 * for an empty one). Built-in RFM segments are one partition of the scores, so their stats come
 * from one pass over the scores without joining the members; the others join their members.
 */
async function writeSegmentStats(
  query: Query,
  snapshotId: number,
  rfmKeyed: { id: number; definition: SegmentDefinition }[],
  others: { id: number }[],
  members: string,
  scores: string,
): Promise<void> {
  const ids = [...rfmKeyed, ...others].map((g) => g.id);
  if (ids.length === 0) return;
  await query("delete from segment_stats where snapshot_id = $1 and segment_id = any($2::bigint[])", [snapshotId, ids]);
  const columns = "count(s.customer_id)::int, coalesce(sum(s.revenue), 0), avg(s.predicted_clv)::float8, avg(s.p_alive)::float8";
  const insert = "insert into segment_stats (segment_id, snapshot_id, customers, revenue, mean_predicted_clv, mean_p_alive)";
  if (rfmKeyed.length > 0) {
    await query(
      `${insert}
       select g.id, $1, ${columns}
         from (select id, definition->>'rfmSegment' as key from segments where id = any($2::bigint[])) g
         left join ${scores} s on s.snapshot_id = $1 and s.rfm_segment = g.key
        group by g.id`,
      [snapshotId, rfmKeyed.map((g) => g.id)],
    );
  }
  if (others.length > 0) {
    await query(
      `${insert}
       select g.id, $1, ${columns}
         from unnest($2::bigint[]) as g(id)
         left join ${members} m on m.segment_id = g.id and m.snapshot_id = $1
         left join ${scores} s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
        group by g.id`,
      [snapshotId, others.map((g) => g.id)],
    );
  }
}
