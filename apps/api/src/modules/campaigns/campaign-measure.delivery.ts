// Exposure and delivery in the Check step (issue 13): who the sending tool actually reached per
// arm, checks of the delivery records against the roster (warning codes), and the complier
// average causal effect (CACE) next to the intention-to-treat lift for conversion and revenue
// per customer. One statement over the roster gives per arm the delivery counts and the
// sufficient statistics of (outcome, reached) the Wald estimator needs.
import type { Query } from "@ltvloop/db/client";
import { DELIVERY_EVENTS, type DeliveryEvent } from "@ltvloop/db/schema";
import { complierEffect, ittVariance, type ComplierArm } from "@ltvloop/scoring/lift/complier";
import { normalCritical } from "@ltvloop/scoring/lift/interval";
import { MEASURE_ROSTER } from "./campaign-measure.sql.ts";
import type { ComplierSummary, DeliveryArm, DeliveryResults, DeliveryWarning, LiftSummary, Metric } from "./campaign-measure.types.ts";

/** Events that can stand for "reached" (an exposure, not an outcome such as redeemed). */
export const REACHED_EVENTS = ["sent", "delivered", "opened", "clicked"] as const satisfies readonly DeliveryEvent[];
export type ReachedEvent = (typeof REACHED_EVENTS)[number];
export const DEFAULT_REACHED_EVENT: ReachedEvent = "delivered";
/** Below this share of the treatment arm with any delivery record, the import looks incomplete. */
export const COVERAGE_THRESHOLD = 0.9;

export const DELIVERY_METHODS = {
  cace:
    "complier average causal effect: Wald/IV estimator (ITT ÷ (reach rate in treatment − reach rate in control)); interval by Fieller's method for the ratio of the two correlated differences at the ITT interval's critical value (Anderson–Rubin), so its verdict is the ITT test's",
} as const;

interface ArmRow {
  grp: "treatment" | "control";
  n: number;
  contacted: number;
  reached: number;
  late: number;
  conv_y: number;
  conv_yd: number;
  rev_y: number;
  rev_yy: number;
  rev_yd: number;
  [event: string]: number | string;
}

/**
 * Per arm over [launch, until): roster size; customers with any delivery row; with each event;
 * reached (the reached event); reached only at or after `until` (too late for the window);
 * and Σy, Σy², Σy·d of conversion and revenue with d = reached. The outcomes come from the roster
 * a measurement collected (`collectRoster`, same window) or, between measurements, from the orders.
 */
async function deliveryArms(query: Query, campaignId: number, window: { launchedAt: Date; until: Date }, reached: ReachedEvent, outcomes: "collected" | "orders"): Promise<ArmRow[]> {
  const events = DELIVERY_EVENTS.map((e) => `(count(*) filter (where dl.ev_${e}))::int as ${e}`).join(", ");
  const flags = DELIVERY_EVENTS.map((e) => `bool_or(d.event = '${e}' and d.occurred_at < $2) as ev_${e}`).join(", ");
  const outc =
    outcomes === "collected"
      ? `select grp, customer_id, (post_orders > 0)::int::float8 as conv, post_rev as rev from ${MEASURE_ROSTER}`
      : `select a."group" as grp, a.customer_id, (count(o.id) > 0)::int::float8 as conv, coalesce(sum(o.amount), 0)::float8 as rev
           from campaign_assignments a
           left join orders o on o.customer_id = a.customer_id and o.status = 'completed' and o.ordered_at >= $4 and o.ordered_at < $2
          where a.campaign_id = $1
          group by a."group", a.customer_id`;
  return query<ArmRow>(
    `with dl as (
       select d.customer_id, bool_or(d.occurred_at < $2) as contacted, ${flags},
              bool_or(d.event = $3 and d.occurred_at < $2) as reached,
              bool_or(d.event = $3 and d.occurred_at >= $2) as reached_late
         from campaign_deliveries d where d.campaign_id = $1 group by d.customer_id
     ), outc as (${outc})
     select x.grp, count(*)::int as n, (count(*) filter (where dl.contacted))::int as contacted, ${events},
            (count(*) filter (where dl.reached))::int as reached,
            (count(*) filter (where dl.reached_late and not dl.reached))::int as late,
            sum(x.conv) as conv_y, sum(x.conv * coalesce(dl.reached, false)::int) as conv_yd,
            sum(x.rev) as rev_y, sum(x.rev * x.rev) as rev_yy, sum(x.rev * coalesce(dl.reached, false)::int) as rev_yd
       from outc x left join dl on dl.customer_id = x.customer_id
      group by x.grp order by x.grp desc`,
    outcomes === "collected" ? [campaignId, window.until, reached] : [campaignId, window.until, reached, window.launchedAt],
  );
}

function toArm(r: ArmRow): DeliveryArm {
  const n = Number(r.n);
  const share = (v: number) => (n > 0 ? v / n : 0);
  return {
    group: r.grp,
    roster: n,
    contacted: Number(r.contacted),
    contactedShare: share(Number(r.contacted)),
    reached: Number(r.reached),
    reachedShare: share(Number(r.reached)),
    events: DELIVERY_EVENTS.map((event) => ({ event, customers: Number(r[event] ?? 0), share: share(Number(r[event] ?? 0)) })),
  };
}

