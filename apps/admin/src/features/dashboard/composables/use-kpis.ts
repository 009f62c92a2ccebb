import { useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import type { KpiOverviewQuery as KpiOverviewResult } from "../../../gql/graphql.ts";
import { KpiOverviewQuery } from "../dashboard.graphql.ts";

export type KpiPeriod = KpiOverviewResult["kpiOverview"]["periods"][number];

/** The last 12 full months plus the running one; cards compare the last full month with the one before. */
export function useKpis() {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 12, 1)).toISOString();
  const to = now.toISOString();
  const { result, loading, error, refetch } = useQuery(KpiOverviewQuery, { from, to });
  const overview = computed(() => result.value?.kpiOverview);
  const complete = computed(() => (overview.value?.periods ?? []).slice(0, -1));
  const current = computed(() => complete.value.at(-1));
  const previous = computed(() => complete.value.at(-2));
  return { overview, complete, current, previous, loading, error, refetch };
}

/** Relative change; null when either side is missing or the base is 0. */
export function trend(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) return null;
  return current / previous - 1;
}
