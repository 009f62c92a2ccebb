// Points and stamps from orders, and the expiry of unused points. Everything here is set-based
// SQL run with the caller's `query`, so it commits in the transaction of the orders it follows.
//
// Orders: for every order of the given customers the wanted points (by the rule in force at the
// order's time) are compared with what the ledger already holds for that order and customer;
// only the difference is written, as an `earn` (more) or a `reverse` (less: refunded, cancelled,
// moved to another customer, amount lowered). Replaying the same orders therefore writes nothing,
// and a rule change touches only orders from its effective date, never entries already written.
import type { Query } from "@ltvloop/db/client";

/** Customer ids to work on; null = every customer. */
export type CustomerScope = readonly number[] | null;

const SCOPE = (param: number) => `($${param}::bigint[] is null or c.id = any($${param}::bigint[]))`;

/** The active programme's rule versions with the end of each one's period (the next version's start). */
const RULE_RANGES = (table: string, kind: "points" | "stamps") => `(
  select r.*, lead(r.effective_from) over (order by r.effective_from) as effective_to
    from ${table} r join loyalty_programmes p on p.id = r.programme_id and p.kind = '${kind}' and p.is_active)`;

/**
 * Treatment-arm members of launched campaigns with a loyalty offer of `kind`, and each campaign's
 * window [launched_at, launched_at + outcome window). A cancelled campaign gives nothing more.
 */
const OFFER_ARMS = (kind: "bonus_points" | "bonus_stamps") => `(
  select a.customer_id, c.id as campaign_id, c.loyalty_multiplier, c.loyalty_bonus_stamps, c.launched_at as window_from,
         c.launched_at + make_interval(days => c.outcome_window_days) as window_to
    from campaigns c join campaign_assignments a on a.campaign_id = c.id and a."group" = 'treatment'
   where c.loyalty_offer_kind = '${kind}' and c.launched_at is not null and c.status <> 'cancelled')`;

/**
 * The diff of each (order, source) between what the rules give and what the ledger holds:
 * source 0 is the order's own points; a campaign id is that campaign's bonus (BONUS_POINTS:
 * the order's points × (k − 1), rounded down, for treatment-arm members' orders in the window).
 */
const POINTS_DIFF = `
  with base as (
     select o.id as order_id, o.customer_id, o.ordered_at, r.id as rule_id, r.programme_id,
            case when o.status = 'completed' and o.amount >= r.min_order_amount
                      and not (r.expiry_mode = 'fixed' and o.ordered_at >= r.expiry_date)
                 then (case r.rounding when 'floor' then floor(x.raw) when 'ceil' then ceil(x.raw) else round(x.raw) end)::bigint
                 else 0 end as points,
            r.expiry_mode, r.expiry_days, r.expiry_date
       from customers c
       join orders o on o.customer_id = c.id
       join ${RULE_RANGES("loyalty_point_rules", "points")} r on o.ordered_at >= r.effective_from and (r.effective_to is null or o.ordered_at < r.effective_to)
       cross join lateral (
         select o.amount * r.earn_rate
                * coalesce((r.channel_multipliers ->> o.channel)::numeric, 1)
                * case when r.tier_multipliers = '{}'::jsonb then 1
                       else coalesce((r.tier_multipliers ->> (
                         select cs.rfm_segment from customer_scores cs join snapshots s on s.id = cs.snapshot_id
                          where cs.customer_id = o.customer_id and s.status = 'succeeded' and s.as_of <= o.ordered_at
                          order by s.as_of desc limit 1))::numeric, 1) end as raw) x
      where ${SCOPE(1)}),
   target as (
     select b.*, 0::bigint as src from base b
     union all
     select b.order_id, b.customer_id, b.ordered_at, b.rule_id, b.programme_id,
            floor(b.points * (m.loyalty_multiplier - 1))::bigint, b.expiry_mode, b.expiry_days, b.expiry_date, m.campaign_id
       from base b join ${OFFER_ARMS("bonus_points")} m on m.customer_id = b.customer_id
      where b.ordered_at >= m.window_from and b.ordered_at < m.window_to),
   held as (
     select e.source_order_id as order_id, e.customer_id, coalesce(e.source_campaign_id, 0) as src, min(e.programme_id) as programme_id,
            sum(e.points) as net, count(*) as n
       from loyalty_point_entries e join customers c on c.id = e.customer_id
      where ${SCOPE(1)} and e.source_order_id is not null and e.kind in ('earn', 'reverse')
      group by e.source_order_id, e.customer_id, coalesce(e.source_campaign_id, 0)),
   diff as (
     select coalesce(t.order_id, h.order_id) as order_id, coalesce(t.customer_id, h.customer_id) as customer_id,
            coalesce(t.src, h.src) as src, coalesce(t.programme_id, h.programme_id) as programme_id, t.rule_id,
            coalesce(t.points, 0) - coalesce(h.net, 0) as delta, coalesce(h.n, 0) as n,
            case when coalesce(h.n, 0) = 0 then t.ordered_at
                 else greatest(coalesce(t.ordered_at, $2::timestamptz), $2::timestamptz) end as occurred_at,
            t.expiry_mode, t.expiry_days, t.expiry_date
       from target t full join held h on h.order_id = t.order_id and h.customer_id = t.customer_id and h.src = t.src),
   rows as (
     select d.*, case when d.delta <= 0 then null
                      when d.expiry_mode = 'rolling' then d.occurred_at + make_interval(days => d.expiry_days)
                      when d.expiry_mode = 'fixed' then d.expiry_date end as expires_at,
            case when d.src = 0 then 'order:' || d.order_id || ':' || (d.n + 1)
                 else 'bonus:' || d.src || ':' || d.order_id || ':' || (d.n + 1) end as key
       from diff d where d.delta <> 0)`;

