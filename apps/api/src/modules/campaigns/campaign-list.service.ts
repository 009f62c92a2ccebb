// Reads of campaigns: pages, by ids, roster counts, events and PDCA chains.
import type { Query } from "@ltvloop/db/client";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { CAMPAIGN_SELECT, EFFECTIVE_STATUS, toCampaign, type CampaignRow } from "./campaign.service.ts";
import { parseId } from "./campaign.validate.ts";

type Row = Record<string, unknown>;

export interface CampaignListFilter {
  statuses?: string[] | null;
  segmentId?: string | null;
  objectives?: string[] | null;
  from?: Date | null;
  to?: Date | null;
}

/**
 * A page of campaigns, newest first. The period filter matches the campaign's start: its launch,
 * else its planned start, else its creation.
 */
export async function listCampaigns(query: Query, first: number, afterId: number | null, filter: CampaignListFilter | null): Promise<{ rows: CampaignRow[]; total: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conditions: string[] = [];
  if (filter?.statuses?.length) conditions.push(`${EFFECTIVE_STATUS} = any(${p(filter.statuses)}::text[])`);
  if (filter?.segmentId) conditions.push(`c.segment_id = ${p(parseId(filter.segmentId, "filter.segmentId", "segment"))}`);
  if (filter?.objectives?.length) conditions.push(`c.objective = any(${p(filter.objectives)}::text[])`);
  if (filter?.from && filter.to && filter.from >= filter.to) throw badInput("filter.from must be before filter.to.", [fieldProblem("filter.to", "NOT_AFTER", { other: "filter.from" })], "BAD_RANGE");
  if (filter?.from) conditions.push(`coalesce(c.launched_at, c.planned_start, c.created_at) >= ${p(filter.from)}::timestamptz`);
  if (filter?.to) conditions.push(`coalesce(c.launched_at, c.planned_start, c.created_at) < ${p(filter.to)}::timestamptz`);
  const where = conditions.length ? `where ${conditions.join(" and ")}` : "";
  const countParams = [...params];
  const page = [...conditions];
  if (afterId !== null) page.push(`c.id < ${p(afterId)}`);
  const rows = await query(`${CAMPAIGN_SELECT} ${page.length ? `where ${page.join(" and ")}` : ""} order by c.id desc limit ${p(first)}`, params);
  const [count] = await query<{ n: number }>(`select count(*)::int as n from campaigns c ${where}`, countParams);
  return { rows: rows.map(toCampaign), total: count?.n ?? 0 };
}

export async function campaignsByIds(query: Query, ids: readonly number[]): Promise<CampaignRow[]> {
  const rows = await query(`${CAMPAIGN_SELECT} where c.id = any($1::bigint[])`, [ids]);
  return rows.map(toCampaign);
}

export interface RosterRow {
  campaign_id: number;
  group: string;
  stratum: string;
  n: number;
}

/** Roster counts per campaign, group and stratum, for many campaigns at once. */
export async function rosterCounts(query: Query, ids: readonly number[]): Promise<RosterRow[]> {
  return query<RosterRow>(
    `select campaign_id, "group", stratum, count(*)::int as n from campaign_assignments
      where campaign_id = any($1::bigint[]) group by campaign_id, "group", stratum order by campaign_id, stratum, "group"`,
    [ids],
  );
}

export interface EventRow {
  id: number;
  campaign_id: number;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  details: Record<string, unknown>;
  actor_label: string;
  actor_email: string | null;
  at: Date;
}

export async function eventsFor(query: Query, ids: readonly number[]): Promise<EventRow[]> {
  return query<EventRow>(
    `select e.id, e.campaign_id, e.kind, e.from_status, e.to_status, e.details, e.actor_label, u.email as actor_email, e.at
       from campaign_events e left join users u on u.id = e.actor_user_id
      where e.campaign_id = any($1::bigint[]) order by e.campaign_id, e.at, e.id`,
    [ids],
  );
}

/**
 * The chain of cycles each campaign belongs to: from the root of its parent links down through
 * every descendant, ordered by depth then id. Two statements for any number of campaigns.
 */
export async function chainsFor(query: Query, ids: readonly number[]): Promise<Map<number, CampaignRow[]>> {
  const roots = await query<{ start: number; root: number }>(
    `with recursive up as (
       select id as start, id, parent_campaign_id from campaigns where id = any($1::bigint[])
       union all select up.start, c.id, c.parent_campaign_id from campaigns c join up on c.id = up.parent_campaign_id
     ) select start, id as root from up where parent_campaign_id is null`,
    [ids],
  );
  const rootIds = [...new Set(roots.map((r) => r.root))];
  const members = await query<Row>(
    `with recursive down as (
       select id as root, id, 0 as depth from campaigns where id = any($1::bigint[])
       union all select down.root, c.id, down.depth + 1 from campaigns c join down on c.parent_campaign_id = down.id
     )
     select down.root, down.depth, x.* from down join (${CAMPAIGN_SELECT}) x on x.id = down.id order by down.root, down.depth, down.id`,
    [rootIds],
  );
  const byRoot = new Map<number, CampaignRow[]>();
  for (const row of members) {
    const list = byRoot.get(row.root as number) ?? [];
    list.push(toCampaign(row));
    byRoot.set(row.root as number, list);
  }
  const result = new Map<number, CampaignRow[]>();
  for (const r of roots) result.set(r.start, byRoot.get(r.root) ?? []);
  return result;
}
