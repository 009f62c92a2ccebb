import type { Query } from "@ltvloop/db/client";

export interface RfmThresholds {
  /** Upper bounds (days) of R scores 5, 4, 3, 2; anything above the last is 1. */
  recencyDays: number[];
  /** Upper bounds (purchase days) of F scores 1, 2, 3, 4; anything above the last is 5. */
  frequency: number[];
  /** Upper bounds (currency units) of M scores 1, 2, 3, 4; anything above the last is 5. */
  monetary: number[];
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