/**
 * Writes the earn/reverse entries that bring each order's points (and campaign bonuses) to what
 * the rules give, in two steps. Credits first. Then the reversals (refund, cancellation, a lower
 * amount, a bonus no longer due): the customers concerned have their expiries due by `now`
 * written, and each reversal takes at most what is left of the balance, so a refund after the
 * points were spent never takes a balance below zero. What could not be taken stays owed: the
 * order's ledger still holds more than its rule gives, so the next sync of that customer (the
 * next import of their orders) takes it from the points they have by then; the entry's note
 * says how much was short. `now` is the time recorded for a change after the first earn (a
 * reversal happens when it is learnt of, not at the order's time). Every shortfall is also
 * written to the audit log (`loyalty.refund_shortfall`, with the order, the points reversed and
 * the points still owed), including one where nothing could be taken. Returns the entries written.
 */
export async function syncOrderPoints(query: Query, customers: CustomerScope, now: Date): Promise<number> {
  const [credits] = await query<{ n: number; debtors: number[] | null }>(
    `${POINTS_DIFF},
     written as (
       insert into loyalty_point_entries
              (customer_id, programme_id, kind, points, occurred_at, expires_at, rule_id, source_order_id, source_campaign_id, idempotency_key)
       select customer_id, programme_id, 'earn', delta, occurred_at, expires_at, rule_id, order_id, nullif(src, 0), key
         from rows
        where delta > 0 and (expires_at is null or expires_at > occurred_at)
       on conflict (customer_id, idempotency_key) do nothing
       returning 1)
     select (select count(*)::int from written) as n,
            (select array_agg(distinct customer_id) from rows where delta < 0) as debtors`,
    [customers, now.toISOString()],
  );
  const debtors = (credits?.debtors ?? []).map(Number);
  if (debtors.length === 0) return credits?.n ?? 0;
  await processExpiries(query, now, debtors);
  const [debits] = await query<{ n: number; shortfalls: Record<string, unknown>[] | null }>(
    `${POINTS_DIFF},
     debit as (select * from rows where delta < 0),
     balance as (
       select e.customer_id, greatest(sum(e.points), 0) as available from loyalty_point_entries e
        where e.customer_id in (select customer_id from debit) and e.occurred_at <= $2::timestamptz group by e.customer_id),
     taken as (
       select d.*, least(-d.delta, greatest(coalesce(b.available, 0) - (sum(-d.delta) over w + d.delta), 0)) as take
         from debit d left join balance b on b.customer_id = d.customer_id
       window w as (partition by d.customer_id order by d.order_id, d.src rows between unbounded preceding and current row)),
     written as (
       insert into loyalty_point_entries
              (customer_id, programme_id, kind, points, occurred_at, rule_id, source_order_id, source_campaign_id, idempotency_key, note)
       select customer_id, programme_id, 'reverse', -take, occurred_at, rule_id, order_id, nullif(src, 0), key,
              case when take < -delta then 'shortfall ' || (-delta - take) || ' points: already spent or expired; owed from later points' end
         from taken where take > 0
       on conflict (customer_id, idempotency_key) do nothing
       returning 1)
     select (select count(*)::int from written) as n,
            (select json_agg(json_build_object('customerId', customer_id, 'orderId', order_id, 'campaignId', nullif(src, 0), 'reversed', take, 'owed', -delta - take))
               from taken where take < -delta) as shortfalls`,
    [debtors, now.toISOString()],
  );
  // Every shortfall is audited, also one where nothing could be taken (no ledger entry then).
  const shortfalls = debits?.shortfalls ?? [];
  if (shortfalls.length > 0) {
    await query(
      `insert into audit_log (actor_kind, operation, target_type, target_id, details, at)
       select 'system', 'loyalty.refund_shortfall', 'customer', (x ->> 'customerId'), x, $2::timestamptz
         from json_array_elements($1::json) as x`,
      [JSON.stringify(shortfalls), now.toISOString()],
    );
  }
  return (credits?.n ?? 0) + (debits?.n ?? 0);
}

