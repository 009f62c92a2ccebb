// Reads of campaigns: pages, by ids, roster counts, events and PDCA chains.
import type { Conn, Database, Query } from "@ltvloop/db/client";
import type { CAMPAIGN_OBJECTIVES } from "@ltvloop/db/schema";
import { and, count, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { EFFECTIVE_STATUS, c, selectCampaigns, toCampaign, type CampaignRow } from "./campaign.service.ts";
import { parseId } from "./campaign.validate.ts";

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
export async function listCampaigns(db: Database, first: number, afterId: number | null, filter: CampaignListFilter | null): Promise<{ rows: CampaignRow[]; total: number }> {
  if (filter?.from && filter.to && filter.from >= filter.to) throw badInput("filter.from must be before filter.to.", [fieldProblem("filter.to", "NOT_AFTER", { other: "filter.from" })], "BAD_RANGE");
  const start = sql`coalesce(${c.launchedAt}, ${c.plannedStart}, ${c.createdAt})`;
  const matching = and(
    filter?.statuses?.length ? inArray(sql`${sql.raw(EFFECTIVE_STATUS)}`, filter.statuses) : undefined,
    filter?.segmentId ? eq(c.segmentId, parseId(filter.segmentId, "filter.segmentId", "segment")) : undefined,
    filter?.objectives?.length ? inArray(c.objective, filter.objectives as (typeof CAMPAIGN_OBJECTIVES)[number][]) : undefined,
    filter?.from ? gte(start, filter.from) : undefined,
    filter?.to ? lt(start, filter.to) : undefined,
  );
  const rows = await selectCampaigns(db)
    .where(and(matching, afterId === null ? undefined : lt(c.id, afterId)))
    .orderBy(desc(c.id))
    .limit(first);
  const [total] = await db.select({ n: count() }).from(c).where(matching);
  return { rows: rows.map(toCampaign), total: total?.n ?? 0 };
}

export async function campaignsByIds(db: Database, ids: readonly number[]): Promise<CampaignRow[]> {
  if (ids.length === 0) return [];
  return (await selectCampaigns(db).where(inArray(c.id, [...ids]))).map(toCampaign);
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
 * every descendant, ordered by depth then id. Two statements for any number of campaigns: the
 * links (one recursive statement up to the roots and down again), then the campaigns.
 */
export async function chainsFor({ db, query }: Conn, ids: readonly number[]): Promise<Map<number, CampaignRow[]>> {
  const links = await query<{ start: number; id: number }>(
    `with recursive up as (
       select id as start, id, parent_campaign_id from campaigns where id = any($1::bigint[])
       union all select up.start, c.id, c.parent_campaign_id from campaigns c join up on c.id = up.parent_campaign_id
     ),
     down as (
       select start, id, 0 as depth from up where parent_campaign_id is null
       union all select down.start, c.id, down.depth + 1 from campaigns c join down on c.parent_campaign_id = down.id
     )
     select start, id from down order by start, depth, id`,
    [ids],
  );
  const byId = new Map((await campaignsByIds(db, [...new Set(links.map((l) => l.id))])).map((row) => [row.id, row]));
  const result = new Map<number, CampaignRow[]>();
  for (const { start, id } of links) {
    const chain = result.get(start) ?? [];
    const row = byId.get(id);
    if (row) chain.push(row);
    result.set(start, chain);
  }
  return result;
}
