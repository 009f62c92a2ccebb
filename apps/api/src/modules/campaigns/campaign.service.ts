// Campaign PDCA (DESIGN §5): create and edit drafts, plan with a power analysis, launch with a
// frozen stratified holdout, cancel, review; plus the reads. All SQL of the module lives here
// and in campaign-measure.service.ts; every change writes a campaign_events row and an
// audit_log row in the same transaction.
import { randomBytes } from "node:crypto";
import type { DbHandle, Query } from "@ltvloop/db/client";
import type { CampaignStatus } from "@ltvloop/db/schema";
import {
  minimumDetectableEffectMean,
  minimumDetectableEffectProportion,
  requiredSampleSizeMean,
  requiredSampleSizeProportion,
} from "@ltvloop/scoring/lift/power";
import type { Viewer } from "../../context.ts";
import { badInput, conflict, notFound } from "../../errors.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { assertNoProblems, campaignFieldProblems, parseId, requireText, type CampaignFields } from "./campaign.validate.ts";

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Below this many control customers a lift estimate is too noisy to act on. */
export const MIN_CONTROL_SIZE = 500;
/** Launch refuses a roster where either group would have fewer customers than this. */
const MIN_GROUP_SIZE = 2;

/**
 * The status readers see: a RUNNING campaign whose outcome window has ended is MEASURING
 * (DESIGN §5) without anything having to flip it at the right moment.
 */
export const EFFECTIVE_STATUS = `(case when c.status = 'running' and c.launched_at + make_interval(days => c.outcome_window_days) <= now()
  then 'measuring' else c.status end)`;

/** Opt-in flag of the channel's customers; channels without a contact list filter nobody. */
export function optInCondition(channel: string, alias = "cu"): string {
  const column = ({ email: "email_opt_in", line: "line_opt_in", sms: "sms_opt_in", dm: "dm_opt_in" } as Record<string, string>)[channel];
  return column ? `${alias}.${column}` : "true";
}

