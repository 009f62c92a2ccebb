// Programme rules: each change is a new version in force from its effective date, so orders
// before it keep the points and stamps they earned. Only admins call these (see the resolver).
import type { Query } from "@ltvloop/db/client";
import { POINT_EXPIRY_MODES, POINT_ROUNDINGS, STAMP_PER, type PointExpiryMode, type PointRounding, type StampPer } from "@ltvloop/db/schema";
import type { Viewer } from "../../context.ts";
import { badInput, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";

export interface PointRuleInput {
  effectiveFrom: Date;
  earnRate: number;
  channelMultipliers?: Record<string, number>;
  tierMultipliers?: Record<string, number>;
  rounding: PointRounding;
  minOrderAmount: number;
  expiryMode: PointExpiryMode;
  expiryDays?: number | null;
  expiryDate?: Date | null;
  pointValue: number;
  programmeName?: string | null;
}

export interface StampRuleInput {
  effectiveFrom: Date;
  thresholdAmount: number;
  per: StampPer;
  cardSize: number;
  rewardLabel: string;
  rewardValue: number;
  cardExpiryDays?: number | null;
  programmeName?: string | null;
}

/** How far in the past an effective date may lie (clock skew between browser and server). */
const PAST_TOLERANCE_MS = 5 * 60_000;
const MAX_MULTIPLIER = 100;

function checkMultipliers(field: string, value: Record<string, number> | undefined, problems: FieldProblem[]) {
  for (const [key, m] of Object.entries(value ?? {})) {
    if (key.trim() === "") problems.push(fieldProblem(field, "MULTIPLIER_KEY"));
    if (!Number.isFinite(m) || m <= 0 || m > MAX_MULTIPLIER) problems.push(fieldProblem(`${field}.${key}`, "OUT_OF_RANGE", { min: 0, max: MAX_MULTIPLIER, value: m }));
  }
}

async function latestVersion(query: Query, table: "loyalty_point_rules" | "loyalty_stamp_rules", kind: "points" | "stamps") {
  const [row] = await query<{ effective_from: Date }>(
    `select r.effective_from from ${table} r join loyalty_programmes p on p.id = r.programme_id and p.kind = $1 and p.is_active
      order by r.effective_from desc limit 1`,
    [kind],
  );
  return row ? new Date(row.effective_from) : null;
}

function checkEffective(effectiveFrom: Date, latest: Date | null, now: Date, allowPast: boolean, problems: FieldProblem[]) {
  if (Number.isNaN(effectiveFrom.getTime())) problems.push(fieldProblem("effectiveFrom", "NOT_A_DATE"));
  else if (!allowPast && effectiveFrom.getTime() < now.getTime() - PAST_TOLERANCE_MS) {
    problems.push(fieldProblem("effectiveFrom", "EFFECTIVE_IN_PAST"));
  } else if (latest && effectiveFrom.getTime() <= latest.getTime()) {
    problems.push(fieldProblem("effectiveFrom", "EFFECTIVE_BEFORE_LATEST", { latest: latest.toISOString() }));
  }
}

async function ensureProgramme(query: Query, kind: "points" | "stamps", name: string | null | undefined): Promise<number> {
  const [existing] = await query<{ id: number }>("select id from loyalty_programmes where kind = $1 and is_active", [kind]);
  if (existing) return Number(existing.id);
  const [created] = await query<{ id: number }>("insert into loyalty_programmes (kind, name) values ($1, $2) returning id", [
    kind,
    name?.trim() || (kind === "points" ? "Points" : "Stamp card"),
  ]);
  return Number(created?.id);
}

/** Adds a version of the points rules (creating the programme on first use). */
export async function addPointRule(query: Query, input: PointRuleInput, actor: Viewer | null, options: { now?: Date; allowPast?: boolean } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const problems: FieldProblem[] = [];
  checkEffective(input.effectiveFrom, await latestVersion(query, "loyalty_point_rules", "points"), now, options.allowPast ?? false, problems);
  if (!Number.isFinite(input.earnRate) || input.earnRate < 0 || input.earnRate > 100) problems.push(fieldProblem("earnRate", "OUT_OF_RANGE", { min: 0, max: 100 }));
  checkMultipliers("channelMultipliers", input.channelMultipliers, problems);
  checkMultipliers("tierMultipliers", input.tierMultipliers, problems);
  if (!POINT_ROUNDINGS.includes(input.rounding)) problems.push(fieldProblem("rounding", "ONE_OF", { allowed: POINT_ROUNDINGS.join(", ") }));
  if (!Number.isFinite(input.minOrderAmount) || input.minOrderAmount < 0) problems.push(fieldProblem("minOrderAmount", "AT_LEAST", { min: 0 }));
  if (!Number.isFinite(input.pointValue) || input.pointValue < 0 || input.pointValue > 10_000) problems.push(fieldProblem("pointValue", "OUT_OF_RANGE", { min: 0, max: 10_000 }));
  if (!POINT_EXPIRY_MODES.includes(input.expiryMode)) problems.push(fieldProblem("expiryMode", "ONE_OF", { allowed: POINT_EXPIRY_MODES.join(", ") }));
  if (input.expiryMode === "rolling" && !(Number.isInteger(input.expiryDays) && (input.expiryDays ?? 0) >= 1 && (input.expiryDays ?? 0) <= 3650)) {
    problems.push(fieldProblem("expiryDays", "EXPIRY_DAYS_NEEDED", { max: 3650 }));
  }
  if (input.expiryMode === "fixed" && !(input.expiryDate && input.expiryDate.getTime() > input.effectiveFrom.getTime())) {
    problems.push(fieldProblem("expiryDate", "EXPIRY_DATE_NEEDED"));
  }
  if (problems.length > 0) throw badInput("The points rule was not saved: fix the fields below.", problems);
  const programmeId = await ensureProgramme(query, "points", input.programmeName);
  const [row] = await query<{ id: number }>(
    `insert into loyalty_point_rules (programme_id, effective_from, earn_rate, channel_multipliers, tier_multipliers, rounding,
                                      min_order_amount, expiry_mode, expiry_days, expiry_date, point_value, created_by)
     values ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12) returning id`,
    [
      programmeId,
      input.effectiveFrom.toISOString(),
      input.earnRate,
      JSON.stringify(input.channelMultipliers ?? {}),
      JSON.stringify(input.tierMultipliers ?? {}),
      input.rounding,
      input.minOrderAmount,
      input.expiryMode,
      input.expiryMode === "rolling" ? input.expiryDays : null,
      input.expiryMode === "fixed" ? input.expiryDate?.toISOString() : null,
      input.pointValue,
      actor?.userId ?? null,
    ],
  );
  await writeAudit(query, actor, "loyalty.pointRule.add", "loyalty_point_rules", Number(row?.id), { ...input });
  return Number(row?.id);
}

/** Adds a version of the stamp card rules (creating the programme on first use). */
export async function addStampRule(query: Query, input: StampRuleInput, actor: Viewer | null, options: { now?: Date; allowPast?: boolean } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const problems: FieldProblem[] = [];
  checkEffective(input.effectiveFrom, await latestVersion(query, "loyalty_stamp_rules", "stamps"), now, options.allowPast ?? false, problems);
  if (!Number.isFinite(input.thresholdAmount) || input.thresholdAmount < 0) problems.push(fieldProblem("thresholdAmount", "AT_LEAST", { min: 0 }));
  if (!STAMP_PER.includes(input.per)) problems.push(fieldProblem("per", "ONE_OF", { allowed: STAMP_PER.join(", ") }));
  if (!Number.isInteger(input.cardSize) || input.cardSize < 1 || input.cardSize > 100) problems.push(fieldProblem("cardSize", "WHOLE_NUMBER", { min: 1, max: 100 }));
  if (input.rewardLabel.trim() === "" || input.rewardLabel.length > 200) problems.push(fieldProblem("rewardLabel", "LENGTH", { min: 1, max: 200 }));
  if (!Number.isFinite(input.rewardValue) || input.rewardValue < 0) problems.push(fieldProblem("rewardValue", "AT_LEAST", { min: 0 }));
  if (input.cardExpiryDays != null && !(Number.isInteger(input.cardExpiryDays) && input.cardExpiryDays >= 1 && input.cardExpiryDays <= 3650)) {
    problems.push(fieldProblem("cardExpiryDays", "DAYS", { min: 1, max: 3650 }));
  }
  if (problems.length > 0) throw badInput("The stamp card rule was not saved: fix the fields below.", problems);
  const programmeId = await ensureProgramme(query, "stamps", input.programmeName);
  const [row] = await query<{ id: number }>(
    `insert into loyalty_stamp_rules (programme_id, effective_from, threshold_amount, per, card_size, reward_label, reward_value, card_expiry_days, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [programmeId, input.effectiveFrom.toISOString(), input.thresholdAmount, input.per, input.cardSize, input.rewardLabel.trim(), input.rewardValue, input.cardExpiryDays ?? null, actor?.userId ?? null],
  );
  await writeAudit(query, actor, "loyalty.stampRule.add", "loyalty_stamp_rules", Number(row?.id), { ...input });
  return Number(row?.id);
}

export interface LoyaltyRules {
  pointsProgramme: { id: number; name: string } | null;
  stampProgramme: { id: number; name: string } | null;
  pointRules: {
    id: number; effectiveFrom: Date; earnRate: number; channelMultipliers: Record<string, number>; tierMultipliers: Record<string, number>;
    rounding: string; minOrderAmount: number; expiryMode: string; expiryDays: number | null; expiryDate: Date | null; pointValue: number;
  }[];
  stampRules: {
    id: number; effectiveFrom: Date; thresholdAmount: number; per: string; cardSize: number; rewardLabel: string; rewardValue: number; cardExpiryDays: number | null;
  }[];
}

/** The active programmes and every version of their rules, newest first. */
export async function loyaltyRules(query: Query): Promise<LoyaltyRules> {
  const programmes = await query<{ id: number; kind: string; name: string }>("select id, kind, name from loyalty_programmes where is_active");
  const points = programmes.find((p) => p.kind === "points");
  const stamps = programmes.find((p) => p.kind === "stamps");
  const pointRules = await query<Record<string, unknown>>(
    `select r.* from loyalty_point_rules r join loyalty_programmes p on p.id = r.programme_id and p.is_active order by r.effective_from desc`,
  );
  const stampRules = await query<Record<string, unknown>>(
    `select r.* from loyalty_stamp_rules r join loyalty_programmes p on p.id = r.programme_id and p.is_active order by r.effective_from desc`,
  );
  return {
    pointsProgramme: points ? { id: Number(points.id), name: points.name } : null,
    stampProgramme: stamps ? { id: Number(stamps.id), name: stamps.name } : null,
    pointRules: pointRules.map((r) => ({
      id: Number(r.id),
      effectiveFrom: new Date(r.effective_from as string),
      earnRate: Number(r.earn_rate),
      channelMultipliers: r.channel_multipliers as Record<string, number>,
      tierMultipliers: r.tier_multipliers as Record<string, number>,
      rounding: String(r.rounding),
      minOrderAmount: Number(r.min_order_amount),
      expiryMode: String(r.expiry_mode),
      expiryDays: r.expiry_days === null ? null : Number(r.expiry_days),
      expiryDate: r.expiry_date ? new Date(r.expiry_date as string) : null,
      pointValue: Number(r.point_value),
    })),
    stampRules: stampRules.map((r) => ({
      id: Number(r.id),
      effectiveFrom: new Date(r.effective_from as string),
      thresholdAmount: Number(r.threshold_amount),
      per: String(r.per),
      cardSize: Number(r.card_size),
      rewardLabel: String(r.reward_label),
      rewardValue: Number(r.reward_value),
      cardExpiryDays: r.card_expiry_days === null ? null : Number(r.card_expiry_days),
    })),
  };
}
