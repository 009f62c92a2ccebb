// Amounts typed into number inputs (NInputNumber's format/parse): digit grouping shown once the
// field is left (30,000), typed with or without it. The plan wizard's costs and the acquisition
// page's budget use these.

/** An amount in an input with digit grouping (30,000); ja-JP and en-US group alike. */
export const formatAmountInput = (value: number | null, locale: string): string =>
  value === null ? "" : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);

/** Reads an amount typed with or without grouping (30,000 or 30000), or with the currency sign (¥30,000). */
export function parseAmountInput(text: string): number | null {
  const clean = text.replace(/[,\s¥￥$€£]/g, "");
  if (clean === "") return null;
  const n = Number(clean);
  return Number.isFinite(n) ? n : null;
}

/** The currency's sign as the language writes it before an amount: ￥ (ja-JP, JPY), ¥ (en-US, JPY), $ … */
export function currencySign(locale: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0).find((p) => p.type === "currency")?.value ?? currency;
  } catch {
    return currency;
  }
}
