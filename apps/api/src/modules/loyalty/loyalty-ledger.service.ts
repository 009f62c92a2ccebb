// Redemptions and manual adjustments of points, one entry at a time, and the reads of a
// customer's ledger. A write locks the customer's row first (SELECT … FOR UPDATE), writes the
// expiries due by now, then checks the balance: two redemptions of the same points queue on the
// lock and the second sees the first, so they cannot both succeed.
import type { Query } from "@ltvloop/db/client";
import type { Viewer } from "../../context.ts";
import { badInput, conflict, DomainError, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { EXPIRY_TIMELINE, processExpiries } from "./loyalty-earn.service.ts";

export type ManualKind = "redeem" | "adjust";

export interface ManualEntryInput {
  customerId: number;
  kind: ManualKind;
  /** Redeem: points taken (> 0). Adjust: signed change (≠ 0). */
  points: number;
  idempotencyKey: string;
  note?: string | null;
  campaignId?: number | null;
}

export interface ManualEntryResult {
  entryId: number;
  customerId: number;
  points: number;
  balance: number;
  isReplay: boolean;
}

export const MAX_POINTS_PER_ENTRY = 100_000_000;

/** The balance: the sum of the customer's ledger. */
export async function pointBalance(query: Query, customerId: number): Promise<number> {
  const [row] = await query<{ b: string }>("select coalesce(sum(points), 0)::text as b from loyalty_point_entries where customer_id = $1", [customerId]);
  return Number(row?.b ?? 0);
}

/** Field problems of a manual entry, before anything is read or written. */
export function checkManualEntry(input: Omit<ManualEntryInput, "customerId">): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isSafeInteger(input.points)) problems.push(fieldProblem("points", "WHOLE_NUMBER", { min: -MAX_POINTS_PER_ENTRY, max: MAX_POINTS_PER_ENTRY }));
  else if (input.kind === "redeem" && input.points <= 0) problems.push(fieldProblem("points", "REDEEM_NOT_POSITIVE"));
  else if (input.kind === "adjust" && input.points === 0) problems.push(fieldProblem("points", "ADJUST_ZERO"));
  else if (Math.abs(input.points) > MAX_POINTS_PER_ENTRY) problems.push(fieldProblem("points", "WHOLE_NUMBER", { min: -MAX_POINTS_PER_ENTRY, max: MAX_POINTS_PER_ENTRY }));
  const key = input.idempotencyKey.trim();
  if (key === "") problems.push(fieldProblem("idempotencyKey", "REQUIRED"));
  else if (key.length > 200) problems.push(fieldProblem("idempotencyKey", "TOO_LONG", { max: 200 }));
  if ((input.note ?? "").length > 500) problems.push(fieldProblem("note", "TOO_LONG", { max: 500 }));
  return problems;
}

/**
 * Writes one redemption or adjustment inside the caller's transaction. The same entry id with
 * the same content is a replay and changes nothing; with other content it is refused.
 */
