// Input checks shared by create, update and power analysis: every problem with its field path,
// before anything touches the database (the table's CHECK constraints are the last line).
import { CAMPAIGN_CHANNELS, CAMPAIGN_KPIS, CAMPAIGN_OBJECTIVES, LOYALTY_OFFER_KINDS } from "@ltvloop/db/schema";
import { badInput, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";

export interface CampaignFields {
  name?: string | null | undefined;
  segmentId?: string | null | undefined;
  snapshotId?: string | null | undefined;
  objective?: string | null | undefined;
  hypothesis?: string | null | undefined;
  channel?: string | null | undefined;
  offer?: string | null | undefined;
  primaryKpi?: string | null | undefined;
  guardrailKpis?: string[] | null | undefined;
  expectedLift?: number | null | undefined;
  holdoutRatio?: number | null | undefined;
  costPerContact?: number | null | undefined;
  fixedCost?: number | null | undefined;
  margin?: number | null | undefined;
  outcomeWindowDays?: number | null | undefined;
  prePeriodDays?: number | null | undefined;
  plannedStart?: Date | null | undefined;
  /** Structured loyalty offer; null clears it. */
  loyaltyOffer?: LoyaltyOfferFields | null | undefined;
}

export interface LoyaltyOfferFields {
  kind: string;
  multiplier?: number | null | undefined;
  bonusStamps?: number | null | undefined;
}

/** Bounds of a loyalty offer (also the table's CHECK). */
export const MAX_BONUS_MULTIPLIER = 10;
export const MAX_BONUS_STAMPS = 10;

/** Problems of a loyalty offer's fields (kind, multiplier k, bonus stamps), before the database is read. */
export function loyaltyOfferProblems(offer: LoyaltyOfferFields, at: (name: string) => string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(LOYALTY_OFFER_KINDS as readonly string[]).includes(offer.kind)) {
    problems.push(fieldProblem(at("loyaltyOffer.kind"), "ONE_OF", { allowed: "BONUS_POINTS, BONUS_STAMPS, EXPIRING_POINTS_REMINDER" }));
    return problems;
  }
  const k = offer.multiplier;
  const stamps = offer.bonusStamps;
  if (offer.kind === "bonus_points") {
    if (k == null) problems.push(fieldProblem(at("loyaltyOffer.multiplier"), "REQUIRED"));
    else if (!(Number.isFinite(k) && k > 1 && k <= MAX_BONUS_MULTIPLIER)) {
      problems.push(fieldProblem(at("loyaltyOffer.multiplier"), "MULTIPLIER_RANGE", { max: MAX_BONUS_MULTIPLIER }));
    } else if (Math.round(k * 100) !== k * 100) problems.push(fieldProblem(at("loyaltyOffer.multiplier"), "TOO_MANY_DECIMALS", { max: 2 }));
  } else if (k != null) problems.push(fieldProblem(at("loyaltyOffer.multiplier"), "NOT_APPLICABLE", { appliesTo: "bonus points" }));
  if (offer.kind === "bonus_stamps") {
    if (stamps == null) problems.push(fieldProblem(at("loyaltyOffer.bonusStamps"), "REQUIRED"));
    else if (!(Number.isInteger(stamps) && stamps >= 1 && stamps <= MAX_BONUS_STAMPS)) {
      problems.push(fieldProblem(at("loyaltyOffer.bonusStamps"), "WHOLE_NUMBER", { min: 1, max: MAX_BONUS_STAMPS }));
    }
  } else if (stamps != null) problems.push(fieldProblem(at("loyaltyOffer.bonusStamps"), "NOT_APPLICABLE", { appliesTo: "bonus stamps" }));
  return problems;
}

export const MAX_WINDOW_DAYS = 730;
const isId = (v: string) => /^\d{1,15}$/.test(v);

