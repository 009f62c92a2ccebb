// Input checks shared by create, update and power analysis: every problem with its field path,
// before anything touches the database (the table's CHECK constraints are the last line).
import { CAMPAIGN_CHANNELS, CAMPAIGN_KPIS, CAMPAIGN_OBJECTIVES, LOYALTY_OFFER_KINDS } from "@ltvloop/db/schema";
import { badInput, type FieldProblem } from "../../errors.ts";

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
    problems.push({ path: at("loyaltyOffer.kind"), message: "is not a known loyalty offer (BONUS_POINTS, BONUS_STAMPS or EXPIRING_POINTS_REMINDER)" });
    return problems;
  }
  const k = offer.multiplier;
  const stamps = offer.bonusStamps;
  if (offer.kind === "bonus_points") {
    if (k == null) problems.push({ path: at("loyaltyOffer.multiplier"), message: "is required for bonus points: the factor on earned points, e.g. 2 for double points" });
    else if (!(Number.isFinite(k) && k > 1 && k <= MAX_BONUS_MULTIPLIER)) {
      problems.push({ path: at("loyaltyOffer.multiplier"), message: `must be above 1 and at most ${MAX_BONUS_MULTIPLIER} (e.g. 2 for double points)` });
    } else if (Math.round(k * 100) !== k * 100) problems.push({ path: at("loyaltyOffer.multiplier"), message: "may have at most 2 decimals (e.g. 1.5)" });
  } else if (k != null) problems.push({ path: at("loyaltyOffer.multiplier"), message: "applies only to bonus points; leave it empty" });
  if (offer.kind === "bonus_stamps") {
    if (stamps == null) problems.push({ path: at("loyaltyOffer.bonusStamps"), message: "is required for bonus stamps: the extra stamps per qualifying purchase, e.g. 1" });
    else if (!(Number.isInteger(stamps) && stamps >= 1 && stamps <= MAX_BONUS_STAMPS)) {
      problems.push({ path: at("loyaltyOffer.bonusStamps"), message: `must be a whole number from 1 to ${MAX_BONUS_STAMPS}` });
    }
  } else if (stamps != null) problems.push({ path: at("loyaltyOffer.bonusStamps"), message: "applies only to bonus stamps; leave it empty" });
  return problems;
}

export const MAX_WINDOW_DAYS = 730;
const isId = (v: string) => /^\d{1,15}$/.test(v);

/** Collects the problems of the given fields; `prefix` is the argument name (`input`). */
export function campaignFieldProblems(fields: CampaignFields, prefix: string, required: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (name: string) => (prefix ? `${prefix}.${name}` : name);
  const need = (name: keyof CampaignFields) => {
    if (required && (fields[name] === undefined || fields[name] === null)) problems.push({ path: at(name), message: "is required" });
  };
  need("name");
  need("segmentId");
  need("objective");
  need("channel");
  if (fields.name !== undefined && fields.name !== null) {
    if (fields.name.trim().length === 0) problems.push({ path: at("name"), message: "must not be blank" });
    else if (fields.name.length > 200) problems.push({ path: at("name"), message: "must be at most 200 characters" });
  }
  if (fields.segmentId != null && !isId(fields.segmentId)) problems.push({ path: at("segmentId"), message: "is not a segment id" });
  if (fields.snapshotId != null && !isId(fields.snapshotId)) problems.push({ path: at("snapshotId"), message: "is not a snapshot id" });
  if (fields.objective != null && !(CAMPAIGN_OBJECTIVES as readonly string[]).includes(fields.objective)) problems.push({ path: at("objective"), message: "is not a known objective" });
  if (fields.channel != null && !(CAMPAIGN_CHANNELS as readonly string[]).includes(fields.channel)) problems.push({ path: at("channel"), message: "is not a known channel" });
  if (fields.primaryKpi != null && !(CAMPAIGN_KPIS as readonly string[]).includes(fields.primaryKpi)) problems.push({ path: at("primaryKpi"), message: "is not a known KPI" });
  fields.guardrailKpis?.forEach((k, i) => {
    if (!(CAMPAIGN_KPIS as readonly string[]).includes(k)) problems.push({ path: at(`guardrailKpis.${i}`), message: "is not a known KPI" });
  });
  if (fields.hypothesis != null && fields.hypothesis.length > 5000) problems.push({ path: at("hypothesis"), message: "must be at most 5000 characters" });
  if (fields.offer != null && fields.offer.length > 2000) problems.push({ path: at("offer"), message: "must be at most 2000 characters" });
  if (fields.holdoutRatio != null && !(fields.holdoutRatio > 0 && fields.holdoutRatio < 1)) {
    problems.push({ path: at("holdoutRatio"), message: "must be between 0 and 1, exclusive (e.g. 0.1 for a 10% control group)" });
  }
  if (fields.expectedLift != null && !(Number.isFinite(fields.expectedLift) && fields.expectedLift > 0 && fields.expectedLift <= 100)) {
    problems.push({ path: at("expectedLift"), message: "must be a relative lift above 0 (0.1 = +10%)" });
  }
  for (const key of ["costPerContact", "fixedCost"] as const) {
    const v = fields[key];
    if (v != null && !(Number.isFinite(v) && v >= 0 && v < 1e12)) problems.push({ path: at(key), message: "must be 0 or more" });
  }
  if (fields.margin != null && !(fields.margin >= 0 && fields.margin <= 1)) problems.push({ path: at("margin"), message: "must be a ratio from 0 to 1" });
  for (const key of ["outcomeWindowDays", "prePeriodDays"] as const) {
    const v = fields[key];
    if (v != null && !(Number.isInteger(v) && v >= 1 && v <= MAX_WINDOW_DAYS)) problems.push({ path: at(key), message: `must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}` });
  }
  if (fields.loyaltyOffer != null) problems.push(...loyaltyOfferProblems(fields.loyaltyOffer, at));
  if (fields.plannedStart != null && Number.isNaN(fields.plannedStart.getTime())) problems.push({ path: at("plannedStart"), message: "is not a date" });
  return problems;
}

export function assertNoProblems(problems: FieldProblem[], what: string): void {
  if (problems.length > 0) throw badInput(`The ${what} is invalid; fix the fields listed in extensions.problems.`, problems);
}

/** Parses an `ID` argument; a non-number is a BAD_USER_INPUT at `path`. */
export function parseId(value: string, path: string, what: string): number {
  if (!isId(value)) throw badInput(`"${value}" is not a ${what} id.`, [{ path, message: `is not a ${what} id` }]);
  return Number(value);
}

export function requireText(value: string | null | undefined, path: string, what: string, max = 5000): string {
  const text = value?.trim() ?? "";
  if (text.length === 0) throw badInput(`Give a ${what}; it must not be empty.`, [{ path, message: "must not be empty" }]);
  if (text.length > max) throw badInput(`The ${what} is too long (max ${max} characters).`, [{ path, message: `must be at most ${max} characters` }]);
  return text;
}
