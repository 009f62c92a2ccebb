import type { DbHandle, Query } from "@ltvloop/db/client";
import { settings } from "@ltvloop/db/schema";
import { eq, sql } from "drizzle-orm";
import { DEFAULT_RF_SEGMENT_MAP, RFM_SEGMENT_LABELS } from "@ltvloop/scoring/rfm";
import type { Viewer } from "../../context.ts";
import { badInput, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { writeAudit } from "../audit/audit.service.ts";
import { executeTimeZoneChange, getTimeZoneChange, requestTimeZoneChange, type TimeZoneChange, type TimeZoneJobOptions } from "./time-zone-change.ts";

/** Cut points as the scoring package reads them (`@ltvloop/scoring/rfm`, `RfmThresholds`). */
export interface RfmThresholds {
  /** Upper bounds (inclusive, days) of R scores 5, 4, 3, 2; anything above the last is 1. */
  recencyDays: [number, number, number, number];
  /** Lower bounds (inclusive, purchase days) of F scores 2, 3, 4, 5; below the first is 1. */
  frequency: [number, number, number, number];
  /** Lower bounds (inclusive, currency units) of M scores 2, 3, 4, 5; below the first is 1. */
  monetary: [number, number, number, number];
}

export interface Settings {
  timeZone: string;
  currency: string;
  defaultMargin: number;
  rfmBinMode: "quantile" | "threshold";
  rfmThresholds: RfmThresholds;
  rfmSegmentMap: unknown;
  updatedAt: Date;
}

/** The RF map the next snapshot uses: the admin's, or the default when none is set (a fresh copy). */
export function effectiveRfSegmentMap(settings: Pick<Settings, "rfmSegmentMap">): string[][] {
  return (settings.rfmSegmentMap as string[][] | null) ?? DEFAULT_RF_SEGMENT_MAP.map((row) => [...row]);
}

export async function getSettings(query: Query): Promise<Settings> {
  const [row] = await query<{
    time_zone: string;
    currency: string;
    default_margin: string;
    rfm_bin_mode: "quantile" | "threshold";
    rfm_thresholds: RfmThresholds;
    rfm_segment_map: unknown;
    updated_at: Date;
  }>("select * from settings where id = 1");
  if (!row) throw new Error("The settings row is missing: run `pnpm ltvloop migrate` to create it.");
  return {
    timeZone: row.time_zone,
    currency: row.currency,
    defaultMargin: Number(row.default_margin),
    rfmBinMode: row.rfm_bin_mode,
    rfmThresholds: row.rfm_thresholds,
    rfmSegmentMap: row.rfm_segment_map,
    updatedAt: row.updated_at,
  };
}

export interface SettingsUpdate {
  timeZone?: string | null;
  currency?: string | null;
  defaultMargin?: number | null;
  rfmBinMode?: "quantile" | "threshold" | null;
  rfmThresholds?: { recencyDays: number[]; frequency: number[]; monetary: number[] } | null;
  /** Rows R1..R5 of five segment keys each (columns F1..F5). */
  rfmSegmentMap?: string[][] | null;
  /** Back to the scoring package's default map. */
  resetRfmSegmentMap?: boolean | null;
}

/** The segment keys an RF cell may name: the built-in RFM segments, which every snapshot fills. */
export const RF_SEGMENT_KEYS = Object.keys(RFM_SEGMENT_LABELS);

/**
 * Problems of an RF segment map: five rows (R1..R5) of five cells (F1..F5), each naming exactly
 * one known segment key, so every cell is mapped exactly once.
 */
export function rfSegmentMapProblems(map: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Array.isArray(map) || map.length !== 5) {
    return [fieldProblem("rfmSegmentMap", "RF_MAP_SHAPE")];
  }
  map.forEach((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== 5) {
      problems.push(fieldProblem(`rfmSegmentMap.R${r + 1}`, "RF_MAP_SHAPE", { row: `R${r + 1}` }));
      return;
    }
    row.forEach((key: unknown, f) => {
      if (typeof key !== "string" || !RF_SEGMENT_KEYS.includes(key)) {
        problems.push(
          fieldProblem(`rfmSegmentMap.R${r + 1}F${f + 1}`, "RF_MAP_UNKNOWN_SEGMENT", { cell: `R${r + 1}F${f + 1}`, value: String(key).slice(0, 40), allowed: RF_SEGMENT_KEYS.join(", ") }),
        );
      }
    });
  });
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export interface UpdateSettingsOptions extends TimeZoneJobOptions {
  /**
   * How a new time zone is applied. It always goes through a job (time-zone-change.ts): `wait`
   * (the default: scripts and tests) runs it here and returns once it has committed, throwing its
   * error if it failed; `queue` only queues it, and the caller starts it
   * ({@link executeTimeZoneChange}; the API does so in the background).
   */
  timeZone?: "wait" | "queue";
}