export interface CampaignRow {
  id: number;
  name: string;
  segmentId: number;
  segmentName: string;
  /** The built-in RFM segment's key (clients show its name in their language); null for custom segments. */
  segmentKey: string | null;
  snapshotId: number | null;
  objective: string;
  hypothesis: string;
  channel: string;
  offer: string;
  primaryKpi: string;
  guardrailKpis: string[];
  expectedLift: number | null;
  holdoutRatio: number;
  costPerContact: number;
  fixedCost: number;
  margin: number | null;
  outcomeWindowDays: number;
  prePeriodDays: number;
  plannedStart: Date | null;
  status: CampaignStatus;
  storedStatus: CampaignStatus;
  plan: PlanData | null;
  launchedAt: Date | null;
  launchIdempotencyKey: string | null;
  decision: string | null;
  decisionRationale: string | null;
  reviewedByEmail: string | null;
  reviewedAt: Date | null;
  parentCampaignId: number | null;
  assignmentSeed: string;
  createdByEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CAMPAIGN_SELECT = `select c.*, ${EFFECTIVE_STATUS} as effective_status, sg.name as segment_name, sg.key as segment_key,
    cu.email as created_by_email, ru.email as reviewed_by_email
  from campaigns c
  join segments sg on sg.id = c.segment_id
  left join users cu on cu.id = c.created_by
  left join users ru on ru.id = c.reviewed_by`;

export function toCampaign(r: Row): CampaignRow {
  return {
    id: r.id as number,
    name: r.name as string,
    segmentId: r.segment_id as number,
    segmentName: r.segment_name as string,
    segmentKey: (r.segment_key as string | null) ?? null,
    snapshotId: (r.snapshot_id as number | null) ?? null,
    objective: r.objective as string,
    hypothesis: r.hypothesis as string,
    channel: r.channel as string,
    offer: r.offer as string,
    primaryKpi: r.primary_kpi as string,
    guardrailKpis: (r.guardrail_kpis as string[]) ?? [],
    expectedLift: num(r.expected_lift),
    holdoutRatio: Number(r.holdout_ratio),
    costPerContact: Number(r.cost_per_contact),
    fixedCost: Number(r.fixed_cost),
    margin: num(r.margin),
    outcomeWindowDays: r.outcome_window_days as number,
    prePeriodDays: r.pre_period_days as number,
    plannedStart: (r.planned_start as Date | null) ?? null,
    status: (r.effective_status ?? r.status) as CampaignStatus,
    storedStatus: r.status as CampaignStatus,
    plan: (r.plan as PlanData | null) ?? null,
    launchedAt: (r.launched_at as Date | null) ?? null,
    launchIdempotencyKey: (r.launch_idempotency_key as string | null) ?? null,
    decision: (r.decision as string | null) ?? null,
    decisionRationale: (r.decision_rationale as string | null) ?? null,
    reviewedByEmail: (r.reviewed_by_email as string | null) ?? null,
    reviewedAt: (r.reviewed_at as Date | null) ?? null,
    parentCampaignId: (r.parent_campaign_id as number | null) ?? null,
    assignmentSeed: r.assignment_seed as string,
    createdByEmail: (r.created_by_email as string | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export async function getCampaign(query: Query, id: number): Promise<CampaignRow> {
  const [row] = await query(`${CAMPAIGN_SELECT} where c.id = $1`, [id]);
  if (!row) throw notFound(`Campaign ${id} does not exist. List campaigns with \`campaigns\`.`);
  return toCampaign(row);
}

/** Locks the campaign row for the rest of the transaction and returns it. */
async function lockCampaign(query: Query, id: number): Promise<CampaignRow> {
  const [locked] = await query("select id from campaigns where id = $1 for update", [id]);
  if (!locked) throw notFound(`Campaign ${id} does not exist. List campaigns with \`campaigns\`.`);
  return getCampaign(query, id);
}

/** One PDCA log row plus its audit row, with the caller's `query` (same transaction). */
export async function recordEvent(
  query: Query,
  viewer: Viewer | null,
  campaignId: number,
  kind: string,
  fromStatus: string | null,
  toStatus: string | null,
  details: Record<string, unknown>,
): Promise<void> {
  await query(
    `insert into campaign_events (campaign_id, kind, from_status, to_status, details, actor_user_id, actor_label)
     values ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
    [campaignId, kind, fromStatus, toStatus, JSON.stringify(details), viewer?.userId ?? null, viewer?.email ?? "system"],
  );
  await writeAudit(query, viewer, `campaign.${kind}`, "campaign", campaignId, { fromStatus, toStatus, ...details });
}

const STATUS_HINT: Record<string, string> = {
  draft: "plan it with planCampaign first",
  planned: "launch it with launchCampaign, or edit a new draft",
  running: "wait for the outcome window to end, then measure it with measureCampaign",
  measuring: "measure it with measureCampaign",
  checked: "record the decision with reviewCampaign",
  acted: "it is finished; iterate creates the next cycle's draft",
  cancelled: "it was cancelled; create a new campaign",
};

export function wrongStatus(campaign: CampaignRow, action: string, allowed: string[]): Error {
  return conflict(
    `Campaign ${campaign.id} is ${campaign.status.toUpperCase()}; ${action} needs ${allowed.map((s) => s.toUpperCase()).join(" or ")}. ` +
      `Next step: ${STATUS_HINT[campaign.status] ?? "see the campaign's status"}.`,
  );
}

async function assertSegment(query: Query, segmentId: number, path: string): Promise<void> {
  const [segment] = await query<{ archived: boolean }>("select archived from segments where id = $1", [segmentId]);
  if (!segment) throw notFound(`Segment ${segmentId} does not exist (${path}). List segments with \`segments\`.`);
}

async function assertSnapshot(query: Query, snapshotId: number, path: string): Promise<void> {
  const [snapshot] = await query<{ status: string }>("select status from snapshots where id = $1", [snapshotId]);
  if (!snapshot) throw notFound(`Snapshot ${snapshotId} does not exist (${path}). List snapshots with \`snapshots\`.`);
  if (snapshot.status !== "succeeded") throw badInput(`Snapshot ${snapshotId} is ${snapshot.status}; pick a succeeded snapshot.`, [{ path, message: `is ${snapshot.status}` }]);
}

const COLUMN_OF: Record<string, string> = {
  name: "name",
  segmentId: "segment_id",
  snapshotId: "snapshot_id",
  objective: "objective",
  hypothesis: "hypothesis",
  channel: "channel",
  offer: "offer",
  primaryKpi: "primary_kpi",
  guardrailKpis: "guardrail_kpis",
  expectedLift: "expected_lift",
  holdoutRatio: "holdout_ratio",
  costPerContact: "cost_per_contact",
  fixedCost: "fixed_cost",
  margin: "margin",
  outcomeWindowDays: "outcome_window_days",
  prePeriodDays: "pre_period_days",
  plannedStart: "planned_start",
};

function columnValue(key: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (key === "guardrailKpis") return JSON.stringify(value ?? []);
  if (key === "segmentId" || key === "snapshotId") return value === null ? null : Number(value);
  if (key === "name") return (value as string).trim();
  return value;
}

export interface CreateOptions {
  /** Deterministic assignment seed (demo data); a random one otherwise. */
  assignmentSeed?: string;
  parentCampaignId?: number | null;
}

/** DRAFT with the plan fields. The pre-period defaults to the outcome window's length. */
export async function createCampaign(handle: DbHandle, viewer: Viewer | null, input: CampaignFields, options: CreateOptions = {}): Promise<CampaignRow> {
  assertNoProblems(campaignFieldProblems(input, "input", true), "campaign");
  const fields: Record<string, unknown> = { ...input };
  fields.prePeriodDays ??= input.outcomeWindowDays ?? 30;
  return handle.transaction(async ({ query }) => {
    await assertSegment(query, Number(input.segmentId), "input.segmentId");
    if (input.snapshotId) await assertSnapshot(query, Number(input.snapshotId), "input.snapshotId");
    const keys = Object.keys(COLUMN_OF).filter((k) => fields[k] !== undefined && fields[k] !== null);
    const columns = keys.map((k) => COLUMN_OF[k] as string);
    const values = keys.map((k) => columnValue(k, fields[k]));
    columns.push("assignment_seed", "created_by", "parent_campaign_id");
    values.push(options.assignmentSeed ?? randomBytes(16).toString("hex"), viewer?.userId ?? null, options.parentCampaignId ?? null);
    const [row] = await query<{ id: number }>(
      `insert into campaigns (${columns.join(", ")}) values (${columns.map((c, i) => `$${i + 1}${c === "guardrail_kpis" ? "::jsonb" : ""}`).join(", ")}) returning id`,
      values,
    );
    const id = (row as { id: number }).id;
    await recordEvent(query, viewer, id, "create", null, "draft", { fields: Object.fromEntries(keys.map((k) => [k, fields[k]])) });
    return getCampaign(query, id);
  });
}

/** Edits a DRAFT; later states are frozen (plan, roster and results depend on the fields). */
export async function updateCampaign(handle: DbHandle, viewer: Viewer | null, id: number, input: CampaignFields): Promise<CampaignRow> {
  assertNoProblems(campaignFieldProblems(input, "input", false), "campaign change");
  for (const key of ["name", "segmentId", "objective", "channel"] as const) {
    if (input[key] === null) throw badInput(`${key} cannot be cleared.`, [{ path: `input.${key}`, message: "cannot be null" }]);
  }
  return handle.transaction(async ({ query }) => {
    const campaign = await lockCampaign(query, id);
    if (campaign.status !== "draft") throw wrongStatus(campaign, "updateCampaign", ["draft"]);
    if (input.segmentId) await assertSegment(query, Number(input.segmentId), "input.segmentId");
    if (input.snapshotId) await assertSnapshot(query, Number(input.snapshotId), "input.snapshotId");
    const keys = Object.keys(COLUMN_OF).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return campaign;
    const sets = keys.map((k, i) => `${COLUMN_OF[k]} = $${i + 2}${k === "guardrailKpis" ? "::jsonb" : ""}`);
    await query(`update campaigns set ${sets.join(", ")}, updated_at = now() where id = $1`, [
      id,
      ...keys.map((k) => columnValue(k, (input as Record<string, unknown>)[k])),
    ]);
    await recordEvent(query, viewer, id, "edit", "draft", "draft", {
      changes: Object.fromEntries(keys.map((k) => [k, (input as Record<string, unknown>)[k]])),
    });
    return getCampaign(query, id);
  });
}

// ---------------------------------------------------------------- plan / power analysis

export interface PlanWarning {
  code: "SMALL_CONTROL_GROUP" | "UNDERPOWERED" | "OVERLAPPING_CAMPAIGNS" | "NO_BASELINE" | "UNEQUAL_PERIODS";
  message: string;
}

export interface Mde {
  absolute: number;
  /** Null when the baseline is 0 (no relative scale). */
  relative: number | null;
}

/** The stored plan (campaigns.plan) and the answer of `powerAnalysis`. */
export interface PlanData {
  snapshotId: number;
  snapshotAsOf: string;
  segmentMembers: number;
  optedOut: number;
  eligibleCustomers: number;
  treatmentSize: number;
  controlSize: number;
  holdoutRatio: number;
  /** Baseline window: the outcome window's length just before the snapshot's as-of. */
  baselineFrom: string;
  baselineTo: string;
  baselineConversion: number;
  baselineRevenuePerCustomer: number;
  baselineRevenueStandardDeviation: number;
  baselineOrdersPerCustomer: number;
  baselineOrdersStandardDeviation: number;
  mdeConversion: Mde | null;
  mdeRevenuePerCustomer: Mde | null;
  mdeOrdersPerCustomer: Mde | null;
  primaryKpi: string;
  expectedLift: number | null;
  isUnderpowered: boolean;
  /** Segment size that would detect the expected lift with 80% power; null without an expected lift. */
  requiredSegmentSize: number | null;
  overlappingCustomers: number;
  overlappingCampaignIds: number[];
  warnings: PlanWarning[];
  alpha: number;
  power: number;
  computedAt: string;
}

export interface PowerInput {
  segmentId: number;
  snapshotId?: number | null;
  channel: string;
  holdoutRatio: number;
  expectedLift?: number | null;
  outcomeWindowDays: number;
  prePeriodDays?: number | null;
  primaryKpi?: string | null;
  /** Excluded from the overlap count (the campaign being planned). */
  campaignId?: number | null;
}

async function resolveSnapshot(query: Query, snapshotId: number | null | undefined, path: string): Promise<{ id: number; asOf: Date }> {
  if (snapshotId != null) {
    await assertSnapshot(query, snapshotId, path);
    const [row] = await query<{ id: number; as_of: Date }>("select id, as_of from snapshots where id = $1", [snapshotId]);
    return { id: (row as { id: number }).id, asOf: (row as { as_of: Date }).as_of };
  }
  const [latest] = await query<{ id: number; as_of: Date }>("select id, as_of from snapshots where status = 'succeeded' order by as_of desc, id desc limit 1");
  if (!latest) throw conflict("No snapshot has been computed yet, so the segment has no members. Create one with `createSnapshot`, then plan.");
  return { id: latest.id, asOf: latest.as_of };
}

const safely = <T>(f: () => T): T | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

/**
 * Segment size after opt-outs, baseline from history and the minimum detectable effect (α 0.05,
 * power 0.8) for the holdout ratio. Baseline: the eligible customers' completed orders in the
 * `outcomeWindowDays` just before the snapshot's as-of: the share who bought (conversion),
 * revenue and orders per customer with their standard deviations.
 */
export async function powerAnalysis(query: Query, input: PowerInput): Promise<PlanData> {
  const snapshot = await resolveSnapshot(query, input.snapshotId, "snapshotId");
  await assertSegment(query, input.segmentId, "segmentId");
  const baselineTo = snapshot.asOf;
  const baselineFrom = new Date(baselineTo.getTime() - input.outcomeWindowDays * 86_400_000);
  const [stats] = await query<Row>(
    `with members as (
       select m.customer_id, ${optInCondition(input.channel)} as eligible
         from segment_members m join customers cu on cu.id = m.customer_id
        where m.segment_id = $1 and m.snapshot_id = $2
     ), per as (
       select e.customer_id, count(o.id)::float8 as orders, coalesce(sum(o.amount), 0)::float8 as revenue
         from members e left join orders o on o.customer_id = e.customer_id and o.status = 'completed'
          and o.ordered_at >= $3 and o.ordered_at < $4
        where e.eligible group by e.customer_id
     )
     select (select count(*) from members)::int as members, (select count(*) from per)::int as n,
            count(*) filter (where orders > 0)::int as converters,
            coalesce(sum(revenue), 0) as sum_rev, coalesce(sum(revenue * revenue), 0) as sum_rev2,
            coalesce(sum(orders), 0) as sum_ord, coalesce(sum(orders * orders), 0) as sum_ord2
       from per`,
    [input.segmentId, snapshot.id, baselineFrom, baselineTo],
  );
  const members = Number(stats?.members ?? 0);
  const n = Number(stats?.n ?? 0);
  if (members === 0) {
    throw badInput(`Segment ${input.segmentId} has no members in snapshot ${snapshot.id}. Pick another segment or snapshot.`, [
      { path: "segmentId", message: "has no members in the snapshot" },
    ]);
  }
  if (n === 0) {
    throw badInput(`All ${members} members of segment ${input.segmentId} opted out of ${input.channel}. Pick another channel.`, [
      { path: "channel", message: "every member opted out" },
    ]);
  }
  const moments = (sum: number, sum2: number) => {
    const mean = sum / n;
    return { mean, sd: n > 1 ? Math.sqrt(Math.max(0, (sum2 - sum * mean) / (n - 1))) : 0 };
  };
  const conversion = Number(stats?.converters ?? 0) / n;
  const revenue = moments(Number(stats?.sum_rev), Number(stats?.sum_rev2));
  const orders = moments(Number(stats?.sum_ord), Number(stats?.sum_ord2));
  const h = input.holdoutRatio;
  const settings = { holdoutRatio: h, alpha: 0.05, power: 0.8 };
  const controlSize = Math.floor(n * h);
  const toMde = (m: { absolute: number; relative: number } | null): Mde | null => (m ? { absolute: m.absolute, relative: Number.isFinite(m.relative) ? m.relative : null } : null);
  const mdeConversion = toMde(safely(() => minimumDetectableEffectProportion({ n, baselineRate: conversion, ...settings })));
  const mdeRevenue = toMde(safely(() => minimumDetectableEffectMean({ n, baselineMean: revenue.mean, standardDeviation: revenue.sd, ...settings })));
  const mdeOrders = toMde(safely(() => minimumDetectableEffectMean({ n, baselineMean: orders.mean, standardDeviation: orders.sd, ...settings })));

  const primaryKpi = input.primaryKpi ?? "conversion";
  const primaryMde = primaryKpi === "revenue_per_customer" ? mdeRevenue : primaryKpi === "orders_per_customer" ? mdeOrders : mdeConversion;
  const expectedLift = input.expectedLift ?? null;
  const isUnderpowered = expectedLift !== null && (primaryMde?.relative == null || primaryMde.relative > expectedLift);
  let requiredSegmentSize: number | null = null;
  if (expectedLift !== null) {
    const size =
      primaryKpi === "conversion"
        ? safely(() => requiredSampleSizeProportion({ baselineRate: conversion, absoluteEffect: Math.min(conversion * expectedLift, 0.999 - conversion), ...settings }))
        : safely(() => {
            const base = primaryKpi === "revenue_per_customer" ? revenue : orders;
            return requiredSampleSizeMean({ standardDeviation: base.sd, absoluteEffect: base.mean * expectedLift, ...settings });
          });
    requiredSegmentSize = size?.total ?? null;
  }

  const [overlap] = await query<{ customers: number; campaign_ids: number[] | null }>(
    `select count(distinct a.customer_id)::int as customers, array_agg(distinct a.campaign_id) as campaign_ids
       from campaign_assignments a
       join campaigns c on c.id = a.campaign_id
       join segment_members m on m.customer_id = a.customer_id and m.segment_id = $1 and m.snapshot_id = $2
      where ${EFFECTIVE_STATUS} = 'running' and ($3::bigint is null or c.id <> $3)`,
    [input.segmentId, snapshot.id, input.campaignId ?? null],
  );
  const overlappingCustomers = overlap?.customers ?? 0;
  const overlappingCampaignIds = (overlap?.campaign_ids ?? []).filter((v) => v !== null).map(Number);

  const warnings: PlanWarning[] = [];
  if (controlSize < MIN_CONTROL_SIZE) {
    warnings.push({
      code: "SMALL_CONTROL_GROUP",
      message: `The control group would have about ${controlSize} customers (under ${MIN_CONTROL_SIZE}); the lift estimate will be noisy. Raise the holdout ratio or widen the segment.`,
    });
  }
  if (conversion === 0 || conversion === 1) {
    warnings.push({ code: "NO_BASELINE", message: `The baseline conversion is ${conversion * 100}%, so no minimum detectable conversion lift can be computed.` });
  }
  if (isUnderpowered) {
    warnings.push({
      code: "UNDERPOWERED",
      message:
        `The expected lift (${(expectedLift * 100).toFixed(1)}%) is below the minimum detectable lift of ${primaryMde?.relative != null ? `${(primaryMde.relative * 100).toFixed(1)}%` : "this plan"} ` +
        `for ${primaryKpi}${requiredSegmentSize ? `; about ${requiredSegmentSize} eligible customers would be needed` : ""}. A null result would not mean "no effect".`,
    });
  }
  if (overlappingCustomers > 0) {
    warnings.push({
      code: "OVERLAPPING_CAMPAIGNS",
      message: `${overlappingCustomers} of these customers are in running campaign(s) ${overlappingCampaignIds.join(", ")}; their effects will mix.`,
    });
  }
  if (input.prePeriodDays != null && input.prePeriodDays !== input.outcomeWindowDays) {
    warnings.push({ code: "UNEQUAL_PERIODS", message: `The pre-period (${input.prePeriodDays} days) differs from the outcome window (${input.outcomeWindowDays} days); before/after means are not directly comparable.` });
  }
  return {
    snapshotId: snapshot.id,
    snapshotAsOf: snapshot.asOf.toISOString(),
    segmentMembers: members,
    optedOut: members - n,
    eligibleCustomers: n,
    treatmentSize: n - controlSize,
    controlSize,
    holdoutRatio: h,
    baselineFrom: baselineFrom.toISOString(),
    baselineTo: baselineTo.toISOString(),
    baselineConversion: conversion,
    baselineRevenuePerCustomer: revenue.mean,
    baselineRevenueStandardDeviation: revenue.sd,
    baselineOrdersPerCustomer: orders.mean,
    baselineOrdersStandardDeviation: orders.sd,
    mdeConversion,
    mdeRevenuePerCustomer: mdeRevenue,
    mdeOrdersPerCustomer: mdeOrders,
    primaryKpi,
    expectedLift,
    isUnderpowered,
    requiredSegmentSize,
    overlappingCustomers,
    overlappingCampaignIds,
    warnings,
    alpha: 0.05,
    power: 0.8,
    computedAt: new Date().toISOString(),
  };
}

/** DRAFT → PLANNED with the stored plan; the snapshot is fixed here (default: the latest). */
export async function planCampaign(handle: DbHandle, viewer: Viewer | null, id: number): Promise<CampaignRow> {
  return handle.transaction(async ({ query }) => {
    const campaign = await lockCampaign(query, id);
    if (campaign.status !== "draft") throw wrongStatus(campaign, "planCampaign", ["draft"]);
    const plan = await powerAnalysis(query, {
      segmentId: campaign.segmentId,
      snapshotId: campaign.snapshotId,
      channel: campaign.channel,
      holdoutRatio: campaign.holdoutRatio,
      expectedLift: campaign.expectedLift,
      outcomeWindowDays: campaign.outcomeWindowDays,
      prePeriodDays: campaign.prePeriodDays,
      primaryKpi: campaign.primaryKpi,
      campaignId: campaign.id,
    });
    await query("update campaigns set status = 'planned', snapshot_id = $2, plan = $3::jsonb, updated_at = now() where id = $1", [
      id,
      plan.snapshotId,
      JSON.stringify(plan),
    ]);
    await recordEvent(query, viewer, id, "plan", "draft", "planned", {
      snapshotId: plan.snapshotId,
      eligibleCustomers: plan.eligibleCustomers,
      warnings: plan.warnings.map((w) => w.code),
    });
    return getCampaign(query, id);
  });
}

// ---------------------------------------------------------------- launch

export interface LaunchOptions {
  /** Launch time; the demo seed backdates launches. Default now. */
  launchedAt?: Date;
  /** Test hook: runs inside the transaction right after the roster insert. */
  afterRosterInsert?: () => Promise<void>;
}

/**
 * PLANNED → RUNNING. Freezes the roster with one set-based insert: the segment's members in the
 * plan's snapshot who opted in for the channel, stratified by RF cell. Within the whole roster
 * ordered by (stratum, md5(seed:customer)) — i.e. randomly within each stratum — customer i is
 * in control when ⌊(i+1)h + u⌋ > ⌊ih + u⌋ (systematic sampling, u ∈ [0,1) from the seed): each
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
  return handle.transaction(async ({ query }) => {
    const campaign = await lockCampaign(query, id);
    if (campaign.launchIdempotencyKey !== null) {
      if (campaign.launchIdempotencyKey === key) return campaign;
      throw conflict(`Campaign ${id} was already launched (at ${campaign.launchedAt?.toISOString()}) with another idempotency key; its roster is frozen. Read it with \`campaign(id)\`.`);
    }
    if (campaign.status !== "planned") throw wrongStatus(campaign, "launchCampaign", ["planned"]);
    const [taken] = await query<{ id: number }>("select id from campaigns where launch_idempotency_key = $1", [key]);
    if (taken) throw conflict(`The idempotency key was already used to launch campaign ${taken.id}; use a fresh key per campaign.`);
    const snapshotId = campaign.snapshotId ?? campaign.plan?.snapshotId;
    if (snapshotId == null) throw conflict(`Campaign ${id} has no snapshot; plan it again.`);
    const [existing] = await query("select 1 from campaign_assignments where campaign_id = $1 limit 1", [id]);
    if (existing) throw conflict(`Campaign ${id} already has a roster; assignments are immutable.`);
    const launchedAt = options.launchedAt ?? new Date();
    await query(
      `insert into campaign_assignments (campaign_id, customer_id, "group", stratum, assigned_at)
       select $1, customer_id,
              case when floor((i + 1) * $4::float8 + u) > floor(i * $4::float8 + u) then 'control' else 'treatment' end,
              stratum, $5
         from (
           select m.customer_id, 'R' || s.r_score || 'F' || s.f_score as stratum,
                  (row_number() over (order by 'R' || s.r_score || 'F' || s.f_score, md5($3::text || ':' || m.customer_id), m.customer_id) - 1)::float8 as i,
                  ('x' || substr(md5($3::text || ':offset'), 1, 8))::bit(32)::bigint / 4294967296.0 as u
             from segment_members m
             join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id
             join customers cu on cu.id = m.customer_id
            where m.segment_id = $2 and m.snapshot_id = $6 and ${optInCondition(campaign.channel)}
         ) ranked`,
      [id, campaign.segmentId, campaign.assignmentSeed, campaign.holdoutRatio, launchedAt, snapshotId],
    );
    await options.afterRosterInsert?.();
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
      );
    }
    await query(
      `update campaigns set status = 'running', launched_at = $2, launch_idempotency_key = $3, snapshot_id = $4, updated_at = now() where id = $1`,
      [id, launchedAt, key, snapshotId],
    );
    await recordEvent(query, viewer, id, "launch", "planned", "running", { treatment, control, snapshotId, launchedAt: launchedAt.toISOString() });
    return getCampaign(query, id);
  });
}

// ---------------------------------------------------------------- cancel / review

/** DRAFT or PLANNED → CANCELLED; a launched campaign ends with a review (STOP) instead. */
export async function cancelCampaign(handle: DbHandle, viewer: Viewer | null, id: number, reason: string): Promise<CampaignRow> {
  const text = requireText(reason, "reason", "reason for cancelling");
  return handle.transaction(async ({ query }) => {
    const campaign = await lockCampaign(query, id);
    if (campaign.status !== "draft" && campaign.status !== "planned") {
      throw conflict(
        `Campaign ${id} is ${campaign.status.toUpperCase()}; only DRAFT or PLANNED campaigns can be cancelled. ` +
          (campaign.launchedAt ? "A launched campaign ends with measureCampaign and a review (decision STOP)." : ""),
      );
    }
    await query("update campaigns set status = 'cancelled', updated_at = now() where id = $1", [id]);
    await recordEvent(query, viewer, id, "cancel", campaign.status, "cancelled", { reason: text });
    return getCampaign(query, id);
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
  if (!["adopt", "iterate", "stop", "invalid"].includes(decision)) throw badInput("Unknown decision.", [{ path: "decision", message: "is not a known decision" }]);
  return handle.transaction(async ({ query }) => {
    const campaign = await lockCampaign(query, id);
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
      const baseName = campaign.name.replace(/ \(cycle \d+\)$/, "");
      const [row] = await query<{ id: number }>(
        `insert into campaigns (name, segment_id, objective, hypothesis, channel, offer, primary_kpi, guardrail_kpis, expected_lift,
                                holdout_ratio, cost_per_contact, fixed_cost, margin, outcome_window_days, pre_period_days,
                                parent_campaign_id, assignment_seed, created_by)
         select $2, segment_id, objective, hypothesis, channel, offer, primary_kpi, guardrail_kpis, expected_lift,
                holdout_ratio, cost_per_contact, fixed_cost, margin, outcome_window_days, pre_period_days, id, $3, $4
           from campaigns where id = $1 returning id`,
        [id, `${baseName} (cycle ${(depth?.n ?? 1) + 1})`, randomBytes(16).toString("hex"), viewer?.userId ?? null],
      );
      nextId = (row as { id: number }).id;
      await recordEvent(query, viewer, nextId, "create", null, "draft", { iterationOf: id });
    }
    await recordEvent(query, viewer, id, "review", "checked", "acted", { decision, rationale: text, nextCycleId: nextId });
    return { campaign: await getCampaign(query, id), nextCycle: nextId ? await getCampaign(query, nextId) : null };
  });
}

// ---------------------------------------------------------------- reads

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
  if (filter?.from && filter.to && filter.from >= filter.to) throw badInput("filter.from must be before filter.to.", [{ path: "filter.from", message: "is not before filter.to" }]);
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

/** Field problems of the `powerAnalysis` arguments (paths are the argument names). */
export const powerProblems = (args: CampaignFields) => campaignFieldProblems(args, "", false);