/**
 * Two CTE definitions, `events` and `running`, to put after an `instants (customer_id,
 * programme_id, t)` CTE of expiry instants: every ledger entry of those customers as events on
 * one time line, with the instants between them. A credit counts from its expiry instant on and
 * an expiry from its own time (both before an instant at the same time), any other debit only
 * after its time, so at each instant (`running` rows with ord = 1) `due` is the credits expiring
 * by it plus the debits other than expiry made before it, and `expired` the points expired by
 * it: one sort per customer instead of a ledger scan per instant.
 */
export const EXPIRY_TIMELINE = `events as (
       select e.customer_id, e.expires_at as at, 0 as ord, e.points as credits, 0::bigint as debits, 0::bigint as expired,
              null::bigint as programme_id
         from loyalty_point_entries e
        where e.expires_at is not null and e.customer_id in (select customer_id from instants)
       union all
       select e.customer_id, e.occurred_at, case when e.kind = 'expire' then 0 else 2 end, 0,
              case when e.kind = 'expire' then 0 else e.points end, case when e.kind = 'expire' then -e.points else 0 end, null
         from loyalty_point_entries e
        where (e.kind = 'expire' or e.points < 0) and e.customer_id in (select customer_id from instants)
       union all
       select customer_id, t, 1, 0, 0, 0, programme_id from instants),
     running as (
       select customer_id, programme_id, at as t, ord,
              sum(credits) over w + sum(debits) over w as due, sum(expired) over w as expired
         from events
       window w as (partition by customer_id order by at, ord rows unbounded preceding))`;

/**
 * Writes the `expire` entries due up to `asOf`. Unused points are taken earliest-expiring first:
 * the points expired by an instant t are max over expiry instants s ≤ t of (credits expiring by
 * s − debits other than expiry made before s), never less than zero; each instant gets the
 * increase over what the ledger already expired. Running it again writes nothing. With `since`
 * only instants after it are examined (for a chronological run such as the demo seed, where
 * nothing is written before `since` afterwards); the default re-examines every instant.
 */
export async function processExpiries(query: Query, asOf: Date, customers: CustomerScope = null, since: Date | null = null): Promise<number> {
  const [row] = await query<{ n: number }>(
    `with instants as (
       select distinct e.customer_id, e.programme_id, e.expires_at as t
         from loyalty_point_entries e join customers c on c.id = e.customer_id
        where ${SCOPE(1)} and e.expires_at is not null and e.expires_at <= $2::timestamptz
          and ($3::timestamptz is null or e.expires_at > $3::timestamptz)),
     ${EXPIRY_TIMELINE},
     reach as (
       select r.customer_id, r.programme_id, r.t, r.due, r.expired, coalesce(b.base, 0) as base
         from running r
         left join (select e.customer_id, -sum(e.points) as base from loyalty_point_entries e
                     where e.kind = 'expire' and ($3::timestamptz is null or e.occurred_at <= $3::timestamptz)
                       and e.customer_id in (select customer_id from instants)
                     group by e.customer_id) b on b.customer_id = r.customer_id
        where r.ord = 1),
     target as (
       select customer_id, programme_id, t, expired, base,
              greatest(max(greatest(due, 0)) over (partition by customer_id order by t),
                       case when $3::timestamptz is null then 0 else base end) as cum
         from reach),
     steps as (
       select customer_id, programme_id, t, cum,
              cum - coalesce(lag(cum) over w, case when $3::timestamptz is null then 0 else base end)
              - (expired - coalesce(lag(expired) over w, case when $3::timestamptz is null then 0 else base end)) as amount
         from target
       window w as (partition by customer_id order by t)),
     written as (
       insert into loyalty_point_entries (customer_id, programme_id, kind, points, occurred_at, idempotency_key)
       select customer_id, programme_id, 'expire', -amount, t,
              'expire:' || (extract(epoch from t) * 1000)::bigint || ':' || cum
         from steps where amount > 0
       on conflict (customer_id, idempotency_key) do nothing
       returning 1)
     select count(*)::int as n from written`,
    [customers, asOf.toISOString(), since?.toISOString() ?? null],
  );
  return row?.n ?? 0;
}

