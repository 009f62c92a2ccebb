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
      keys.map((k) => `${RF_CELLS_PREFIX}${rfCellsOf(DEFAULT_RF_SEGMENT_MAP, k).join(" ")}`),
      keys.map((k) => RFM_COLORS[k]),
    ],
  );
}

/** How a built-in RFM segment's description starts: its RF cells follow, as `rfCellsOf` lists them. */
export const RF_CELLS_PREFIX = "RF cells: ";

/** The RF cells ("R1F2", …) an RF map (rows R1…R5, columns F1…F5) gives a segment key. */
export function rfCellsOf(map: readonly (readonly string[])[], key: string): string[] {
  const cells: string[] = [];
  map.forEach((row, r) => row.forEach((k, f) => k === key && cells.push(`R${r + 1}F${f + 1}`)));
  return cells;
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
  // segment_members has no foreign keys (migration 0025): the segments and the snapshot written
  // for are locked as a key check would lock them, so neither can be deleted until this commits
  // (the deletion then removes what was written), and one deleted meanwhile is not written for.
  const [snapshot] = await query<{ id: number }>("select id from snapshots where id = $1 for key share", [snapshotId]);
  if (!snapshot) throw new Error(`snapshot ${snapshotId} does not exist (deleted meanwhile?): no segment members written`);
  const segments = await query<{ id: number; kind: string; definition: SegmentDefinition }>(
    `select id, kind, definition from segments where not archived ${segmentIds ? "and id = any($1::bigint[])" : ""} order by id for key share`,
    segmentIds ? [segmentIds] : [],
  );
  const ids = segments.map((g) => g.id);
  if (ids.length === 0) return;
  await query(`delete from ${table} where snapshot_id = $1 and segment_id = any($2::bigint[])`, [snapshotId, ids]);
  await query("delete from segment_stats where snapshot_id = $1 and segment_id = any($2::bigint[])", [snapshotId, ids]);
  // Built-in RFM segments are one partition of the snapshot: one pass over the scores, each row
  // joined to the segment of its RFM key.
  const rfmKeyed = segments.filter((g) => g.kind === "rfm" && "rfmSegment" in g.definition);
  if (rfmKeyed.length > 0) {
    await writeMembers(
      query,
      { table, snapshotId, segmentIds: rfmKeyed.map((g) => g.id) },
      `select g.id as segment_id, s.snapshot_id, s.customer_id, s.predicted_clv, s.revenue, s.p_alive
         from ${scores} s
         join (select id, definition->>'rfmSegment' as key from segments where id = any($2::bigint[])) g on g.key = s.rfm_segment
        where s.snapshot_id = $1`,
      [],
    );
  }
  // Every other segment in one pass over the scores too: each row gets the ids of the segments
  // whose condition it meets (one pass instead of one per segment, which grew the snapshot by a
  // scan of every score and customer for each segment a user added). The conditions are also
  // or-ed in the WHERE, so a single segment's refresh (an edit) can still use its indexes.
  const others = segments.filter((g) => !rfmKeyed.includes(g));
  if (others.length > 0) {
    const params: unknown[] = [];
    const conditions: string[] = [];
    const arms = others.map((segment) => {
      params.push(segment.id);
      const idParam = params.length + 2;
      const condition = segmentCondition(segment.kind, segment.definition, idParam + 1);
      params.push(...condition.params);
      conditions.push(`(${condition.sql})`);
      return `case when ${condition.sql} then $${idParam}::bigint end`;
    });
    await writeMembers(
      query,
      { table, snapshotId, segmentIds: others.map((g) => g.id) },
      `select segment_id, snapshot_id, customer_id, predicted_clv, revenue, p_alive
         from (select s.snapshot_id, s.customer_id, s.predicted_clv, s.revenue, s.p_alive, unnest(array[${arms.join(", ")}]) as segment_id
                 from ${scores} s join customers c on c.id = s.customer_id
                where s.snapshot_id = $1 and (${conditions.join(" or ")})) x
        where segment_id is not null`,
      params,
    );
  }
}

/**
 * Writes the members `select` gives (segment_id, snapshot_id, customer_id, predicted_clv,
 * revenue, p_alive; `$1` is the snapshot, `$2` the segment ids, `more` from `$3`) and, from the
 * same rows, each segment's size, revenue and means in the snapshot: one row per segment, also
 * for an empty one.
 */
async function writeMembers(query: Query, target: { table: string; snapshotId: number; segmentIds: number[] }, select: string, more: unknown[]): Promise<void> {
  await query(
    `with x as materialized (${select}),
     written as (
       insert into ${target.table} (segment_id, snapshot_id, customer_id, predicted_clv)
       select segment_id, snapshot_id, customer_id, predicted_clv from x
     )
     insert into segment_stats (segment_id, snapshot_id, customers, revenue, mean_predicted_clv, mean_p_alive)
     select g.id, $1, count(x.customer_id)::int, coalesce(sum(x.revenue), 0), avg(x.predicted_clv)::float8, avg(x.p_alive)::float8
       from unnest($2::bigint[]) as g(id) left join x on x.segment_id = g.id
      group by g.id`,
    [target.snapshotId, target.segmentIds, ...more],
  );
}
