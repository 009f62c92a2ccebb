// Data-quality checks of a measurement: a sample ratio mismatch test on what can actually drift
// after launch. The roster's group sizes are exact by construction (systematic assignment), so
// testing them can never fire; what can go wrong is customers dropping out of the data.
import type { Query } from "@ltvloop/db/client";
import { sampleRatioMismatch } from "@ltvloop/scoring/lift/srm";
import type { ObservableArm, SrmSummary } from "./campaign-measure.types.ts";
import { MEASURE_ROSTER } from "./campaign-measure.sql.ts";

/**
 * Per arm at measurement time, over the roster `collectRoster` gathered: roster size; customers
 * whose purchase history before the snapshot's as-of is no longer all on record (fewer orders of
 * any status dated before the as-of than the snapshot counted completed orders: deleted, merged
 * away or lost by a feed); and customers who opted out of the channel after launch (the roster
 * only holds opted-in customers for contact channels).
 */
export async function observableArms(query: Query): Promise<ObservableArm[]> {
  const rows = await query<{ grp: "treatment" | "control"; roster: number; missing: number; opted_out: number }>(
    `select grp, count(*)::int as roster,
            (count(*) filter (where on_record < snapshot_orders))::int as missing,
            (count(*) filter (where opted_out))::int as opted_out
       from ${MEASURE_ROSTER} group by grp order by grp desc`,
  );
  return rows.map((r) => ({
    group: r.grp,
    roster: Number(r.roster),
    observable: Number(r.roster) - Number(r.missing),
    historyMissing: Number(r.missing),
    optedOutAfterLaunch: Number(r.opted_out),
  }));
}

/**
 * Chi-square of the observable customers per arm against the roster's split (p < 0.001 flags a
 * mismatch). With nothing lost the statistic is 0; losing data of one arm moves it.
 *
 * @see Fabijan et al. (2019), "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD '19.
 */
export function observableSrm(arms: ObservableArm[], plannedHoldoutRatio: number): SrmSummary {
  const t = arms.find((a) => a.group === "treatment");
  const c = arms.find((a) => a.group === "control");
  const tRoster = t?.roster ?? 0;
  const cRoster = c?.roster ?? 0;
  const tObs = t?.observable ?? 0;
  const cObs = c?.observable ?? 0;
  const result =
    tObs + cObs > 0
      ? sampleRatioMismatch([tObs, cObs], [Math.max(tRoster, 1), Math.max(cRoster, 1)])
      : { chiSquare: Infinity, degreesOfFreedom: 1, pValue: 0, expected: [tRoster, cRoster], isMismatch: true, threshold: 0.001 };
  return {
    ...result,
    plannedHoldoutRatio,
    observedHoldoutRatio: tObs + cObs > 0 ? cObs / (tObs + cObs) : 0,
    basis: "observable_customers",
    arms,
  };
}
