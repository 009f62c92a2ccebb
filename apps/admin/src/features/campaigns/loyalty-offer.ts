// A campaign's structured loyalty offer in words (the wizard's summary, the campaign page).
import type { LoyaltyOfferKind } from "../../gql/graphql.ts";

export interface LoyaltyOfferView {
  kind: LoyaltyOfferKind;
  multiplier?: number | null;
  bonusStamps?: number | null;
}

type Translate = (key: string, params?: Record<string, unknown>) => string;

/** "Bonus points ×2", "+1 bonus stamps per purchase", …; null without an offer. */
export function describeLoyaltyOffer(t: Translate, offer: LoyaltyOfferView | null | undefined, formatNumber: (v: number) => string = String): string | null {
  if (!offer) return null;
  return t(`campaignLoyalty.describe.${offer.kind}`, { k: formatNumber(offer.multiplier ?? 0), n: formatNumber(offer.bonusStamps ?? 0) });
}
