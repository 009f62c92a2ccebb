import type { Query } from "@ltvloop/db/client";

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
