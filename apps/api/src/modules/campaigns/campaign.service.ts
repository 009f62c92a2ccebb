// Campaign PDCA (DESIGN §5), the shared core: the campaign row, events, status errors, and
// creating and editing drafts. The steps live beside it by task: campaign-plan.service.ts
// (power analysis, DRAFT → PLANNED), campaign-launch.service.ts (the frozen roster),
// campaign-review.service.ts (cancel, the Act step), campaign-list.service.ts (reads) and
// campaign-measure.service.ts (the Check step). Every change writes a campaign_events row and
// an audit_log row in the same transaction.
import { randomBytes } from "node:crypto";
import type { Database, DbHandle, Query } from "@ltvloop/db/client";
import { campaigns, segments, users, type CampaignStatus } from "@ltvloop/db/schema";
import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Viewer } from "../../context.ts";
import { badInput, conflict, notFound } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import type { PlanData } from "./campaign-plan.service.ts";
import { assertNoProblems, campaignFieldProblems, type CampaignFields } from "./campaign.validate.ts";

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Below this many control customers a lift estimate is too noisy to act on. */
export const MIN_CONTROL_SIZE = 500;

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

export interface LoyaltyOffer {
  kind: "bonus_points" | "bonus_stamps" | "expiring_points_reminder";
  multiplier: number | null;
  bonusStamps: number | null;
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
  /** The structured loyalty offer (null: none). */
  loyaltyOffer: LoyaltyOffer | null;
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

/** campaigns as `c`: the alias EFFECTIVE_STATUS and the raw statements over campaigns use. */
export const c = alias(campaigns, "c");
const createdByUser = alias(users, "created_by_user");
const reviewedByUser = alias(users, "reviewed_by_user");

/**
 * Campaigns with what readers see beside each row (its effective status, its segment's name and
 * key, who created and who reviewed it), for the caller to filter, order and limit.
 */
export function selectCampaigns(db: Database) {
  return db
    .select({
      row: c,
      status: sql<CampaignStatus>`${sql.raw(EFFECTIVE_STATUS)}`,
      segmentName: segments.name,
      segmentKey: segments.key,
      createdByEmail: createdByUser.email,
      reviewedByEmail: reviewedByUser.email,
    })
    .from(c)
    .innerJoin(segments, eq(segments.id, c.segmentId))
    .leftJoin(createdByUser, eq(createdByUser.id, c.createdBy))
    .leftJoin(reviewedByUser, eq(reviewedByUser.id, c.reviewedBy))
    .$dynamic();
}

export type SelectedCampaign = Awaited<ReturnType<typeof selectCampaigns>>[number];

export function toCampaign({ row, status, segmentName, segmentKey, createdByEmail, reviewedByEmail }: SelectedCampaign): CampaignRow {
  return {
    id: row.id,
    name: row.name,
    segmentId: row.segmentId,
    segmentName,
    segmentKey,
    snapshotId: row.snapshotId,
    objective: row.objective,
    hypothesis: row.hypothesis,
    channel: row.channel,
    offer: row.offer,
    loyaltyOffer: row.loyaltyOfferKind ? { kind: row.loyaltyOfferKind, multiplier: num(row.loyaltyMultiplier), bonusStamps: row.loyaltyBonusStamps } : null,
    primaryKpi: row.primaryKpi,
    guardrailKpis: row.guardrailKpis,
    expectedLift: num(row.expectedLift),
    holdoutRatio: Number(row.holdoutRatio),
    costPerContact: Number(row.costPerContact),
    fixedCost: Number(row.fixedCost),
    margin: num(row.margin),
    outcomeWindowDays: row.outcomeWindowDays,
    prePeriodDays: row.prePeriodDays,
    plannedStart: row.plannedStart,
    status,
    storedStatus: row.status,
    plan: (row.plan as PlanData | null) ?? null,
    launchedAt: row.launchedAt,
    launchIdempotencyKey: row.launchIdempotencyKey,
    decision: row.decision,
    decisionRationale: row.decisionRationale,
    reviewedByEmail,
    reviewedAt: row.reviewedAt,
    parentCampaignId: row.parentCampaignId,
    assignmentSeed: row.assignmentSeed,
    createdByEmail,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export const campaignNotFound = (id: number) => notFound(`Campaign ${id} does not exist. List campaigns with \`campaigns\`.`, "CAMPAIGN_NOT_FOUND", { id });

export async function getCampaign(db: Database, id: number): Promise<CampaignRow> {
  const [row] = await selectCampaigns(db).where(eq(c.id, id));
  if (!row) throw campaignNotFound(id);
  return toCampaign(row);
}

/** Locks the campaign row for the rest of the transaction and returns it. */
export async function lockCampaign(db: Database, id: number): Promise<CampaignRow> {
  const [locked] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, id)).for("update");
  if (!locked) throw campaignNotFound(id);
  return getCampaign(db, id);
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
    "CAMPAIGN_WRONG_STATE",
    { id: campaign.id, status: campaign.status, action, allowed: allowed.join(",") },
  );
}

