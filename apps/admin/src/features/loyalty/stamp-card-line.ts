// The line under a customer's stamp card: what state it is in and the date that matters for it.
// An open card says how many stamps are still needed and until when; a completed card when it
// was completed; a lapsed card when it lapsed (not the stamps it still "needs": it can no
// longer earn any).
import { lastDay } from "../shared/zoned-date.ts";

export interface StampCardView {
  status: string;
  stamps: number;
  cardSize: number;
  completedAt?: string | null;
  expiresAt?: string | null;
}

interface Translator {
  t: (key: string, params?: Record<string, unknown>) => string;
}

export function stampCardLine(i18n: Translator, card: StampCardView, date: (iso: string | null | undefined) => string): string {
  const parts = [i18n.t(`loyalty.cardStatus.${card.status}`)];
  if (card.status === "completed") {
    if (card.completedAt) parts.push(date(card.completedAt));
  } else if (card.status === "expired") {
    if (card.expiresAt) parts.push(date(card.expiresAt));
  } else {
    parts.push(i18n.t("loyalty.stampsToGo", { n: Math.max(0, card.cardSize - card.stamps) }));
    // 「… まで」: the last day the card is valid (a card expiring at 00:00 ends the day before).
    if (card.expiresAt) parts.push(i18n.t("loyalty.cardUntil", { date: date(lastDay(card.expiresAt)) }));
  }
  return parts.join(" · ");
}
