// Pure rules behind the Settings page. They mirror apps/api/src/modules/settings/settings.service.ts
// (the server checks again and stays the authority) so mistakes show before saving.
import type { RfmBinMode } from "../../gql/graphql.ts";

/** A message key under `settings.validation.*`, with its parameters. */
export interface Problem {
  key: string;
  params?: Record<string, string | number>;
}

// ── Business settings ──────────────────────────────────────────────────────────

export function isTimeZone(zone: string): boolean {
  if (!zone.trim()) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

/** IANA zones the browser knows, UTC included (some engines list it only as Etc/UTC). */
export function timeZoneOptions(): string[] {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return zones.includes("UTC") ? [...zones] : ["UTC", ...zones];
}

export const isCurrencyCode = (code: string) => /^[A-Z]{3}$/.test(code);

/** ISO 4217 codes the browser can format, the common ones for this market first. */
export function currencyOptions(): string[] {
  const first = ["JPY", "USD", "EUR", "CNY", "KRW", "TWD", "HKD", "SGD", "GBP", "AUD"];
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [];
  return [...first, ...all.filter((c) => !first.includes(c))];
}

/** The API stores the margin as a ratio 0–1; people type percentages. Two decimals of a percent. */
export const percentFromRatio = (ratio: number) => Math.round(ratio * 10_000) / 100;
export const ratioFromPercent = (percent: number) => Math.round(percent * 100) / 10_000;

export interface BusinessDraft {
  currency: string;
  timeZone: string;
  marginPercent: number | null;
}

export function validateBusiness(draft: BusinessDraft): Partial<Record<keyof BusinessDraft, Problem>> {
  const out: Partial<Record<keyof BusinessDraft, Problem>> = {};
  if (!isCurrencyCode(draft.currency.trim().toUpperCase())) out.currency = { key: "currency" };
  if (!isTimeZone(draft.timeZone)) out.timeZone = { key: "timeZone" };
  const m = draft.marginPercent;
  if (m === null || !Number.isFinite(m) || m < 0 || m > 100) out.marginPercent = { key: "margin" };
  return out;
}

// ── RFM thresholds ─────────────────────────────────────────────────────────────

export type Dimension = "recencyDays" | "frequency" | "monetary";
export const DIMENSIONS: readonly Dimension[] = ["recencyDays", "frequency", "monetary"];

export interface Thresholds {
  recencyDays: number[];
  frequency: number[];
  monetary: number[];
}

/** While editing, a cut point may be empty. */
export type ThresholdsDraft = Record<Dimension, (number | null)[]>;

/** Days and purchase days are GraphQL `Int`s; amounts are `Float`s. */
const INTEGER: Record<Dimension, boolean> = { recencyDays: true, frequency: true, monetary: false };

/**
 * Problems per cut point: four numbers ≥ 0, strictly ascending (the API's rule), whole numbers
 * for days and purchase counts. Each problem sits on the cut point to fix.
 */
export function validateThresholds(draft: ThresholdsDraft): Record<Dimension, (Problem | null)[]> {
  const out = {} as Record<Dimension, (Problem | null)[]>;
  for (const dim of DIMENSIONS) {
    const cuts = draft[dim];
    const problems: (Problem | null)[] = [null, null, null, null];
    for (let i = 0; i < 4; i += 1) {
      const v = cuts[i];
      if (v === null || v === undefined || !Number.isFinite(v)) problems[i] = { key: "required" };
      else if (v < 0) problems[i] = { key: "negative" };
      else if (INTEGER[dim] && !Number.isInteger(v)) problems[i] = { key: "integer" };
      else {
        const previous = cuts[i - 1];
        if (i > 0 && previous !== null && previous !== undefined && Number.isFinite(previous) && v <= previous) {
          problems[i] = { key: "ascending", params: { previous } };
        }
      }
    }
    out[dim] = problems;
  }
  return out;
}

export const hasProblems = (problems: Record<Dimension, (Problem | null)[]>) => DIMENSIONS.some((d) => problems[d].some((p) => p !== null));

/** The draft as the API input, once it validates. */
export function toThresholds(draft: ThresholdsDraft): Thresholds {
  return { recencyDays: draft.recencyDays.map(Number), frequency: draft.frequency.map(Number), monetary: draft.monetary.map(Number) };
}

/**
 * One score's range. `min`/`max` null means open; exclusive bounds are strict (<, >).
 * Days and purchase days are whole numbers, so their bounds are given inclusive.
 */
export interface ScoreBand {
  score: 1 | 2 | 3 | 4 | 5;
  min: number | null;
  minExclusive: boolean;
  max: number | null;
  maxExclusive: boolean;
}

/**
 * The customers each score covers under fixed thresholds, as `@ltvloop/scoring/rfm` reads them:
 * recency cut points are inclusive upper bounds of R5, R4, R3, R2 (beyond the last is R1);
 * frequency and monetary cut points are inclusive lower bounds of scores 2, 3, 4, 5. Listed
 * from score 5 down. Null when a cut point is missing.
 */
export function scoreBands(dim: Dimension, cuts: readonly (number | null)[]): ScoreBand[] | null {
  if (cuts.length !== 4 || cuts.some((c) => c === null || !Number.isFinite(c))) return null;
  const c = cuts as number[];
  const [c0, c1, c2, c3] = c as [number, number, number, number];
  if (dim === "recencyDays") {
    return [
      { score: 5, min: null, minExclusive: false, max: c0, maxExclusive: false },
      { score: 4, min: c0 + 1, minExclusive: false, max: c1, maxExclusive: false },
      { score: 3, min: c1 + 1, minExclusive: false, max: c2, maxExclusive: false },
      { score: 2, min: c2 + 1, minExclusive: false, max: c3, maxExclusive: false },
      { score: 1, min: c3, minExclusive: true, max: null, maxExclusive: false },
    ];
  }
  if (dim === "frequency") {
    return [
      { score: 5, min: c3, minExclusive: false, max: null, maxExclusive: false },
      { score: 4, min: c2, minExclusive: false, max: c3 - 1, maxExclusive: false },
      { score: 3, min: c1, minExclusive: false, max: c2 - 1, maxExclusive: false },
      { score: 2, min: c0, minExclusive: false, max: c1 - 1, maxExclusive: false },
      { score: 1, min: null, minExclusive: false, max: c0 - 1, maxExclusive: false },
    ];
  }
  return [
    { score: 5, min: c3, minExclusive: false, max: null, maxExclusive: false },
    { score: 4, min: c2, minExclusive: false, max: c3, maxExclusive: true },
    { score: 3, min: c1, minExclusive: false, max: c2, maxExclusive: true },
    { score: 2, min: c0, minExclusive: false, max: c1, maxExclusive: true },
    { score: 1, min: null, minExclusive: false, max: c0, maxExclusive: true },
  ];
}

/** A band no customer can fall in (e.g. F1 when the first cut point is 0 or 1: everyone who bought has ≥ 1 purchase day). */
export function isEmptyBand(dim: Dimension, band: ScoreBand): boolean {
  if (dim === "frequency" && band.score === 1) return band.max !== null && band.max < 1;
  if (band.min !== null && band.max !== null) return band.min > band.max || (band.maxExclusive && band.min >= band.max);
  if (band.min === null && band.max !== null) return band.maxExclusive ? band.max <= 0 : band.max < 0;
  return false;
}

export function sameThresholds(a: Thresholds, b: Thresholds): boolean {
  return DIMENSIONS.every((d) => a[d].length === b[d].length && a[d].every((v, i) => v === b[d][i]));
}

// ── What the latest snapshot was scored with ───────────────────────────────────

export interface SavedSettings {
  timeZone: string;
  defaultMargin: number;
  rfmBinMode: RfmBinMode;
  rfmThresholds: Thresholds;
}

export type DriftField = "rfmBinMode" | "rfmThresholds" | "timeZone" | "margin";

/**
 * Which saved settings the latest snapshot was not computed with (its stored `parameters`), so
 * the page can say a new snapshot is needed for them to show in scores and segments.
 */
export function settingsDrift(saved: SavedSettings, parameters: Record<string, unknown> | null | undefined): DriftField[] {
  if (!parameters) return [];
  const out: DriftField[] = [];
  const mode = String(parameters["rfmBinMode"] ?? "").toUpperCase();
  if (mode && mode !== saved.rfmBinMode) out.push("rfmBinMode");
  const used = parameters["rfmThresholds"] as Thresholds | undefined;
  if (saved.rfmBinMode === "THRESHOLD" && used && !sameThresholds(used, saved.rfmThresholds)) out.push("rfmThresholds");
  if (typeof parameters["timeZone"] === "string" && parameters["timeZone"] !== saved.timeZone) out.push("timeZone");
  if (typeof parameters["margin"] === "number" && Math.abs(parameters["margin"] - saved.defaultMargin) > 1e-9) out.push("margin");
  return out;
}
