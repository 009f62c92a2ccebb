// Ending a campaign: cancel before launch, or the Act step (review) after the Check step.
import { randomBytes } from "node:crypto";
import type { DbHandle } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { badInput, conflict } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { getCampaign, lockCampaign, recordEvent, wrongStatus, type CampaignRow } from "./campaign.service.ts";
import { requireText } from "./campaign.validate.ts";

/** DRAFT or PLANNED → CANCELLED; a launched campaign ends with a review (STOP) instead. */
export async function cancelCampaign(handle: DbHandle, viewer: Viewer | null, id: number, reason: string): Promise<CampaignRow> {
  const text = requireText(reason, "reason", "reason for cancelling");
  return handle.transaction(async ({ db, query }) => {
    const campaign = await lockCampaign(db, id);
    if (campaign.status !== "draft" && campaign.status !== "planned") {
      throw conflict(
        `Campaign ${id} is ${campaign.status.toUpperCase()}; only DRAFT or PLANNED campaigns can be cancelled. ` +
          (campaign.launchedAt ? "A launched campaign ends with measureCampaign and a review (decision STOP)." : ""),
        "CAMPAIGN_WRONG_STATE",
        { id, status: campaign.status, action: "cancelCampaign", allowed: "draft,planned" },
      );
    }
    await query("update campaigns set status = 'cancelled', updated_at = now() where id = $1", [id]);
    await recordEvent(query, viewer, id, "cancel", campaign.status, "cancelled", { reason: text });
    return getCampaign(db, id);
  });
}

export interface ReviewResult {
  campaign: CampaignRow;
  nextCycle: CampaignRow | null;
}

/**
 * CHECKED → ACTED with the decision and its rationale. ITERATE also creates the next cycle's
 * DRAFT (same plan fields, a fresh assignment seed, parent = this campaign) in the same
 * transaction.
 */
export async function reviewCampaign(
  handle: DbHandle,
  viewer: Viewer | null,
  id: number,
  decision: string,
  rationale: string,
): Promise<ReviewResult> {
  const text = requireText(rationale, "rationale", "rationale for the decision");
  if (!["adopt", "iterate", "stop", "invalid"].includes(decision)) throw badInput("Unknown decision.", [fieldProblem("decision", "ONE_OF", { allowed: "adopt, iterate, stop, invalid" })]);
  return handle.transaction(async ({ db, query }) => {
    const campaign = await lockCampaign(db, id);
    if (campaign.status !== "checked") throw wrongStatus(campaign, "reviewCampaign", ["checked"]);
    await query(
      `update campaigns set status = 'acted', decision = $2, decision_rationale = $3, reviewed_by = $4, reviewed_at = now(), updated_at = now() where id = $1`,
      [id, decision, text, viewer?.userId ?? null],
    );
    let nextId: number | null = null;
    if (decision === "iterate") {
      const [depth] = await query<{ n: number }>(
        `with recursive up as (select id, parent_campaign_id from campaigns where id = $1
           union all select c.id, c.parent_campaign_id from campaigns c join up on c.id = up.parent_campaign_id)
         select count(*)::int as n from up`,
        [id],
      );
      // The next cycle is named "<name> #<cycle>", readable in any language. A cycle's own suffix
      // (or the English " (cycle n)" earlier versions wrote) is replaced, never stacked; a first
      // campaign keeps its name whole, whatever it ends with.
      const depthOf = depth?.n ?? 1;
      const baseName = depthOf > 1 ? campaign.name.replace(/ (?:#\d+|\(cycle \d+\))$/, "") : campaign.name;
      const [row] = await query<{ id: number }>(
        `insert into campaigns (name, segment_id, objective, hypothesis, channel, offer, primary_kpi, guardrail_kpis, expected_lift,
                                holdout_ratio, cost_per_contact, fixed_cost, margin, outcome_window_days, pre_period_days,
                                parent_campaign_id, assignment_seed, created_by)
         select $2, segment_id, objective, hypothesis, channel, offer, primary_kpi, guardrail_kpis, expected_lift,
                holdout_ratio, cost_per_contact, fixed_cost, margin, outcome_window_days, pre_period_days, id, $3, $4
           from campaigns where id = $1 returning id`,
        [id, `${baseName} #${depthOf + 1}`, randomBytes(16).toString("hex"), viewer?.userId ?? null],
      );
      nextId = (row as { id: number }).id;
      await recordEvent(query, viewer, nextId, "create", null, "draft", { iterationOf: id });
    }
    await recordEvent(query, viewer, id, "review", "checked", "acted", { decision, rationale: text, nextCycleId: nextId });
    return { campaign: await getCampaign(db, id), nextCycle: nextId ? await getCampaign(db, nextId) : null };
  });
}
