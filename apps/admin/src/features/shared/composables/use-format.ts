import { useI18n } from "vue-i18n";
import { useSession } from "../../session/composables/use-session.ts";
import {
  formatCohort,
  formatCompact,
  formatCompactMoney,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  formatPlainDate,
  formatRange,
  formatYearMonth,
  joinSentences,
} from "../format.ts";
import { prefectureName } from "../prefecture-name.ts";

/** Intl formatters bound to the user's language and the settings' currency and time zone. */
export function useFormat() {
  const { locale, t, te } = useI18n();
  const { currency, timeZone } = useSession();
  const tag = () => (locale.value === "ja" ? "ja-JP" : "en-US");
  return {
    money: (v: number | null | undefined) => formatMoney(v, tag(), currency.value),
    number: (v: number | null | undefined, digits = 0) => formatNumber(v, tag(), digits),
    /** Chart axes: 1億 / 5,000万 in Japanese, 100M / 50M in English. */
    compact: (v: number | null | undefined) => formatCompact(v, tag()),
    /** Money on chart axes: ￥1.5億 in Japanese, ¥150M in English. */
    compactMoney: (v: number | null | undefined) => formatCompactMoney(v, tag(), currency.value),
    percent: (v: number | null | undefined, digits = 1) => formatPercent(v, tag(), digits),
    date: (v: string | null | undefined) => formatDate(v, tag(), timeZone.value),
    dateTime: (v: string | null | undefined) => formatDateTime(v, tag(), timeZone.value),
    /** Two formatted values as a range: 「10〜20」, "10–20". */
    range: (from: string, to: string) => formatRange(from, to, tag()),
    /** Sentences of one paragraph: no space after 「。」 in Japanese, one space in English. */
    sentences: (...parts: (string | null | undefined | false)[]) => joinSentences(parts, tag()),
    /** The month of an instant (「2026年11月」, "Nov 2026") in the settings' time zone. */
    month: (v: string | null | undefined) => formatMonth(v, tag(), timeZone.value),
    /** A month written YYYY-MM by the API (cohorts, monthly series): 「2025年12月」, "Dec 2025". */
    yearMonth: (v: string | null | undefined) => formatYearMonth(v, tag()),
    /** An acquisition cohort, YYYY-MM or YYYY-Qn: 「2025年12月」「2025年10〜12月」, "Dec 2025", "Q4 2025". */
    cohort: (v: string | null | undefined) => formatCohort(v, tag()),
    /** A business day written YYYY-MM-DD by the API: 「2026/12/04」, "Dec 4, 2026". */
    plainDate: (v: string | null | undefined) => formatPlainDate(v, tag()),
    /** A sales or acquisition channel value (online, store, paid_search …) in the page's language; unknown values as imported. */
    /** A prefecture as stored (東京都) in Japanese, by its English name (Tokyo) in English; other values as imported. */
    prefecture: (v: string | null | undefined) => (v ? prefectureName(v, tag()) : "—"),
    channel: (v: string | null | undefined) => (v ? (te(`salesChannel.${v}`) ? t(`salesChannel.${v}`) : v) : "—"),
  };
}
