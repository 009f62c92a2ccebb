// The Do step: PLANNED → RUNNING with the frozen, stratified roster.
import type { DbHandle, Query } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { conflict } from "../../errors.ts";
import { syncLoyaltyForCustomers } from "../loyalty/loyalty-earn.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { assignmentOffset } from "./campaign-assignment.ts";
import { assertLoyaltyOffer, getCampaign, lockCampaign, optInCondition, recordEvent, wrongStatus, type CampaignRow } from "./campaign.service.ts";
import { requireText } from "./campaign.validate.ts";

/** Launch refuses a roster where either group would have fewer customers than this. */
const MIN_GROUP_SIZE = 2;

export interface LaunchOptions {
  /** Launch time; the demo seed backdates launches. Default now. */
  launchedAt?: Date;
  /** The time recorded for ledger changes the launch makes (bonus on orders already in the window). Default now. */
  now?: Date;
  /** Test hook: runs inside the transaction (with its `query`) right after the roster insert. */
  afterRosterInsert?: (query: Query) => Promise<void>;
}

/** Held shared by every launch, exclusively by customers' deletion guard (migration 0022). */
export const ROSTER_WRITERS_LOCK = 7324100118;

/**
 * PLANNED → RUNNING. Freezes the roster with one set-based insert: the segment's members in the
 * plan's snapshot who opted in for the channel, stratified by RF cell. Within the whole roster
 * ordered by (stratum, md5(seed:customer)) — i.e. randomly within each stratum — customer i is
 * in control when ⌊(i+1)h + u⌋ > ⌊ih + u⌋ (systematic sampling, u ∈ [0,1) from the seed,
 * `assignmentOffset`, so the plan can state the same group sizes): each
 * stratum gets ⌊n_s·h⌋ or ⌈n_s·h⌉ controls and the whole roster ⌊N·h⌋ or ⌈N·h⌉, so small
 * strata do not round the control group away.
 *
 * Idempotent: the campaign row is locked (`for update`); a retry with the same key returns
 * the launched campaign, another key is a CONFLICT; the transaction means a launch that dies
 * half-way leaves no roster.
 */
export async function launchCampaign(
  handle: DbHandle,
  viewer: Viewer | null,
  id: number,
  idempotencyKey: string,
  options: LaunchOptions = {},
): Promise<CampaignRow> {
  const key = requireText(idempotencyKey, "idempotencyKey", "idempotency key", 200);
  return handle.transaction(async ({ db, query }) => {
    const campaign = await lockCampaign(db, id);
    if (campaign.launchIdempotencyKey !== null) {
      if (campaign.launchIdempotencyKey === key) return campaign;
      throw conflict(`Campaign ${id} was already launched (at ${campaign.launchedAt?.toISOString()}) with another idempotency key; its roster is frozen. Read it with \`campaign(id)\`.`, "CAMPAIGN_ALREADY_LAUNCHED", { id, launchedAt: campaign.launchedAt?.toISOString() ?? "" });
    }
    if (campaign.status !== "planned") throw wrongStatus(campaign, "launchCampaign", ["planned"]);
    await assertLoyaltyOffer(query, campaign.loyaltyOffer);
    const [taken] = await query<{ id: number }>("select id from campaigns where launch_idempotency_key = $1", [key]);
    if (taken) throw conflict(`The idempotency key was already used to launch campaign ${taken.id}; use a fresh key per campaign.`, "IDEMPOTENCY_KEY_USED", { campaignId: taken.id });
    const snapshotId = campaign.snapshotId ?? campaign.plan?.snapshotId;
    if (snapshotId == null) throw conflict(`Campaign ${id} has no snapshot; plan it again.`, "CAMPAIGN_WITHOUT_SNAPSHOT", { id });
    const [existing] = await query("select 1 from campaign_assignments where campaign_id = $1 limit 1", [id]);
    if (existing) throw conflict(`Campaign ${id} already has a roster; assignments are immutable.`, "CAMPAIGN_HAS_ROSTER", { id });
    const launchedAt = options.launchedAt ?? new Date();
    // The roster's stratified ordering sorts every member in memory rather than in spill files.
    await query("set local work_mem = '64MB'");
    // No foreign key checks each roster row against customers (migration 0022): a customer
    // deletion waits for this lock, held until commit, and then sees this roster.
    await query("select pg_advisory_xact_lock_shared($1)", [ROSTER_WRITERS_LOCK]);
    // Rows go in in customer order: the key checks against customers and the primary key then
    // walk their indexes forward, and measurements read the roster back in the same order.
    await query(
      `insert into campaign_assignments (campaign_id, customer_id, "group", stratum, snapshot_orders, assigned_at)
       select $1, customer_id,
              case when floor((i + 1) * $4::float8 + u) > floor(i * $4::float8 + u) then 'control' else 'treatment' end,
              stratum, order_count, $5
         from (
           select m.customer_id, 'R' || s.r_score || 'F' || s.f_score as stratum, s.order_count,
                  (row_number() over (order by 'R' || s.r_score || 'F' || s.f_score, md5($3::text || ':' || m.customer_id), m.customer_id) - 1)::float8 as i,
                  $7::float8 as u
             from segment_members m
             join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
             join customers cu on cu.id = m.customer_id
            where m.segment_id = $2 and m.snapshot_id = $6 and ${optInCondition(campaign.channel)}
         ) ranked
        order by customer_id`,
      [id, campaign.segmentId, campaign.assignmentSeed, campaign.holdoutRatio, launchedAt, snapshotId, assignmentOffset(campaign.assignmentSeed)],
    );
    await options.afterRosterInsert?.(query);
    const counts = await query<{ group: string; n: number }>(
      `select "group", count(*)::int as n from campaign_assignments where campaign_id = $1 group by "group"`,
      [id],
    );
    const treatment = counts.find((c) => c.group === "treatment")?.n ?? 0;
    const control = counts.find((c) => c.group === "control")?.n ?? 0;
    if (treatment < MIN_GROUP_SIZE || control < MIN_GROUP_SIZE) {
      throw conflict(
        `Launching would give ${treatment} treatment and ${control} control customers; each group needs at least ${MIN_GROUP_SIZE}. ` +
          "Widen the segment or change the holdout ratio (cancel this campaign and create a new one).",
        "GROUPS_TOO_SMALL",
        { treatment, control, min: MIN_GROUP_SIZE },
      );
    }
    await query(
      `update campaigns set status = 'running', launched_at = $2, launch_idempotency_key = $3, snapshot_id = $4, updated_at = now() where id = $1`,
      [id, launchedAt, key, snapshotId],
    );
    await recordEvent(query, viewer, id, "launch", "planned", "running", { treatment, control, snapshotId, launchedAt: launchedAt.toISOString() });
    if (campaign.loyaltyOffer && campaign.loyaltyOffer.kind !== "expiring_points_reminder") {
      // Orders already recorded inside the window (a launch dated in the past) get their bonus now.
      const members = await query<{ customer_id: number }>(`select customer_id from campaign_assignments where campaign_id = $1 and "group" = 'treatment'`, [id]);
      const settings = await getSettings(query);
      await syncLoyaltyForCustomers(query, members.map((m) => Number(m.customer_id)), settings.timeZone, options.now ?? new Date());
    }
    return getCampaign(db, id);
  });
}