export interface UpdatedSettings extends Settings {
  /** The time-zone change this update queued (or found already queued for the same zone); null when the zone was not changed. */
  timeZoneChange: TimeZoneChange | null;
}

/**
 * Validates every field first. The fields other than the time zone, and their audit row, are
 * saved at once in one transaction; a new time zone is queued in the same transaction as a job
 * that recounts the rollups and then sets it (see time-zone-change.ts). While another change of
 * the zone is queued or running, a request for a different zone is refused as a whole.
 */
export async function updateSettings(handle: DbHandle, viewer: Viewer | null, input: SettingsUpdate, options: UpdateSettingsOptions = {}): Promise<UpdatedSettings> {
  const problems: FieldProblem[] = [];
  if (input.timeZone != null && !isTimeZone(input.timeZone)) problems.push(fieldProblem("timeZone", "TIME_ZONE"));
  if (input.currency != null && !/^[A-Z]{3}$/.test(input.currency)) problems.push(fieldProblem("currency", "CURRENCY_CODE"));
  if (input.defaultMargin != null && !(input.defaultMargin >= 0 && input.defaultMargin <= 1)) {
    problems.push(fieldProblem("defaultMargin", "RATIO"));
  }
  if (input.rfmThresholds) {
    for (const key of ["recencyDays", "frequency", "monetary"] as const) {
      const cuts = input.rfmThresholds[key];
      const ascending = cuts.every((v, i) => i === 0 || v > (cuts[i - 1] as number));
      if (cuts.length !== 4 || !ascending || cuts.some((v) => !Number.isFinite(v) || v < 0)) {
        problems.push(fieldProblem(`rfmThresholds.${key}`, "RFM_THRESHOLDS"));
      }
    }
  }
  if (input.rfmSegmentMap != null) {
    if (input.resetRfmSegmentMap) problems.push(fieldProblem("resetRfmSegmentMap", "RF_MAP_CONFLICT"));
    problems.push(...rfSegmentMapProblems(input.rfmSegmentMap));
  }
  if (problems.length > 0) throw badInput("The settings were not saved; fix the fields listed.", problems);
  const saved = await handle.transaction(async ({ db, query }) => {
    const before = await getSettings(query);
    // Rollups count purchase days in the business time zone: a new zone waits for its recount.
    const timeZoneChange =
      input.timeZone != null && input.timeZone !== before.timeZone ? await requestTimeZoneChange(handle, query, viewer, before.timeZone, input.timeZone) : null;
    // Fields left out (or null) keep their value; resetRfmSegmentMap puts the default map back.
    await db
      .update(settings)
      .set({
        ...(input.currency != null ? { currency: input.currency } : {}),
        ...(input.defaultMargin != null ? { defaultMargin: String(input.defaultMargin) } : {}),
        ...(input.rfmBinMode != null ? { rfmBinMode: input.rfmBinMode } : {}),
        ...(input.rfmThresholds != null ? { rfmThresholds: input.rfmThresholds } : {}),
        ...(input.resetRfmSegmentMap ? { rfmSegmentMap: null } : input.rfmSegmentMap != null ? { rfmSegmentMap: input.rfmSegmentMap } : {}),
        updatedAt: sql`now()`,
        updatedBy: viewer?.userId ?? null,
      })
      .where(eq(settings.id, 1));
    const { timeZone, ...fields } = input;
    await writeAudit(query, viewer, "settings.update", "settings", 1, {
      ...fields,
      // The zone is set by its job, which writes its own audit row when it commits.
      ...(timeZone != null && timeZone !== before.timeZone ? { timeZoneRequested: timeZone, timeZoneChangeJob: timeZoneChange?.id ?? null } : {}),
      // The map's change is recorded with what it replaced, so the audit shows which cells moved.
      ...(input.rfmSegmentMap != null || input.resetRfmSegmentMap ? { rfmSegmentMapBefore: before.rfmSegmentMap } : {}),
    });
    return { ...(await getSettings(query)), timeZoneChange };
  });
  if ((options.timeZone ?? "wait") === "queue" || saved.timeZoneChange?.status !== "queued") return saved;
  const outcome = await executeTimeZoneChange(handle, saved.timeZoneChange.id, options);
  if (outcome.status !== "succeeded") throw outcome.error;
  return { ...(await getSettings(handle.query)), timeZoneChange: await getTimeZoneChange(handle.query, saved.timeZoneChange.id) };
}
