import { useQuery } from "@vue/apollo-composable";
import { computed, onBeforeUnmount, ref, toValue, watch, type MaybeRefOrGetter } from "vue";
import type { SegmentKind } from "../../../gql/graphql.ts";
import { toApiError } from "../../shared/api-error.ts";
import { SegmentPreviewQuery } from "../segments.graphql.ts";

/**
 * Live size of a segment definition (`segmentPreview`), asked for once the definition has
 * stopped changing for `delayMs`. A null definition (incomplete rule) asks nothing.
 */
export function useSegmentPreview(kind: MaybeRefOrGetter<SegmentKind>, definition: MaybeRefOrGetter<unknown>, delayMs = 400) {
  const current = computed(() => {
    const d = toValue(definition);
    return d === null || d === undefined ? null : JSON.stringify(d);
  });
  const sent = ref<string | null>(current.value);
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(current, (next) => {
    clearTimeout(timer);
    if (next === null) {
      sent.value = null;
      return;
    }
    timer = setTimeout(() => (sent.value = next), delayMs);
  });
  onBeforeUnmount(() => clearTimeout(timer));

  const { result, loading, error } = useQuery(
    SegmentPreviewQuery,
    () => ({ kind: toValue(kind), definition: sent.value === null ? {} : (JSON.parse(sent.value) as unknown) }),
    () => ({ enabled: sent.value !== null, keepPreviousResult: true, fetchPolicy: "cache-and-network" }),
  );
  /** The definition on screen is not the one the numbers (or errors) belong to yet. */
  const isStale = computed(() => current.value !== sent.value);
  return {
    stats: computed(() => (current.value === null ? null : (result.value?.segmentPreview ?? null))),
    isLoading: computed(() => current.value !== null && (isStale.value || loading.value)),
    isStale,
    error: computed(() => (current.value !== null && !isStale.value ? error.value : null)),
    problems: computed(() => (current.value !== null && !isStale.value ? (toApiError(error.value)?.problems ?? []) : [])),
  };
}
