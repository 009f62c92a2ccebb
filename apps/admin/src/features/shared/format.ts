const DASH = "—";

export function formatMoney(value: number | null | undefined, locale: string, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
}

export function formatNumber(value: number | null | undefined, locale: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A large number in the language's own short form: 1.2億 / 3,500万 in Japanese, 120M / 35M in English (chart axes). */
export function formatCompact(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

export function formatPercent(value: number | null | undefined, locale: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatDate(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return DASH;
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium" }).format(new Date(iso));
}

/** The month of an instant in the business time zone: 「2026年11月」, "Nov 2026". */
export function formatMonth(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return DASH;
  return new Intl.DateTimeFormat(locale, { timeZone, year: "numeric", month: "short" }).format(new Date(iso));
}

export function formatDateTime(iso: string | null | undefined, locale: string, timeZone: string): string {
  if (!iso) return DASH;
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/**
 * A range of two formatted values in the page's language: 「10〜20」 in Japanese (the wave dash,
 * no spaces, as every Japanese message writes ranges), "10–20" in English (an en dash, spaced
 * when either end has spaces or a sign of its own: "Jan 1, 2026 – Feb 3, 2026", "+1.2 – +3.4").
 */
export function formatRange(from: string, to: string, locale: string): string {
  if (locale.toLowerCase().startsWith("ja")) return `${from}〜${to}`;
  const spaced = /\s/.test(from) || /\s/.test(to) || /^[+\-−]/.test(to);
  return spaced ? `${from} – ${to}` : `${from}–${to}`;
}
