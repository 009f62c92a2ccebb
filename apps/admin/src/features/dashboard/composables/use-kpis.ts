import { useQuery } from "@vue/apollo-composable";
import { computed, type Ref } from "vue";
import type { KpiOverviewQuery as KpiOverviewResult } from "../../../gql/graphql.ts";
import { KpiOverviewQuery } from "../dashboard.graphql.ts";
import { apiBounds, completePeriods, defaultRange, type MonthRange } from "../range.ts";

export type KpiPeriod = KpiOverviewResult["kpiOverview"]["periods"][number];

/** Monthly KPIs over the range; cards compare the range's last full month with the one before. */
export function useKpis(range?: Ref<MonthRange>) {
  const now = new Date();
  const variables = computed(() => apiBounds(range?.value ?? defaultRange(now), now));
  const { result, loading, error, refetch } = useQuery(KpiOverviewQuery, variables);
  const overview = computed(() => result.value?.kpiOverview);
  const complete = computed(() => completePeriods(overview.value?.periods ?? [], range?.value ?? defaultRange(now), now));
  const current = computed(() => complete.value.at(-1));
  const previous = computed(() => complete.value.at(-2));
  return { overview, complete, current, previous, loading, error, refetch };
}

/** Relative change; null when either side is missing or the base is 0. */
export function trend(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0) return null;
  return current / previous - 1;
}