export async function assertSegment(query: Query, segmentId: number, path: string): Promise<void> {
  const [segment] = await query<{ archived: boolean }>("select archived from segments where id = $1", [segmentId]);
  if (!segment) throw notFound(`Segment ${segmentId} does not exist (${path}). List segments with \`segments\`.`, "SEGMENT_NOT_FOUND", { id: segmentId });
}

export async function assertSnapshot(query: Query, snapshotId: number, path: string): Promise<void> {
  const [snapshot] = await query<{ status: string }>("select status from snapshots where id = $1", [snapshotId]);
  if (!snapshot) throw notFound(`Snapshot ${snapshotId} does not exist (${path}). List snapshots with \`snapshots\`.`, "SNAPSHOT_NOT_FOUND", { id: snapshotId });
  if (snapshot.status !== "succeeded") throw badInput(`Snapshot ${snapshotId} is ${snapshot.status}; pick a succeeded snapshot.`, [fieldProblem(path, "SNAPSHOT_NOT_SUCCEEDED", { id: snapshotId, status: snapshot.status })], "SNAPSHOT_NOT_SUCCEEDED", { id: snapshotId, status: snapshot.status });
}

type CampaignValues = Partial<typeof campaigns.$inferInsert>;

/** A numeric column's value: undefined stays undefined (left out), null stays null. */
function decimal(value: number | null | undefined): string | null | undefined {
  return value == null ? value : String(value);
}

/** The loyalty offer as its three columns, as given (null clears them all). */
function offerColumns(offer: CampaignFields["loyaltyOffer"]) {
  return { loyaltyOfferKind: offer?.kind ?? null, loyaltyMultiplier: offer?.multiplier ?? null, loyaltyBonusStamps: offer?.bonusStamps ?? null };
}

/**
 * The campaigns columns a create or edit writes, from the fields given: a key left undefined
 * is left out (the column keeps its default or value); null clears a nullable column. The loyalty
 * offer is its three columns. Values were validated (campaignFieldProblems) before this.
 */
function campaignValues(input: CampaignFields): CampaignValues {
  const values: CampaignValues = {};
  const set = <K extends keyof CampaignValues>(key: K, value: CampaignValues[K] | undefined) => {
    if (value !== undefined) values[key] = value;
  };
  // Name and segment cannot be cleared (refused before this): null leaves them as they are.
  set("name", input.name?.trim());
  set("segmentId", input.segmentId == null ? undefined : Number(input.segmentId));
  set("snapshotId", input.snapshotId == null ? input.snapshotId : Number(input.snapshotId));
  set("objective", input.objective as CampaignValues["objective"]);
  set("hypothesis", input.hypothesis as CampaignValues["hypothesis"]);
  set("channel", input.channel as CampaignValues["channel"]);
  set("offer", input.offer as CampaignValues["offer"]);
  set("primaryKpi", input.primaryKpi as CampaignValues["primaryKpi"]);
  set("guardrailKpis", input.guardrailKpis === undefined ? undefined : (input.guardrailKpis ?? []));
  set("expectedLift", decimal(input.expectedLift));
  set("holdoutRatio", decimal(input.holdoutRatio) as string | undefined);
  set("costPerContact", decimal(input.costPerContact) as string | undefined);
  set("fixedCost", decimal(input.fixedCost) as string | undefined);
  set("margin", decimal(input.margin));
  set("outcomeWindowDays", input.outcomeWindowDays as CampaignValues["outcomeWindowDays"]);
  set("prePeriodDays", input.prePeriodDays as CampaignValues["prePeriodDays"]);
  set("plannedStart", input.plannedStart);
  if (input.loyaltyOffer !== undefined) {
    const offer = offerColumns(input.loyaltyOffer);
    values.loyaltyOfferKind = offer.loyaltyOfferKind as CampaignValues["loyaltyOfferKind"];
    values.loyaltyMultiplier = decimal(offer.loyaltyMultiplier);
    values.loyaltyBonusStamps = offer.loyaltyBonusStamps;
  }
  return values;
}

/** The fields as the event log records them (the names of the API's input). */
function fieldsForLog(input: CampaignFields): Record<string, unknown> {
  const { loyaltyOffer, ...rest } = input;
  const logged: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return loyaltyOffer === undefined ? logged : { ...logged, ...offerColumns(loyaltyOffer) };
}

