// The loyalty side of a campaign's Check step (campaigns with a loyalty offer): per arm, the
// points earned by the rules, the campaign's bonus points, the points redeemed and the redemption
// rate inside the counted window; and the bonus points' liability, which is part of the cost:
// bonus points × point value (the rule in force at launch) × the programme's observed
// redemption rate (points redeemed ÷ points credited, all customers, up to the counted time).
import type { Query } from "@ltvloop/db/client";
import type { CampaignRow } from "./campaign.service.ts";

export interface LoyaltyArm {
  group: "treatment" | "control";
  n: number;
  /** Points earned by the programme's rules on the arm's orders in the window (net of reversals). */
  pointsEarned: number;
  /** The campaign's bonus points (net of reversals); 0 in the control arm. */
  bonusPoints: number;
  /** Bonus stamps of a BONUS_STAMPS offer (net). */
  bonusStamps: number;
  pointsRedeemed: number;
  pointsRedeemedPerCustomer: number;
  /** Redeemed ÷ points available in the window (balance at its start + credits in it); null when none were. */
  redemptionRate: number | null;
}

export interface LoyaltyResults {
  offerKind: string;
  multiplier: number | null;
  bonusStamps: number | null;
  arms: LoyaltyArm[];
  /** Bonus points credited by the campaign (treatment arm, net). */
  bonusPoints: number;
  pointValue: number;
  /** The programme's observed redemption rate (null before anything was credited: then no liability is counted). */
  expectedRedemptionRate: number | null;
  /** bonusPoints × pointValue × expectedRedemptionRate: part of the campaign's cost. */
  liability: number;
  method: string;
}

export const LOYALTY_LIABILITY_METHOD =
  "bonus points × point value of the rule in force at launch × the programme's observed redemption rate (points redeemed ÷ points credited, all customers, up to the counted time)";

/** Null for campaigns without a loyalty offer. */
export async function loyaltyResults(query: Query, campaign: CampaignRow, window: { launchedAt: Date; countedUntil: Date }): Promise<LoyaltyResults | null> {
  const offer = campaign.loyaltyOffer;
  if (!offer) return null;
  const rows = await query<{ grp: "treatment" | "control"; n: number; earned: string; bonus: string; redeemed: string; available: string }>(
    `with roster as (select customer_id, "group" as grp from campaign_assignments where campaign_id = $1),
     per as (
       select e.customer_id,
              coalesce(sum(e.points) filter (where e.occurred_at >= $2 and e.kind in ('earn', 'reverse') and e.source_order_id is not null and e.source_campaign_id is null), 0) as earned,
              coalesce(sum(e.points) filter (where e.occurred_at >= $2 and e.kind in ('earn', 'reverse') and e.source_campaign_id = $1), 0) as bonus,
              coalesce(-sum(e.points) filter (where e.occurred_at >= $2 and e.kind = 'redeem'), 0) as redeemed,
              coalesce(sum(e.points) filter (where e.occurred_at < $2), 0)
                + coalesce(sum(e.points) filter (where e.occurred_at >= $2 and e.points > 0 and e.kind in ('earn', 'adjust')), 0) as available
         from loyalty_point_entries e join roster r on r.customer_id = e.customer_id
        where e.occurred_at < $3
        group by e.customer_id)
     select r.grp, count(*)::int as n, coalesce(sum(p.earned), 0)::text as earned, coalesce(sum(p.bonus), 0)::text as bonus,
            coalesce(sum(p.redeemed), 0)::text as redeemed, coalesce(sum(greatest(p.available, 0)), 0)::text as available
       from roster r left join per p on p.customer_id = r.customer_id
      group by r.grp`,
    [campaign.id, window.launchedAt.toISOString(), window.countedUntil.toISOString()],
  );
  const stamps = await query<{ grp: string; s: number }>(
    `select a."group" as grp, coalesce(sum(e.stamps), 0)::int as s
       from campaign_assignments a join loyalty_stamp_entries e on e.customer_id = a.customer_id and e.source_campaign_id = $1
      where a.campaign_id = $1 and e.occurred_at < $2 group by a."group"`,
    [campaign.id, window.countedUntil.toISOString()],
  );
  const [programme] = await query<{ value: string | null; rate: number | null }>(
    `select (select r.point_value from loyalty_point_rules r join loyalty_programmes p on p.id = r.programme_id and p.kind = 'points' and p.is_active
              where r.effective_from <= $1 order by r.effective_from desc limit 1)::text as value,
            (select (-sum(points) filter (where kind = 'redeem'))::float8 / nullif(sum(points) filter (where kind = 'earn' or (kind = 'adjust' and points > 0)), 0)
               from loyalty_point_entries where occurred_at < $2) as rate`,
    [window.launchedAt.toISOString(), window.countedUntil.toISOString()],
  );
  const arms: LoyaltyArm[] = (["treatment", "control"] as const).map((group) => {
    const r = rows.find((x) => x.grp === group);
    const n = r?.n ?? 0;
    const redeemed = Number(r?.redeemed ?? 0);
    const available = Number(r?.available ?? 0);
    return {
      group,
      n,
      pointsEarned: Number(r?.earned ?? 0),
      bonusPoints: Number(r?.bonus ?? 0),
      bonusStamps: stamps.find((s) => s.grp === group)?.s ?? 0,
      pointsRedeemed: redeemed,
      pointsRedeemedPerCustomer: n > 0 ? redeemed / n : 0,
      redemptionRate: available > 0 ? redeemed / available : null,
    };
  });
  const bonusPoints = arms.reduce((s, a) => s + a.bonusPoints, 0);
  const pointValue = Number(programme?.value ?? 0);
  const rate = programme?.rate == null ? null : Math.min(1, Math.max(0, Number(programme.rate)));
  return {
    offerKind: offer.kind,
    multiplier: offer.multiplier,
    bonusStamps: offer.bonusStamps,
    arms,
    bonusPoints,
    pointValue,
    expectedRedemptionRate: rate,
    liability: Math.max(0, bonusPoints) * pointValue * (rate ?? 0),
    method: LOYALTY_LIABILITY_METHOD,
  };
}