/** The checks of the delivery records against the roster (codes; the UI words them). */
export function deliveryChecks(hasData: boolean, arms: DeliveryArm[], reachedAfterWindow: number): DeliveryWarning[] {
  const t = arms.find((a) => a.group === "treatment");
  const c = arms.find((a) => a.group === "control");
  if (!hasData || !t || !c) return [{ code: "NO_DELIVERY_DATA", severity: "info", customers: null, share: null }];
  const warnings: DeliveryWarning[] = [];
  if (c.contacted > 0) warnings.push({ code: "CONTROL_CONTACTED", severity: "error", customers: c.contacted, share: c.contactedShare });
  if (t.contactedShare < COVERAGE_THRESHOLD) warnings.push({ code: "LOW_DELIVERY_COVERAGE", severity: "warning", customers: t.roster - t.contacted, share: t.contactedShare });
  if (t.reached === 0) warnings.push({ code: "NO_REACHED_EVENTS", severity: "warning", customers: 0, share: 0 });
  if (reachedAfterWindow > 0) warnings.push({ code: "REACHED_AFTER_WINDOW", severity: "info", customers: reachedAfterWindow, share: null });
  return warnings;
}

/** The delivery records of a launched campaign up to `now`, without outcomes: for the page before and between measurements. */
export async function deliveryOverview(query: Query, campaignId: number, launchedAt: Date, now: Date) {
  const [stored] = await query<{ n: number; last: Date | null }>(
    "select count(*)::int as n, (select max(imported_at) from import_runs where kind = 'deliveries' and campaign_id = $1) as last from campaign_deliveries where campaign_id = $1",
    [campaignId],
  );
  const arms = (await deliveryArms(query, campaignId, { launchedAt, until: now }, DEFAULT_REACHED_EVENT, "orders")).map(toArm);
  const rows = stored?.n ?? 0;
  return { rows, lastImportedAt: stored?.last ?? null, reachedEvent: DEFAULT_REACHED_EVENT, arms, warnings: deliveryChecks(rows > 0, arms, 0).filter((w) => w.code !== "REACHED_AFTER_WINDOW") };
}

/** The CACE of one metric, reading the critical value from the ITT interval that is shown. */
function complier(metric: Metric, lift: LiftSummary, t: ComplierArm, c: ComplierArm, ddof: 0 | 1): ComplierSummary {
  const v = ittVariance(t, c, ddof);
  const half = lift.differenceCi.upper - lift.difference;
  const critical = v > 0 && half > 0 ? half / Math.sqrt(v) : normalCritical(0.95);
  const r = complierEffect(t, c, { critical, ddof });
  return {
    metric,
    itt: lift.difference,
    ittCi: lift.differenceCi,
    estimate: r.estimate,
    ci: r.ci,
    intervalKind: r.kind,
    verdict: r.verdict,
    isSignificant: r.verdict !== "no_detectable_change",
    standardError: r.standardError,
    critical,
    analysis: lift.analysis ?? "fixed_horizon",
    method: DELIVERY_METHODS.cace,
  };
}

/**
 * Delivery rates per arm, the checks of the delivery records against the roster, and the CACE
 * of conversion and revenue per customer. Without any delivery rows the result says so
 * (NO_DELIVERY_DATA) and has no CACE. The outcomes are those of the roster `collectRoster`
 * gathered for the same window.
 */
export async function deliveryResults(
  query: Query,
  campaignId: number,
  window: { launchedAt: Date; countedUntil: Date },
  lifts: { conversion: LiftSummary; revenuePerCustomer: LiftSummary },
  reachedEvent: ReachedEvent = DEFAULT_REACHED_EVENT,
): Promise<DeliveryResults> {
  const [stored] = await query<{ n: number }>("select count(*)::int as n from campaign_deliveries where campaign_id = $1", [campaignId]);
  const rows = await deliveryArms(query, campaignId, { launchedAt: window.launchedAt, until: window.countedUntil }, reachedEvent, "collected");
  const tRow = rows.find((r) => r.grp === "treatment");
  const cRow = rows.find((r) => r.grp === "control");
  const arms = rows.map(toArm);
  const t = arms.find((a) => a.group === "treatment");
  const c = arms.find((a) => a.group === "control");
  const hasData = (stored?.n ?? 0) > 0;
  const reachedAfterWindow = Number(tRow?.late ?? 0) + Number(cRow?.late ?? 0);
  const warnings = deliveryChecks(hasData, arms, reachedAfterWindow);
  const base = {
    hasData,
    reachedEvent,
    rows: stored?.n ?? 0,
    arms,
    reachedTreatment: t?.reachedShare ?? 0,
    reachedControl: c?.reachedShare ?? 0,
    compliance: (t?.reachedShare ?? 0) - (c?.reachedShare ?? 0),
    reachedAfterWindow,
    coverageThreshold: COVERAGE_THRESHOLD,
    method: DELIVERY_METHODS.cace,
  };
  if (!hasData || !tRow || !cRow || !t || !c) return { ...base, warnings, conversion: null, revenuePerCustomer: null };

  const armOf = (r: ArmRow, y: "conv" | "rev"): ComplierArm => ({
    n: Number(r.n),
    sumY: Number(y === "conv" ? r.conv_y : r.rev_y),
    sumYY: Number(y === "conv" ? r.conv_y : r.rev_yy),
    sumD: Number(r.reached),
    sumYD: Number(y === "conv" ? r.conv_yd : r.rev_yd),
  });
  const conversion = complier("conversion", lifts.conversion, armOf(tRow, "conv"), armOf(cRow, "conv"), 0);
  const revenuePerCustomer = complier("revenue_per_customer", lifts.revenuePerCustomer, armOf(tRow, "rev"), armOf(cRow, "rev"), 1);
  if (t.reached > 0 && (conversion.intervalKind === "unbounded" || revenuePerCustomer.intervalKind === "unbounded")) {
    warnings.push({ code: "WEAK_COMPLIANCE", severity: "warning", customers: t.reached, share: base.compliance });
  }
  return { ...base, warnings, conversion, revenuePerCustomer };
}