/**
 * Brings each order's stamp (0 or 1) to what the stamp rule in force at its time gives: one per
 * qualifying order, or one per business day with a qualifying order (the day's first); a
 * purchase that stops qualifying gets a −1. A BONUS_STAMPS campaign adds its extra stamps to
 * each stamped order of a treatment-arm member inside the window, as entries naming the
 * campaign. Returns the entries written.
 */
export async function syncOrderStamps(query: Query, customers: CustomerScope, now: Date, timeZone: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    `with q as (
       select o.id as order_id, o.customer_id, o.ordered_at, r.id as rule_id, r.programme_id, r.per,
              (o.status = 'completed' and o.amount >= r.threshold_amount) as qualifies,
              (o.ordered_at at time zone $3::text)::date as day
         from customers c
         join orders o on o.customer_id = c.id
         join ${RULE_RANGES("loyalty_stamp_rules", "stamps")} r on o.ordered_at >= r.effective_from and (r.effective_to is null or o.ordered_at < r.effective_to)
        where ${SCOPE(1)}),
     base as (
       select q.*, case when not q.qualifies then 0 when q.per = 'order' then 1
                        when row_number() over (partition by q.customer_id, q.day, q.qualifies order by q.ordered_at, q.order_id) = 1 then 1
                        else 0 end as stamps
         from q),
     target as (
       select b.order_id, b.customer_id, b.ordered_at, b.rule_id, b.programme_id, b.stamps, 0::bigint as src from base b
       union all
       select b.order_id, b.customer_id, b.ordered_at, b.rule_id, b.programme_id, m.loyalty_bonus_stamps, m.campaign_id
         from base b join ${OFFER_ARMS("bonus_stamps")} m on m.customer_id = b.customer_id
        where b.stamps > 0 and b.ordered_at >= m.window_from and b.ordered_at < m.window_to),
     held as (
       select e.source_order_id as order_id, e.customer_id, coalesce(e.source_campaign_id, 0) as src,
              min(e.programme_id) as programme_id, min(e.rule_id) as rule_id, sum(e.stamps) as net, count(*) as n
         from loyalty_stamp_entries e join customers c on c.id = e.customer_id
        where ${SCOPE(1)} and e.source_order_id is not null
        group by e.source_order_id, e.customer_id, coalesce(e.source_campaign_id, 0)),
     diff as (
       select coalesce(t.order_id, h.order_id) as order_id, coalesce(t.customer_id, h.customer_id) as customer_id,
              coalesce(t.src, h.src) as src,
              coalesce(t.programme_id, h.programme_id) as programme_id, coalesce(t.rule_id, h.rule_id) as rule_id,
              coalesce(t.stamps, 0) - coalesce(h.net, 0) as delta, coalesce(h.n, 0) as n,
              case when coalesce(h.n, 0) = 0 or coalesce(t.stamps, 0) > coalesce(h.net, 0) then coalesce(t.ordered_at, $2::timestamptz)
                   else greatest(coalesce(t.ordered_at, $2::timestamptz), $2::timestamptz) end as occurred_at
         from target t full join held h on h.order_id = t.order_id and h.customer_id = t.customer_id and h.src = t.src),
     written as (
       insert into loyalty_stamp_entries (customer_id, programme_id, rule_id, stamps, occurred_at, source_order_id, source_campaign_id, idempotency_key)
       select customer_id, programme_id, rule_id, sign(delta)::int, occurred_at, order_id, nullif(src, 0),
              case when src = 0 then 'order:' || order_id || ':' || (n + i) else 'bonus:' || src || ':' || order_id || ':' || (n + i) end
         from diff cross join lateral generate_series(1, abs(delta)::int) as i
        where delta <> 0
       on conflict (customer_id, idempotency_key) do nothing
       returning customer_id)
     select count(*)::int as n from written`,
    [customers, now.toISOString(), timeZone],
  );
  return row?.n ?? 0;
}