/** Collects the problems of the given fields; `prefix` is the argument name (`input`). */
export function campaignFieldProblems(fields: CampaignFields, prefix: string, required: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const need = (name: keyof CampaignFields) => {
    if (required && (fields[name] === undefined || fields[name] === null)) problems.push(fieldProblem(at(name), "REQUIRED"));
  };
  need("name");
  need("segmentId");
  need("objective");
  need("channel");
  if (fields.name !== undefined && fields.name !== null) {
    if (fields.name.trim().length === 0) problems.push(fieldProblem(at("name"), "BLANK"));
    else if (fields.name.length > 200) problems.push(fieldProblem(at("name"), "TOO_LONG", { max: 200 }));
  }
  if (fields.segmentId != null && !isId(fields.segmentId)) problems.push(fieldProblem(at("segmentId"), "NOT_AN_ID"));
  if (fields.snapshotId != null && !isId(fields.snapshotId)) problems.push(fieldProblem(at("snapshotId"), "NOT_AN_ID"));
  if (fields.objective != null && !(CAMPAIGN_OBJECTIVES as readonly string[]).includes(fields.objective)) problems.push(fieldProblem(at("objective"), "ONE_OF", { allowed: CAMPAIGN_OBJECTIVES.join(", ") }));
  if (fields.channel != null && !(CAMPAIGN_CHANNELS as readonly string[]).includes(fields.channel)) problems.push(fieldProblem(at("channel"), "ONE_OF", { allowed: CAMPAIGN_CHANNELS.join(", ") }));
  if (fields.primaryKpi != null && !(CAMPAIGN_KPIS as readonly string[]).includes(fields.primaryKpi)) problems.push(fieldProblem(at("primaryKpi"), "ONE_OF", { allowed: CAMPAIGN_KPIS.join(", ") }));
  fields.guardrailKpis?.forEach((k, i) => {
    if (!(CAMPAIGN_KPIS as readonly string[]).includes(k)) problems.push(fieldProblem(at(`guardrailKpis.${i}`), "ONE_OF", { allowed: CAMPAIGN_KPIS.join(", ") }));
  });
  if (fields.hypothesis != null && fields.hypothesis.length > 5000) problems.push(fieldProblem(at("hypothesis"), "TOO_LONG", { max: 5000 }));
  if (fields.offer != null && fields.offer.length > 2000) problems.push(fieldProblem(at("offer"), "TOO_LONG", { max: 2000 }));
  if (fields.holdoutRatio != null && !(fields.holdoutRatio > 0 && fields.holdoutRatio < 1)) {
    problems.push(fieldProblem(at("holdoutRatio"), "HOLDOUT_RATIO"));
  }
  if (fields.expectedLift != null && !(Number.isFinite(fields.expectedLift) && fields.expectedLift > 0 && fields.expectedLift <= 100)) {
    problems.push(fieldProblem(at("expectedLift"), "EXPECTED_LIFT"));
  }
  for (const key of ["costPerContact", "fixedCost"] as const) {
    const v = fields[key];
    if (v != null && !(Number.isFinite(v) && v >= 0 && v < 1e12)) problems.push(fieldProblem(at(key), "AT_LEAST", { min: 0 }));
  }
  if (fields.margin != null && !(fields.margin >= 0 && fields.margin <= 1)) problems.push(fieldProblem(at("margin"), "RATIO"));
  for (const key of ["outcomeWindowDays", "prePeriodDays"] as const) {
    const v = fields[key];
    if (v != null && !(Number.isInteger(v) && v >= 1 && v <= MAX_WINDOW_DAYS)) problems.push(fieldProblem(at(key), "DAYS", { min: 1, max: MAX_WINDOW_DAYS }));
  }
  if (fields.loyaltyOffer != null) problems.push(...loyaltyOfferProblems(fields.loyaltyOffer, at));
  if (fields.plannedStart != null && Number.isNaN(fields.plannedStart.getTime())) problems.push(fieldProblem(at("plannedStart"), "NOT_A_DATE"));
  return problems;
}

export function assertNoProblems(problems: FieldProblem[], what: string): void {
  if (problems.length > 0) throw badInput(`The ${what} is invalid; fix the fields listed in extensions.problems.`, problems);
}

/** Parses an `ID` argument; a non-number is a BAD_USER_INPUT at `path`. */
export function parseId(value: string, path: string, what: string): number {
  if (!isId(value)) throw badInput(`"${value}" is not a ${what} id.`, [fieldProblem(path, "NOT_AN_ID")], "NOT_AN_ID");
  return Number(value);
}

export function requireText(value: string | null | undefined, path: string, what: string, max = 5000): string {
  const text = value?.trim() ?? "";
  if (text.length === 0) throw badInput(`Give a ${what}; it must not be empty.`, [fieldProblem(path, "BLANK")]);
  if (text.length > max) throw badInput(`The ${what} is too long (max ${max} characters).`, [fieldProblem(path, "TOO_LONG", { max })]);
  return text;
}
