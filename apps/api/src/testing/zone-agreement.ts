// Whether the rollups count purchase days in the zone the settings say is in force: the check a
// time-zone change must never let a reader fail (settings/time-zone-change.ts).
import type { Query } from "@ltvloop/db/client";

/**
 * The zone in force and how many purchase days disagree with it, read in one statement: day rows
 * not among the completed orders' days in that zone, such days without a row, and rollups whose
 * purchase dates are not their day rows.
 */
export async function zoneAgreement(query: Query): Promise<{ zone: string; mismatches: number }> {
  const [row] = await query<{ zone: string; mismatches: number }>(
    `with s as (select time_zone from settings where id = 1),
          expected as (select distinct o.customer_id, (o.ordered_at at time zone s.time_zone)::date as day from orders o, s where o.status = 'completed')
     select (select time_zone from s) as zone,
            (select count(*)::int from (select customer_id, day from customer_day_activity except select customer_id, day from expected) x)
          + (select count(*)::int from (select customer_id, day from expected except select customer_id, day from customer_day_activity) y)
          + (select count(*)::int from customer_rollups r
              where r.purchase_dates is distinct from array(select a.day from customer_day_activity a where a.customer_id = r.customer_id order by a.day)
                 or r.purchase_days <> cardinality(r.purchase_dates)) as mismatches`,
  );
  if (!row) throw new Error("The settings row is missing.");
  return row;
}