export async function writeManualEntry(query: Query, input: ManualEntryInput, actor: Viewer | null, now = new Date()): Promise<ManualEntryResult> {
  const problems = checkManualEntry(input);
  if (problems.length > 0) throw badInput(`The entry was not recorded: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}.`, problems);
  const [customer] = await query<{ id: number }>("select id from customers where id = $1 for update", [input.customerId]);
  if (!customer) throw notFound(`Customer ${input.customerId} does not exist.`, "CUSTOMER_NOT_FOUND", { id: input.customerId });
  const key = `manual:${input.idempotencyKey.trim()}`;
  const signed = input.kind === "redeem" ? -input.points : input.points;
  const [earlier] = await query<{ id: number; kind: string; points: string }>(
    "select id, kind, points::text from loyalty_point_entries where customer_id = $1 and idempotency_key = $2",
    [input.customerId, key],
  );
  if (earlier) {
    if (earlier.kind !== input.kind || Number(earlier.points) !== signed) {
      throw new DomainError(
        "CONFLICT",
        `Entry id ${input.idempotencyKey} was already used for this customer with ${earlier.kind} ${earlier.points}: use a new entry id for a different entry.`,
        [],
        { reason: "ENTRY_ID_REUSED" },
      );
    }
    return { entryId: Number(earlier.id), customerId: input.customerId, points: signed, balance: await pointBalance(query, input.customerId), isReplay: true };
  }
  const [programme] = await query<{ id: number }>("select id from loyalty_programmes where kind = 'points' and is_active");
  if (!programme) throw conflict("There is no active points programme: an admin sets the points rules first (Loyalty page).", "NO_POINTS_PROGRAMME");
  await processExpiries(query, now, [input.customerId]);
  // What may be spent now: entries up to now (an order dated in the future has not earned yet).
  const [available] = await query<{ b: string }>(
    "select coalesce(sum(points), 0)::text as b from loyalty_point_entries where customer_id = $1 and occurred_at <= $2",
    [input.customerId, now.toISOString()],
  );
  const balance = Number(available?.b ?? 0);
  if (balance + signed < 0) {
    throw new DomainError(
      "BAD_USER_INPUT",
      `Customer ${input.customerId} has ${balance} points: ${input.kind === "redeem" ? `redeeming ${input.points}` : `taking ${-signed}`} would leave a negative balance. Use at most ${balance} points.`,
      [],
      { reason: "BALANCE_TOO_LOW", params: { balance, points: -signed } },
    );
  }
  const [rule] = await query<{ id: number; expiry_mode: string; expiry_days: number | null; expiry_date: Date | null }>(
    `select r.id, r.expiry_mode, r.expiry_days, r.expiry_date from loyalty_point_rules r
      where r.programme_id = $1 and r.effective_from <= $2 order by r.effective_from desc limit 1`,
    [programme.id, now.toISOString()],
  );
  let expiresAt: Date | null = null;
  if (signed > 0 && rule?.expiry_mode === "rolling" && rule.expiry_days) expiresAt = new Date(now.getTime() + rule.expiry_days * 86_400_000);
  if (signed > 0 && rule?.expiry_mode === "fixed" && rule.expiry_date && new Date(rule.expiry_date) > now) expiresAt = new Date(rule.expiry_date);
  const [entry] = await query<{ id: number }>(
    `insert into loyalty_point_entries (customer_id, programme_id, kind, points, occurred_at, expires_at, rule_id, source_campaign_id,
                                        idempotency_key, note, actor_user_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [
      input.customerId,
      programme.id,
      input.kind,
      signed,
      now.toISOString(),
      expiresAt?.toISOString() ?? null,
      rule?.id ?? null,
      input.campaignId ?? null,
      key,
      input.note?.trim() || null,
      actor?.userId ?? null,
    ],
  );
  return { entryId: Number(entry?.id), customerId: input.customerId, points: signed, balance: await pointBalance(query, input.customerId), isReplay: false };
}

export interface LedgerEntry {
  id: number;
  kind: string;
  points: number;
  occurredAt: Date;
  expiresAt: Date | null;
  ruleId: number | null;
  sourceOrderId: number | null;
  sourceOrderExternalId: string | null;
  sourceCampaignId: number | null;
  note: string | null;
  balanceAfter: number;
}

export interface StampCard {
  cardNo: number;
  stamps: number;
  cardSize: number;
  startedAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
  status: "completed" | "expired" | "open";
  rewardLabel: string;
}

/** A customer's ledger (newest first, with the running balance) and stamp cards. */
export async function customerLoyalty(query: Query, customerId: number, limit = 200, now = new Date()) {
  const entries = await query<{
    id: number; kind: string; points: string; occurred_at: Date; expires_at: Date | null; rule_id: number | null;
    source_order_id: number | null; external_id: string | null; source_campaign_id: number | null; note: string | null; after: string;
  }>(
    `select * from (
       select e.id, e.kind, e.points::text, e.occurred_at, e.expires_at, e.rule_id, e.source_order_id, o.external_id,
              e.source_campaign_id, e.note, (sum(e.points) over (order by e.occurred_at, e.id))::text as after
         from loyalty_point_entries e left join orders o on o.id = e.source_order_id
        where e.customer_id = $1) x
      order by occurred_at desc, id desc limit $2`,
    [customerId, limit],
  );
  const cards = await query<{
    card_no: number; stamps: number; card_size: number; started_at: Date; completed_at: Date | null; expires_at: Date | null; reward_label: string;
  }>(
    `select c.card_no, c.stamps, c.card_size, c.started_at, c.completed_at, c.expires_at, r.reward_label
       from loyalty_stamp_cards c join loyalty_stamp_rules r on r.id = c.rule_id
      where c.customer_id = $1 order by c.card_no desc`,
    [customerId],
  );
  // What will expire by 30 days from now if nothing more is spent: the rule processExpiries
  // applies (expired by t = max over expiry instants s ≤ t of credits expiring by s − other
  // debits before s, never below zero) at now + 30 days, less what the ledger has expired
  // already; an expiry that is due but not yet written (the daily run is pending) counts too.
  const [totals] = await query<{ balance: string; expiring: string; will_expire: string }>(
    `with e as (select * from loyalty_point_entries where customer_id = $1),
          instants as (select distinct customer_id, programme_id, expires_at as t from e where expires_at <= $2::timestamptz + interval '30 days'),
          ${EXPIRY_TIMELINE}
     select (select coalesce(sum(points), 0) from e)::text as balance,
            (select coalesce(sum(points) filter (where expires_at > $2 and expires_at <= $2::timestamptz + interval '30 days'), 0) from e)::text as expiring,
            greatest(greatest(coalesce((select max(due) from running where ord = 1), 0), 0)
                     + (select coalesce(sum(points), 0) from e where kind = 'expire'), 0)::text as will_expire`,
    [customerId, now.toISOString()],
  );
  return {
    balance: Number(totals?.balance ?? 0),
    creditsExpiringIn30Days: Number(totals?.expiring ?? 0),
    pointsExpiringIn30Days: Number(totals?.will_expire ?? 0),
    entries: entries.map<LedgerEntry>((e) => ({
      id: Number(e.id),
      kind: e.kind,
      points: Number(e.points),
      occurredAt: new Date(e.occurred_at),
      expiresAt: e.expires_at ? new Date(e.expires_at) : null,
      ruleId: e.rule_id === null ? null : Number(e.rule_id),
      sourceOrderId: e.source_order_id === null ? null : Number(e.source_order_id),
      sourceOrderExternalId: e.external_id,
      sourceCampaignId: e.source_campaign_id === null ? null : Number(e.source_campaign_id),
      note: e.note,
      balanceAfter: Number(e.after),
    })),
    cards: cards.map<StampCard>((c) => ({
      cardNo: c.card_no,
      stamps: c.stamps,
      cardSize: c.card_size,
      startedAt: new Date(c.started_at),
      completedAt: c.completed_at ? new Date(c.completed_at) : null,
      expiresAt: c.expires_at ? new Date(c.expires_at) : null,
      status: c.completed_at ? "completed" : c.expires_at && new Date(c.expires_at) <= now ? "expired" : "open",
      rewardLabel: c.reward_label,
    })),
  };
}
