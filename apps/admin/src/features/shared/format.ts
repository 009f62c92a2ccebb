const DASH = "—";

/**
 * A value that rounds to zero is written without a sign: −0.04 at one decimal is 「0.0」, not
 * 「-0.0」 (Intl keeps the sign of a negative number that rounds to zero unless told otherwise).
 */
const NO_NEGATIVE_ZERO = { signDisplay: "negative" } as const;

export function formatMoney(value: number | null | undefined, locale: string, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { style: "currency", currency, ...NO_NEGATIVE_ZERO }).format(value);
}

export function formatNumber(value: number | null | undefined, locale: string, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits, ...NO_NEGATIVE_ZERO }).format(value);
}

/** A large number in the language's own short form: 1.2億 / 3,500万 in Japanese, 120M / 35M in English (chart axes). */
export function formatCompact(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1, ...NO_NEGATIVE_ZERO }).format(value);
}

/** An amount on a chart axis, short and with its currency: 「￥1.5億」, "¥150M" (the dashboard's revenue axis read 「1億」 without one). */
export function formatCompactMoney(value: number | null | undefined, locale: string, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1, ...NO_NEGATIVE_ZERO }).format(value);
}

export function formatPercent(value: number | null | undefined, locale: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits, ...NO_NEGATIVE_ZERO }).format(value);
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

/** A calendar month written YYYY-MM (cohorts, the dashboard's range, monthly series) as a month: 「2025年12月」, "Dec 2025". Anything else is returned as it is. */
export function formatYearMonth(month: string | null | undefined, locale: string): string {
  if (!month) return DASH;
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", year: "numeric", month: "short" }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}

/**
 * An acquisition cohort, a month (YYYY-MM) or a calendar quarter (YYYY-Qn): 「2025年12月」 / "Dec 2025",
 * and 「2025年10〜12月」 / "Q4 2025". The Japanese quarter names its months: 「第1四半期」 is often
 * read as April–June, the first quarter of a Japanese fiscal year.
 */
export function formatCohort(cohort: string | null | undefined, locale: string): string {
  if (!cohort) return DASH;
  const q = /^(\d{4})-Q([1-4])$/.exec(cohort);
  if (!q) return formatYearMonth(cohort, locale);
  const first = (Number(q[2]) - 1) * 3 + 1;
  return isJapanese(locale) ? `${q[1]}年${first}〜${first + 2}月` : `Q${q[2]} ${q[1]}`;
}

/** A calendar day written YYYY-MM-DD (already a business day: no time zone applies) as the page's dates are: 「2026/12/04」, "Dec 4, 2026". */
export function formatPlainDate(day: string | null | undefined, locale: string): string {
  if (!day) return DASH;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

const isJapanese = (locale: string) => locale.toLowerCase().startsWith("ja");

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

/**
 * Sentences of one paragraph, each a message of its own: side by side in Japanese (「…です。粗利率は…」,
 * no space after 。), one space apart in English. Empty parts are left out.
 */
export function joinSentences(parts: readonly (string | null | undefined | false)[], locale: string): string {
  const kept = parts.filter((p): p is string => typeof p === "string" && p.trim() !== "").map((p) => p.trim());
  return kept.join(locale.toLowerCase().startsWith("ja") ? "" : " ");
}
