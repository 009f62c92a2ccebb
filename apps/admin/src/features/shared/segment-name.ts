// Built-in RFM segments are stored with a bilingual name (「ロイヤル顧客 Loyal」) that admins may
// rename. Until renamed, the UI shows the name in the page's language only.
import { RFM_SEGMENT_LABELS } from "@ltvloop/scoring/rfm";

type Translate = (key: string) => string;

function defaultNames(key: string): string[] {
  const labels = (RFM_SEGMENT_LABELS as Record<string, { ja: string; en: string } | undefined>)[key];
  return labels ? [`${labels.ja} ${labels.en}`, labels.ja, labels.en] : [];
}

/** The segment's name in the page's language when it is a built-in one still under its default name. */
export function segmentDisplayName(t: Translate, segment: { key?: string | null; name: string }): string {
  const key = segment.key ?? null;
  if (key && defaultNames(key).includes(segment.name.trim())) return t(`rfm.${key}`);
  return segment.name;
}

/** The built-in description 「RF cells: R4F5 R5F4 …」 worded in the page's language; others unchanged. */
export function segmentDisplayDescription(t: (key: string, params: Record<string, unknown>) => string, description: string): string {
  const cells = /^RF cells: ((?:R[1-5]F[1-5] ?)+)$/.exec(description.trim());
  return cells?.[1] ? t("segments.rfCellsDescription", { cells: cells[1].trim().split(" ").join(t("segments.cellSeparator", {})) }) : description;
}
