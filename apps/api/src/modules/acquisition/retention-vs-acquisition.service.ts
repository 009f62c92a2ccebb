// Retention against acquisition: gross profit per yen of each measured retention campaign (its
// stored incremental gross profit and cost) next to each acquisition channel's LTV/CAC, with
// the assumptions as codes and parameters for the UI to word.
import type { Query } from "@ltvloop/db/client";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, type RatioInterval } from "./acquisition.bootstrap.ts";
import { acquisitionEconomics, type AcquisitionEconomicsResult, type AcquisitionInput } from "./acquisition.service.ts";

export interface AssumptionResult {
  code: string;
  parameters: { key: string; value: string }[];
}

export interface RetentionVsAcquisitionRowResult {
  kind: "campaign" | "acquisition_channel";
  key: string;
  label: string;
  spend: number;
  grossProfit: number;
  grossProfitPerYen: number | null;
  interval: RatioInterval | null;
  grossProfitForBudget: number | null;
  customers: number;
  assumptions: AssumptionResult[];
}

export interface RetentionVsAcquisitionResult {
  budget: number | null;
  asOf: Date;
  rows: RetentionVsAcquisitionRowResult[];
}

const assumption = (code: string, parameters: Record<string, string | number | null>): AssumptionResult => ({
  code,
  parameters: Object.entries(parameters)
    .filter(([, v]) => v !== null)
    .map(([key, value]) => ({ key, value: String(value) })),
});

const finite = (value: unknown): number | null => (typeof value === "number" && Number.isFinite(value) ? value : null);
const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** The money part of a stored campaign result, read defensively (older or newer result shapes). */
export function readCampaignMoney(results: unknown): {
  grossProfit: number;
  interval: RatioInterval | null;
  cost: number;
  margin: number | null;
  marginSource: string | null;
  treated: number;
  windowDays: number | null;
} | null {
  const r = record(results);
  const money = record(r?.money);
  const grossProfit = finite(money?.incrementalGrossProfit);
  const cost = finite(money?.campaignCost);
  if (grossProfit === null || cost === null) return null;
  const ci = record(money?.incrementalGrossProfitCi);
  const lower = finite(ci?.lower);
  const upper = finite(ci?.upper);
  const groups = Array.isArray(r?.groups) ? (r.groups as unknown[]).map(record) : [];
  const treatment = groups.find((g) => g?.group === "treatment");
  const from = typeof r?.windowFrom === "string" ? Date.parse(r.windowFrom) : NaN;
  const to = typeof r?.windowTo === "string" ? Date.parse(r.windowTo) : NaN;
  return {
    grossProfit,
    interval: lower !== null && upper !== null ? { lower, upper } : null,
    cost,
    margin: finite(money?.margin),
    marginSource: typeof money?.marginSource === "string" ? money.marginSource : null,
    treated: finite(treatment?.n) ?? 0,
    windowDays: Number.isFinite(from) && Number.isFinite(to) ? Math.round((to - from) / 86_400_000) : null,
  };
}

export async function retentionVsAcquisition(
  query: Query,
  input: { budget?: number | null | undefined; from?: Date | null | undefined; to?: Date | null | undefined },
  /** The channels' economics (the server passes its cached read, shared with the acquisition page's own query). */
  economicsOf: (input: AcquisitionInput) => Promise<AcquisitionEconomicsResult> = (economicsInput) => acquisitionEconomics(query, economicsInput),
): Promise<RetentionVsAcquisitionResult> {
  const budget = input.budget ?? null;
  if (budget !== null && !(Number.isFinite(budget) && budget >= 0)) {
    throw badInput(`budget must be a number ≥ 0; got ${budget}.`, [fieldProblem("budget", "AT_LEAST", { min: 0 })]);
  }
  const forBudget = (ratio: number | null) => (budget !== null && ratio !== null ? budget * ratio : null);
  const constantReturns = budget !== null ? [assumption("CONSTANT_RETURNS", { budget })] : [];

  // The latest measurement of each campaign that reached Check or Act; final results before provisional ones.
  const campaigns = await query<{ id: number | string; name: string; results: unknown }>(
    `select c.id, c.name, r.results
       from campaigns c
       join lateral (select results from campaign_results where campaign_id = c.id
                      order by is_provisional, computed_at desc, id desc limit 1) r on true
      where c.status in ('checked', 'acted')
      order by c.id`,
  );
  const rows: RetentionVsAcquisitionRowResult[] = [];
  for (const campaign of campaigns) {
    const money = readCampaignMoney(campaign.results);
    if (!money) continue;
    const ratio = money.cost > 0 ? money.grossProfit / money.cost : null;
    rows.push({
      kind: "campaign",
      key: String(campaign.id),
      label: campaign.name,
      spend: money.cost,
      grossProfit: money.grossProfit,
      grossProfitPerYen: ratio,
      interval: ratio !== null && money.interval ? { lower: money.interval.lower / money.cost, upper: money.interval.upper / money.cost } : null,
      grossProfitForBudget: forBudget(ratio),
      customers: money.treated,
      assumptions: [
        assumption("CAMPAIGN_WINDOW_ONLY", { windowDays: money.windowDays }),
        assumption("CAMPAIGN_MARGIN", { margin: money.margin, source: money.marginSource }),
        assumption("INTERVAL_STORED_LIFT", { level: 0.95 }),
        ...constantReturns,
      ],
    });
  }

  const economics = await economicsOf({ groupBy: "channel", cohortUnit: "month", from: input.from, to: input.to });
  for (const group of economics.groups) {
    rows.push({
      kind: "acquisition_channel",
      key: group.channel ?? "",
      label: group.channel ?? "",
      spend: group.totalCac,
      grossProfit: group.ltv,
      grossProfitPerYen: group.ltvToCac,
      interval: group.ltvToCacInterval,
      grossProfitForBudget: forBudget(group.ltvToCac),
      customers: group.customers,
      assumptions: [
        assumption("CHANNEL_LTV", {
          asOf: economics.asOf.toISOString(),
          horizonMonths: economics.horizonMonths,
          monthlyDiscountRate: economics.monthlyDiscountRate,
          snapshotMargin: economics.snapshotMargin,
          defaultMargin: economics.defaultMargin,
        }),
        assumption("INTERVAL_BOOTSTRAP", { resamples: BOOTSTRAP_RESAMPLES, seed: BOOTSTRAP_SEED, level: 0.95 }),
        ...(group.customersWithoutCost > 0 ? [assumption("UNKNOWN_COST_AS_ZERO", { customers: group.customersWithoutCost })] : []),
        ...constantReturns,
      ],
    });
  }
  rows.sort((a, b) =>
    a.grossProfitPerYen === null ? (b.grossProfitPerYen === null ? 0 : 1) : b.grossProfitPerYen === null ? -1 : b.grossProfitPerYen - a.grossProfitPerYen,
  );
  return { budget, asOf: economics.asOf, rows };
}
