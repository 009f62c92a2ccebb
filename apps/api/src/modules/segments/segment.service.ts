import type { DbHandle, Query } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { badInput, conflict, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import type { ServingCache } from "../../serving-cache.ts";
import { latestSnapshot, resolveSnapshotId } from "../snapshots/snapshot.service.ts";
import { compileRule } from "./segment-rule.ts";
import { refreshSegmentMembers, segmentCondition, type SegmentDefinition } from "./segment-members.service.ts";
import type { Segment, SegmentMigration, SegmentStats } from "./segment.type.ts";
import { SegmentKindEnum } from "./segment.type.ts";
import { RFM_SEGMENT_LABELS } from "@ltvloop/scoring/rfm";
import { effectiveRfSegmentMap, getSettings } from "../settings/settings.service.ts";

type Row = Record<string, unknown>;
const COLUMNS = "id, key, name, description, kind, definition, color, archived, created_at, updated_at";

export function toSegment(row: Row): Segment {
  return {
    id: row.id as number,
    key: (row.key as string | null) ?? null,
    name: row.name as string,
    description: row.description as string,
    kind: row.kind as SegmentKindEnum,
    definition: row.definition,
    color: row.color as string,
    archived: row.archived as boolean,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

const MAX_MANUAL = 100_000;

/** Validates a definition for its kind; every problem carries its path under `definition`. */
export async function validateDefinition(query: Query, kind: SegmentKindEnum, definition: unknown): Promise<SegmentDefinition> {
  const problems: FieldProblem[] = [];
  const isObject = typeof definition === "object" && definition !== null && !Array.isArray(definition);
  if (kind === SegmentKindEnum.RULE) {
    compileRule(definition);
    return definition as SegmentDefinition;
  }
  if (kind === SegmentKindEnum.RFM) {
    const value = definition as Record<string, unknown>;
    if (isObject && typeof value.rfmSegment === "string") {
      if (!(value.rfmSegment in RFM_SEGMENT_LABELS)) {
        problems.push(fieldProblem("definition.rfmSegment", "ONE_OF", { allowed: Object.keys(RFM_SEGMENT_LABELS).join(", ") }));
      }
    } else if (isObject && Array.isArray(value.cells) && value.cells.length > 0 && value.cells.length <= 25) {
      const seen = new Set<number>();
      value.cells.forEach((cell: unknown, i: number) => {
        const c = cell as { r?: unknown; f?: unknown };
        const ok = typeof cell === "object" && cell !== null && Number.isInteger(c.r) && Number.isInteger(c.f) && (c.r as number) >= 1 && (c.r as number) <= 5 && (c.f as number) >= 1 && (c.f as number) <= 5;
        if (!ok) problems.push(fieldProblem(`definition.cells[${i}]`, "RF_CELL"));
        else if (seen.has((c.r as number) * 10 + (c.f as number))) problems.push(fieldProblem(`definition.cells[${i}]`, "REPEATED_CELL", { r: c.r as number, f: c.f as number }));
        else seen.add((c.r as number) * 10 + (c.f as number));
      });
    } else {
      problems.push(fieldProblem("definition", "SEGMENT_DEFINITION"));
    }
  }
  if (kind === SegmentKindEnum.MANUAL) {
    const ids = isObject ? (definition as Record<string, unknown>).customerExternalIds : undefined;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_MANUAL || !ids.every((v) => typeof v === "string")) {
      problems.push(fieldProblem("definition.customerExternalIds", "MANUAL_IDS", { max: MAX_MANUAL }));
    } else {
      const unknown = await query<{ id: string }>(
        "select t.id from unnest($1::text[]) as t(id) where not exists (select 1 from customers c where c.external_id = t.id) limit 20",
        [ids],
      );
      for (const u of unknown) problems.push(fieldProblem("definition.customerExternalIds", "NO_SUCH_CUSTOMER", { value: u.id }));
    }
  }
  if (problems.length > 0) throw badInput("The segment definition is invalid; fix the places listed.", problems);
  return definition as SegmentDefinition;
}

function validateBasics(input: { name?: string | null; color?: string | null }, problems: FieldProblem[]): void {
  if (input.name !== undefined && input.name !== null && (input.name.trim().length === 0 || input.name.length > 100)) {
    problems.push(fieldProblem("name", "LENGTH", { min: 1, max: 100 }));
  }
  if (input.color && !/^#[0-9a-fA-F]{6}$/.test(input.color)) problems.push(fieldProblem("color", "COLOR"));
}

export async function createSegment(
  handle: DbHandle,
  viewer: Viewer | null,
  input: { name: string; description: string; kind: SegmentKindEnum; definition: unknown; color?: string | null },
): Promise<Segment> {
  const problems: FieldProblem[] = [];
  validateBasics(input, problems);
  if (problems.length > 0) throw badInput("The segment cannot be created; fix the fields listed.", problems);
  const definition = await validateDefinition(handle.query, input.kind, input.definition);
  return handle.transaction(async ({ query }) => {
    const [row] = await query(
      `insert into segments (name, description, kind, definition, color, created_by) values ($1, $2, $3, $4::jsonb, coalesce($5, '#5470c6'), $6)
       returning ${COLUMNS}`,
      [input.name.trim(), input.description, input.kind, JSON.stringify(definition), input.color ?? null, viewer?.userId ?? null],
    );
    const segment = toSegment(row as Row);
    const latest = await latestSnapshot(query);
    if (latest) await refreshSegmentMembers(query, latest.id, [segment.id]);
    await writeAudit(query, viewer, "segment.create", "segment", segment.id, { name: segment.name, kind: segment.kind, definition });
    return segment;
  });
}

export async function getSegment(query: Query, id: number): Promise<Segment> {
  const [row] = await query(`select ${COLUMNS} from segments where id = $1`, [id]);
  if (!row) throw notFound(`Segment ${id} does not exist. List segments with \`segments\`.`, "SEGMENT_NOT_FOUND", { id });
  return toSegment(row);
}

export async function updateSegment(
  handle: DbHandle,
  viewer: Viewer | null,
  id: number,
  input: { name?: string | null; description?: string | null; definition?: unknown; color?: string | null },
): Promise<Segment> {
  const current = await getSegment(handle.query, id);
  const problems: FieldProblem[] = [];
  validateBasics(input, problems);
  if (input.definition !== undefined && input.definition !== null && current.key !== null) {
    problems.push(fieldProblem("definition", "BUILTIN_DEFINITION"));
  }
  if (problems.length > 0) throw badInput("The segment cannot be updated; fix the fields listed.", problems);
  if (current.archived) throw conflict(`Segment ${id} is archived; unarchive it before editing.`, "SEGMENT_ARCHIVED", { id });
  const definition =
    input.definition !== undefined && input.definition !== null ? await validateDefinition(handle.query, current.kind, input.definition) : null;
  return handle.transaction(async ({ query }) => {
    const [row] = await query(
      `update segments set name = coalesce($2, name), description = coalesce($3, description),
              definition = coalesce($4::jsonb, definition), color = coalesce($5, color), updated_at = now()
        where id = $1 returning ${COLUMNS}`,
      [id, input.name?.trim() ?? null, input.description ?? null, definition ? JSON.stringify(definition) : null, input.color ?? null],
    );
    if (definition) {
      // Earlier snapshots keep the membership they had: that is the segment's history.
      const latest = await latestSnapshot(query);
      if (latest) await refreshSegmentMembers(query, latest.id, [id]);
    }
    await writeAudit(query, viewer, "segment.update", "segment", id, { ...input, definition: definition ?? undefined });
    return toSegment(row as Row);
  });
}

export async function archiveSegment(handle: DbHandle, viewer: Viewer | null, id: number, archived: boolean): Promise<Segment> {
  await getSegment(handle.query, id);
  return handle.transaction(async ({ query }) => {
    const [row] = await query(`update segments set archived = $2, updated_at = now() where id = $1 returning ${COLUMNS}`, [id, archived]);
    if (!archived) {
      const latest = await latestSnapshot(query);
      if (latest) await refreshSegmentMembers(query, latest.id, [id]);
    }
    await writeAudit(query, viewer, archived ? "segment.archive" : "segment.unarchive", "segment", id, {});
    return toSegment(row as Row);
  });
}

/** A page of segments, with their count beside it when asked for: one statement. */
export async function listSegments(
  query: Query,
  limit: number,
  afterId: number | null,
  includeArchived: boolean,
  withCount = true,
): Promise<{ rows: Segment[]; total: number }> {
  const page = `select ${COLUMNS} from segments where ($1 or not archived) and ($2::bigint is null or id > $2) order by id limit $3`;
  if (!withCount) return { rows: (await query(page, [includeArchived, afterId, limit])).map(toSegment), total: 0 };
  const rows = await query(
    `select t.total_count, p.* from (select count(*)::int as total_count from segments where $1 or not archived) t
       left join lateral (${page}) p on true order by p.id`,
    [includeArchived, afterId, limit],
  );
  return { rows: rows.filter((r) => r.id !== null && r.id !== undefined).map(toSegment), total: Number(rows[0]?.total_count ?? 0) };
}

const toStats = (snapshotId: number, row: Row | undefined, totals: { n: number; revenue: number }): SegmentStats => {
  const customers = Number(row?.customers ?? 0);
  const revenue = Number(row?.revenue ?? 0);
  return {
    snapshotId,
    customers,
    customerShare: totals.n > 0 ? customers / totals.n : 0,
    revenue,
    revenueShare: totals.revenue > 0 ? revenue / totals.revenue : 0,
    meanPredictedClv: row?.clv === null || row?.clv === undefined ? null : Number(row.clv),
    meanPAlive: row?.p_alive === null || row?.p_alive === undefined ? null : Number(row.p_alive),
  };
};

async function snapshotTotals(query: Query, snapshotId: number): Promise<{ n: number; revenue: number }> {
  const [row] = await query<{ n: number; revenue: string | null }>(
    "select count(*)::int as n, sum(revenue) as revenue from customer_scores where snapshot_id = $1",
    [snapshotId],
  );
  return { n: row?.n ?? 0, revenue: Number(row?.revenue ?? 0) };
}

/**
 * Stats of many segments in one snapshot: one statement, plus the snapshot's totals the first
 * time (a published snapshot's scores never change, so the cache keeps them).
 */
export async function segmentStats(query: Query, snapshotId: number, segmentIds: readonly number[], cache?: ServingCache): Promise<SegmentStats[]> {
  const key = `totals:${snapshotId}`;
  let totals = cache?.count<{ n: number; revenue: number }>(key);
  if (!totals) {
    const generation = cache?.snapshotGenerationNow() ?? 0;
    totals = await snapshotTotals(query, snapshotId);
    cache?.storeCount(key, totals, generation);
  }
  // Written with the members (segment_stats); a segment without a row there (archived before
  // this snapshot was taken) is counted from its members, if any.
  const rows = await query(
    `select st.segment_id, st.customers, st.revenue, st.mean_predicted_clv as clv, st.mean_p_alive as p_alive
       from segment_stats st where st.snapshot_id = $1 and st.segment_id = any($2::bigint[])
     union all
     select m.segment_id, count(*)::int, sum(s.revenue), avg(s.predicted_clv)::float8, avg(s.p_alive)::float8
       from segment_members m
       join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
      where m.snapshot_id = $1 and m.segment_id = any($2::bigint[])
        and not exists (select 1 from segment_stats st where st.snapshot_id = $1 and st.segment_id = m.segment_id)
      group by m.segment_id`,
    [snapshotId, segmentIds],
  );
  const bySegment = new Map(rows.map((r) => [Number(r.segment_id), r]));
  return segmentIds.map((id) => toStats(snapshotId, bySegment.get(id), totals));
}

/** What a definition would select in a snapshot, without saving anything (live preview). */
export async function previewSegment(query: Query, kind: SegmentKindEnum, definition: unknown, snapshotId: number | null): Promise<SegmentStats> {
  const id = await resolveSnapshotId(query, snapshotId);
  const valid = await validateDefinition(query, kind, definition);
  const condition = segmentCondition(kind, valid, 2);
  const totals = await snapshotTotals(query, id);
  const [row] = await query(
    `select count(*)::int as customers, sum(s.revenue) as revenue, avg(s.predicted_clv) as clv, avg(s.p_alive) as p_alive
       from customer_scores s join customers c on c.id = s.customer_id
      where s.snapshot_id = $1 and ${condition.sql}`,
    [id, ...condition.params],
  );
  return toStats(id, row, totals);
}

/** RFM segment transitions between two snapshots, with customer counts and revenue added. */
export async function segmentMigration(query: Query, fromSnapshotId: number, toSnapshotId: number): Promise<SegmentMigration> {
  if (fromSnapshotId === toSnapshotId) {
    throw badInput("Pick two different snapshots to compare.", [fieldProblem("toSnapshotId", "SAME_VALUE", { other: "fromSnapshotId" })], "SAME_SNAPSHOT");
  }
  const from = await resolveSnapshotId(query, fromSnapshotId);
  const to = await resolveSnapshotId(query, toSnapshotId);
  const [asOf] = await query<{ from_as_of: Date; to_as_of: Date }>(
    "select (select as_of from snapshots where id = $1) as from_as_of, (select as_of from snapshots where id = $2) as to_as_of",
    [from, to],
  );
  const rows = await query<{ from_key: string | null; to_key: string | null; customers: number; revenue: string }>(
    `select a.rfm_segment as from_key, b.rfm_segment as to_key, count(*)::int as customers,
            sum(coalesce(b.revenue, 0) - coalesce(a.revenue, 0)) as revenue
       from (select customer_id, rfm_segment, revenue from customer_scores where snapshot_id = $1) a
       full outer join (select customer_id, rfm_segment, revenue from customer_scores where snapshot_id = $2) b
         on a.customer_id = b.customer_id
      group by 1, 2
      order by 3 desc`,
    [from, to],
  );
  return {
    fromSnapshotId: from,
    toSnapshotId: to,
    fromAsOf: asOf?.from_as_of as Date,
    toAsOf: asOf?.to_as_of as Date,
    transitions: rows.map((r) => ({ from: r.from_key, to: r.to_key, customers: r.customers, revenue: Number(r.revenue) })),
  };
}

/**
 * The RF map the built-in segments' members follow: the one `snapshot` (the latest) drew them
 * with; before the first snapshot, the settings' map for the next one.
 */
export async function rfMapOfMembers(query: Query, snapshot: { id: number } | null): Promise<string[][]> {
  if (snapshot) {
    const [row] = await query<{ map: unknown }>("select parameters -> 'rfSegmentMap' as map from snapshots where id = $1", [snapshot.id]);
    if (Array.isArray(row?.map)) return row.map as string[][];
  }
  return effectiveRfSegmentMap(await getSettings(query));
}