interface StampRow {
  customer_id: number;
  at: Date;
  rule_id: number;
  card_size: number;
  card_expiry_days: number | null;
}

interface Card {
  customerId: number;
  cardNo: number;
  ruleId: number;
  startedAt: Date;
  stamps: number;
  cardSize: number;
  completedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * Cards from a customer's stamps in time order: a card starts at its first stamp under the rule
 * in force then (size, expiry); a stamp after an unfinished card's expiry starts a new card;
 * a full card is complete (a reward) and the next stamp starts a new one.
 */
export function buildCards(stamps: readonly StampRow[]): Card[] {
  const cards: Card[] = [];
  let open: Card | null = null;
  const byCustomer = new Map<number, number>();
  for (const s of stamps) {
    if (open && open.customerId !== s.customer_id) open = null;
    if (open?.expiresAt && s.at.getTime() >= open.expiresAt.getTime()) open = null;
    if (!open) {
      const cardNo: number = (byCustomer.get(s.customer_id) ?? 0) + 1;
      byCustomer.set(s.customer_id, cardNo);
      open = {
        customerId: s.customer_id,
        cardNo,
        ruleId: s.rule_id,
        startedAt: s.at,
        stamps: 0,
        cardSize: s.card_size,
        completedAt: null,
        expiresAt: s.card_expiry_days === null ? null : new Date(s.at.getTime() + s.card_expiry_days * 86_400_000),
      };
      cards.push(open);
    }
    open.stamps++;
    if (open.stamps >= open.cardSize) {
      open.completedAt = s.at;
      open.expiresAt = null;
      open = null;
    }
  }
  return cards;
}

const CARD_BATCH = 5_000;

/** Rebuilds the stamp cards of the given customers from the stamp ledger. */
export async function rebuildStampCards(query: Query, customers: CustomerScope): Promise<number> {
  const stamps = await query<StampRow>(
    `select l.customer_id::int as customer_id, l.at, l.rule_id::int as rule_id, r.card_size, r.card_expiry_days
       from (select e.customer_id, e.source_order_id, max(e.occurred_at) filter (where e.stamps > 0) as at,
                    min(e.rule_id) as rule_id, sum(e.stamps) as net
               from loyalty_stamp_entries e join customers c on c.id = e.customer_id
              where ${SCOPE(1)}
              group by e.customer_id, e.source_order_id) l
       join loyalty_stamp_rules r on r.id = l.rule_id
      cross join lateral generate_series(1, greatest(l.net, 0)::int) as k
      where l.net > 0
      order by l.customer_id, l.at, l.source_order_id, k`,
    [customers],
  );
  await query(`delete from loyalty_stamp_cards s using customers c where c.id = s.customer_id and ${SCOPE(1)}`, [customers]);
  const cards = buildCards(stamps.map((s) => ({ ...s, at: new Date(s.at) })));
  for (let i = 0; i < cards.length; i += CARD_BATCH) {
    const batch = cards.slice(i, i + CARD_BATCH);
    await query(
      `insert into loyalty_stamp_cards (customer_id, card_no, rule_id, started_at, stamps, card_size, completed_at, expires_at)
       select * from unnest($1::bigint[], $2::int[], $3::bigint[], $4::timestamptz[], $5::int[], $6::int[], $7::timestamptz[], $8::timestamptz[])`,
      [
        batch.map((c) => c.customerId),
        batch.map((c) => c.cardNo),
        batch.map((c) => c.ruleId),
        batch.map((c) => c.startedAt.toISOString()),
        batch.map((c) => c.stamps),
        batch.map((c) => c.cardSize),
        batch.map((c) => c.completedAt?.toISOString() ?? null),
        batch.map((c) => c.expiresAt?.toISOString() ?? null),
      ],
    );
  }
  return cards.length;
}

/** Points, stamps and cards of the given customers after their orders changed (one transaction). */
export async function syncLoyaltyForCustomers(query: Query, customers: CustomerScope, timeZone: string, now = new Date()): Promise<void> {
  if (customers !== null && customers.length === 0) return;
  const [active] = await query<{ n: number }>("select count(*)::int as n from loyalty_programmes where is_active");
  if ((active?.n ?? 0) === 0) {
    const [held] = await query<{ n: number }>("select count(*)::int as n from loyalty_point_entries limit 1");
    if ((held?.n ?? 0) === 0) return;
  }
  await syncOrderPoints(query, customers, now);
  const stamps = await syncOrderStamps(query, customers, now, timeZone);
  if (stamps > 0) await rebuildStampCards(query, customers);
}