/**
 * The checks of a loyalty offer that read the database (plan and launch): the programme it
 * works on must exist and be active, with a rule in force for points offers.
 */
export async function assertLoyaltyOffer(query: Query, offer: LoyaltyOffer | null, path = "loyaltyOffer"): Promise<void> {
  if (!offer) return;
  const kind = offer.kind === "bonus_stamps" ? "stamps" : "points";
  const table = kind === "stamps" ? "loyalty_stamp_rules" : "loyalty_point_rules";
  const [programme] = await query<{ id: number; rules: number }>(
    `select p.id, (select count(*)::int from ${table} r where r.programme_id = p.id) as rules
       from loyalty_programmes p where p.kind = $1 and p.is_active`,
    [kind],
  );
  const what = kind === "stamps" ? "stamp card" : "points programme";
  if (!programme) {
    throw badInput(`The campaign's ${offer.kind.toUpperCase()} offer needs an active ${what}, and there is none. An admin sets its rules on the Loyalty page first, or remove the loyalty offer.`, [
      fieldProblem(path, "PROGRAMME_MISSING", { programme: kind }),
    ], "LOYALTY_PROGRAMME_MISSING", { programme: kind, offer: offer.kind });
  }
  if (programme.rules === 0) {
    throw badInput(`The active ${what} has no rules yet, so the ${offer.kind.toUpperCase()} offer would do nothing. An admin adds a rule on the Loyalty page first.`, [
      fieldProblem(path, "PROGRAMME_EMPTY", { programme: kind }),
    ], "LOYALTY_PROGRAMME_EMPTY", { programme: kind, offer: offer.kind });
  }
}

export interface CreateOptions {
  /** Deterministic assignment seed (demo data); a random one otherwise. */
  assignmentSeed?: string;
  parentCampaignId?: number | null;
}

/** DRAFT with the plan fields. The pre-period defaults to the outcome window's length. */
export async function createCampaign(handle: DbHandle, viewer: Viewer | null, input: CampaignFields, options: CreateOptions = {}): Promise<CampaignRow> {
  assertNoProblems(campaignFieldProblems(input, "input", true), "campaign");
  const withPrePeriod: CampaignFields = { ...input, prePeriodDays: input.prePeriodDays ?? input.outcomeWindowDays ?? 30 };
  return handle.transaction(async ({ db, query }) => {
    await assertSegment(query, Number(input.segmentId), "input.segmentId");
    if (input.snapshotId) await assertSnapshot(query, Number(input.snapshotId), "input.snapshotId");
    // Nulls are left out of a new campaign: its columns keep their defaults.
    const given = Object.fromEntries(Object.entries(campaignValues(withPrePeriod)).filter(([, v]) => v !== null)) as CampaignValues;
    const [row] = await db
      .insert(campaigns)
      .values({
        ...(given as typeof campaigns.$inferInsert),
        assignmentSeed: options.assignmentSeed ?? randomBytes(16).toString("hex"),
        createdBy: viewer?.userId ?? null,
        parentCampaignId: options.parentCampaignId ?? null,
      })
      .returning({ id: campaigns.id });
    const id = (row as { id: number }).id;
    const logged = Object.fromEntries(Object.entries(fieldsForLog(withPrePeriod)).filter(([, v]) => v !== null));
    await recordEvent(query, viewer, id, "create", null, "draft", { fields: logged });
    return getCampaign(db, id);
  });
}

/** Edits a DRAFT; later states are frozen (plan, roster and results depend on the fields). */
export async function updateCampaign(handle: DbHandle, viewer: Viewer | null, id: number, input: CampaignFields): Promise<CampaignRow> {
  assertNoProblems(campaignFieldProblems(input, "input", false), "campaign change");
  for (const key of ["name", "segmentId", "objective", "channel"] as const) {
    if (input[key] === null) throw badInput(`${key} cannot be cleared.`, [fieldProblem(`input.${key}`, "CANNOT_CLEAR")]);
  }
  return handle.transaction(async ({ db, query }) => {
    const campaign = await lockCampaign(db, id);
    if (campaign.status !== "draft") throw wrongStatus(campaign, "updateCampaign", ["draft"]);
    if (input.segmentId) await assertSegment(query, Number(input.segmentId), "input.segmentId");
    if (input.snapshotId) await assertSnapshot(query, Number(input.snapshotId), "input.snapshotId");
    const values = campaignValues(input);
    if (Object.keys(values).length === 0) return campaign;
    await db
      .update(campaigns)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(campaigns.id, id));
    await recordEvent(query, viewer, id, "edit", "draft", "draft", { changes: fieldsForLog(input) });
    return getCampaign(db, id);
  });
}
