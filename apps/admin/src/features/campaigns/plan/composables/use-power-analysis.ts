import { useQuery } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, ref, watch } from "vue";
import type { PlanPowerAnalysisQueryVariables } from "../../../../gql/graphql.ts";
import { PowerAnalysisQuery } from "../plan.graphql.ts";
import type { PlanForm } from "../plan-form.ts";
import { powerVariables, type PowerPlan } from "../power.ts";

/** Quiet time after the last change before asking the server again (slider drags, typing). */
export const POWER_DEBOUNCE_MS = 350;

/**
 * The live power analysis of the form: re-asked (debounced) whenever the segment, channel,
 * holdout, outcome window, primary KPI or expected lift changes. `isComputing` is true from the
 * first change until the new answer arrives, so the numbers on screen are never silently stale.
 */
export function usePowerAnalysis(form: PlanForm) {
  const target = computed(() => powerVariables(form));
  const keyOf = (v: PlanPowerAnalysisQueryVariables | null) => JSON.stringify(v);
  const asked = ref<PlanPowerAnalysisQueryVariables | null>(target.value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => keyOf(target.value),
    () => {
      clearTimeout(timer);
      const next = target.value;
      // Losing a required input stops at once; new numbers wait for the user to pause.
      if (next === null) asked.value = null;
      else timer = setTimeout(() => (asked.value = next), POWER_DEBOUNCE_MS);
    },
  );
  onBeforeUnmount(() => clearTimeout(timer));

  const query = useQuery(
    PowerAnalysisQuery,
    () => asked.value ?? { segmentId: "0", channel: "EMAIL", holdoutRatio: 0.1, outcomeWindowDays: 30 },
    () => ({ enabled: asked.value !== null, keepPreviousResult: true, fetchPolicy: "cache-and-network" as const }),
  );
  const isStale = computed(() => keyOf(target.value) !== keyOf(asked.value));
  const plan = computed<PowerPlan | null>(() => (asked.value && !query.error.value ? (query.result.value?.powerAnalysis ?? null) : null));
  return {
    plan,
    error: query.error,
    canRun: computed(() => target.value !== null),
    isComputing: computed(() => target.value !== null && (isStale.value || query.loading.value)),
    retry: () => query.refetch(),
  };
}
