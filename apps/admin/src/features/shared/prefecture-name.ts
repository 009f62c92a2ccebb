// Prefectures are data: customers carry them as imported, in Japanese (東京都), and filters and
// rules match those values. The English UI shows the 47 by their English names (Tokyo, Osaka),
// looked up here; a value outside the list is shown as it is.
import { PREFECTURES } from "./segment-keys.ts";

/** English names in the order of PREFECTURES (JIS X 0401), without -to/-fu/-ken as English writes them. */
const ENGLISH = [
  "Hokkaido", "Aomori", "Iwate", "Miyagi", "Akita", "Yamagata", "Fukushima", "Ibaraki", "Tochigi", "Gunma", "Saitama", "Chiba",
  "Tokyo", "Kanagawa", "Niigata", "Toyama", "Ishikawa", "Fukui", "Yamanashi", "Nagano", "Gifu", "Shizuoka", "Aichi", "Mie",
  "Shiga", "Kyoto", "Osaka", "Hyogo", "Nara", "Wakayama", "Tottori", "Shimane", "Okayama", "Hiroshima", "Yamaguchi", "Tokushima",
  "Kagawa", "Ehime", "Kochi", "Fukuoka", "Saga", "Nagasaki", "Kumamoto", "Oita", "Miyazaki", "Kagoshima", "Okinawa",
];

export const PREFECTURE_EN: ReadonlyMap<string, string> = new Map(PREFECTURES.map((p, i) => [p, ENGLISH[i] ?? p]));

/** A prefecture in the page's language: 「東京都」 in Japanese, "Tokyo" in English; any other value unchanged. */
export function prefectureName(value: string, locale: string): string {
  return locale.toLowerCase().startsWith("ja") ? value : (PREFECTURE_EN.get(value) ?? value);
}

/** A select's filter that finds a prefecture by what is shown or by its stored value ("Tok" or 「東京」). */
export function matchesLabelOrValue(pattern: string, option: { label?: unknown; value?: unknown }): boolean {
  const p = pattern.trim().toLowerCase();
  return [option.label, option.value].some((v) => typeof v === "string" && v.toLowerCase().includes(p));
}
