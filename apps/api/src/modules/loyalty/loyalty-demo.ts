// The demo seed's loyalty programme: a points programme and a stamp card running from the start
// of the history, with a rule change a year before the end, monthly redemptions and the expiries
// that follow. Everything is set-based and deterministic (hashes of customer and month).
import type { Query } from "@ltvloop/db/client";
import { processExpiries, rebuildStampCards, syncOrderPoints, syncOrderStamps } from "./loyalty-earn.service.ts";
import { addPointRule, addStampRule } from "./loyalty-rules.service.ts";

/** Redemptions are in steps of this many points (a ¥500 coupon). */
export const DEMO_REDEEM_STEP = 500;
/** Share (percent) of customers with enough points who redeem in a given month. */
export const DEMO_REDEEM_PERCENT = 30;

const startOfMonth = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - 9 * 3_600_000);

export async function seedDemoLoyalty(query: Query, options: { asOf: Date; years: number; timeZone: string }): Promise<{ points: number; stamps: number }> {
  const start = new Date(options.asOf.getTime() - options.years * 365.25 * 86_400_000 - 86_400_000);
  const change = new Date(options.asOf.getTime() - 365 * 86_400_000);
  const base = {
    rounding: "floor" as const,
    minOrderAmount: 500,
    expiryMode: "rolling" as const,
    expiryDays: 365,
    pointValue: 1,
    channelMultipliers: { app: 2 },
    programmeName: "LTV Loop ポイント",
  };
  // 1 point per ¥100 (app orders ×2); from a year before the end, 1.5 points per ¥100.
  await addPointRule(query, { ...base, effectiveFrom: start, earnRate: 0.01 }, null, { allowPast: true });
  await addPointRule(query, { ...base, effectiveFrom: change, earnRate: 0.015 }, null, { allowPast: true });
  // One stamp per day with an order of ¥3,000 or more; 5 stamps → a ¥500 coupon; a card lasts 180 days.
  await addStampRule(
    query,
    { effectiveFrom: start, thresholdAmount: 3000, per: "day", cardSize: 5, rewardLabel: "500円クーポン", rewardValue: 500, cardExpiryDays: 180, programmeName: "LTV Loop スタンプカード" },
    null,
    { allowPast: true },
  );
  const points = await syncOrderPoints(query, null, options.asOf);
  const stamps = await syncOrderStamps(query, null, options.asOf, options.timeZone);
  await rebuildStampCards(query, null);

  // Month by month: the expiries due by the month's first day, then that day's redemptions.
  let since: Date | null = null;
  for (let month = startOfMonth(new Date(start.getTime() + 32 * 86_400_000)); month < options.asOf; ) {
    await processExpiries(query, month, null, since);
    await query(
      `with b as (select customer_id, programme_id, sum(points) as balance from loyalty_point_entries
                   where occurred_at <= $1::timestamptz group by customer_id, programme_id)
       insert into loyalty_point_entries (customer_id, programme_id, kind, points, occurred_at, idempotency_key, note)
       select customer_id, programme_id, 'redeem', -(floor(balance / $2) * $2)::bigint, $1::timestamptz,
              'demo-redeem:' || to_char($1::timestamptz at time zone 'UTC', 'YYYY-MM-DD'), 'クーポン交換（デモ）'
         from b
        where balance >= $2 and abs(hashtext(customer_id::text || ':' || $1::text)) % 100 < $3`,
      [month.toISOString(), DEMO_REDEEM_STEP, DEMO_REDEEM_PERCENT],
    );
    since = month;
    const next = new Date(month.getTime() + 9 * 3_600_000);
    month = startOfMonth(new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1)));
  }
  await processExpiries(query, options.asOf, null, since);
  return { points, stamps };
}
