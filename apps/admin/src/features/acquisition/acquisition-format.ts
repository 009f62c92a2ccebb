// Words for the API's codes: channel names, payback and the assumptions of the comparison.
import type { AcquisitionEconomicsQuery, RetentionVsAcquisitionQuery } from "../../gql/graphql.ts";

export type AcquisitionGroupRow = AcquisitionEconomicsQuery["acquisitionEconomics"]["groups"][number];
export type ComparisonRow = RetentionVsAcquisitionQuery["retentionVsAcquisition"]["rows"][number];

type Translate = (key: string, values?: Record<string, unknown>) => string;
interface Formatters {
  money: (v: number | null | undefined) => string;
  number: (v: number | null | undefined, digits?: number) => string;
  percent: (v: number | null | undefined, digits?: number) => string;
  dateTime: (v: string | null | undefined) => string;
  channel: (v: string | null | undefined) => string;
}

/** A channel in the page's language (useFormat's channel, as on the customer page); no channel is "unknown". */
export function channelLabel(t: Translate, f: Pick<Formatters, "channel">, channel: string | null | undefined): string {
  return channel ? f.channel(channel) : t("acquisition.unknownChannel");
}

/** "month 3", or "not yet (about month 14)", or "not yet". */
export function paybackLabel(t: Translate, row: Pick<AcquisitionGroupRow, "paybackMonth" | "projectedPaybackMonth">): string {
  if (row.paybackMonth !== null && row.paybackMonth !== undefined) return t("acquisition.paybackAt", { n: row.paybackMonth });
  if (row.projectedPaybackMonth !== null && row.projectedPaybackMonth !== undefined) return t("acquisition.notYetProjected", { n: row.projectedPaybackMonth });
  return t("acquisition.notYet");
}

const PERCENT_KEYS = new Set(["margin", "monthlyDiscountRate", "snapshotMargin", "defaultMargin", "level"]);
/** Numbers that name something (the bootstrap's seed): shown as given, without thousands separators. */
const IDENTIFIER_KEYS = new Set(["seed"]);

/** One assumption in the reader's language, parameters formatted by what they are. */
export function assumptionText(t: Translate, f: Formatters, assumption: ComparisonRow["assumptions"][number]): string {
  const values: Record<string, string> = {};
  for (const { key, value } of assumption.parameters) {
    const n = Number(value);
    values[key] =
      key === "asOf" ? f.dateTime(value)
      : key === "budget" ? f.money(n)
      : key === "source" ? t(`acquisition.marginSource.${value}`)
      : IDENTIFIER_KEYS.has(key) ? value
      : PERCENT_KEYS.has(key) && Number.isFinite(n) ? f.percent(n, key === "monthlyDiscountRate" ? 1 : 0)
      : Number.isFinite(n) ? f.number(n)
      : value;
  }
  return t(`acquisition.assumption.${assumption.code}`, values);
}
