import { useMutation, useQuery } from "@vue/apollo-composable";
import { useMessage } from "naive-ui";
import { computed, ref, toValue, type MaybeRefOrGetter } from "vue";
import { useI18n } from "vue-i18n";
import type { SegmentFieldsFragment } from "../../../gql/graphql.ts";
import { ArchiveSegmentMutation, SegmentsQuery } from "../segments.graphql.ts";

export type SegmentRow = SegmentFieldsFragment;

/** All segments (built-in first), 100 per request, with more pages on demand. */
export function useSegments(includeArchived: MaybeRefOrGetter<boolean>) {
  const { result, loading, error, refetch, fetchMore } = useQuery(SegmentsQuery, () => ({ includeArchived: toValue(includeArchived) }));
  const connection = computed(() => result.value?.segments);
  const isLoadingMore = ref(false);
  async function loadMore(): Promise<void> {
    const cursor = connection.value?.pageInfo.endCursor;
    if (!cursor) return;
    isLoadingMore.value = true;
    try {
      await fetchMore({
        variables: { after: cursor },
        updateQuery: (previous, { fetchMoreResult }) =>
          fetchMoreResult
            ? { segments: { ...fetchMoreResult.segments, nodes: [...previous.segments.nodes, ...fetchMoreResult.segments.nodes] } }
            : previous,
      });
    } finally {
      isLoadingMore.value = false;
    }
  }
  return {
    builtIn: computed(() => (connection.value?.nodes ?? []).filter((s) => s.key !== null)),
    custom: computed(() => (connection.value?.nodes ?? []).filter((s) => s.key === null)),
    totalCount: computed(() => connection.value?.totalCount ?? 0),
    hasMore: computed(() => connection.value?.pageInfo.hasNextPage ?? false),
    isLoaded: computed(() => !!connection.value),
    loading,
    error,
    refetch,
    loadMore,
    isLoadingMore,
  };
}

/** Archive and restore, with a confirmation message. */
export function useArchiveSegment() {
  const { t } = useI18n();
  const message = useMessage();
  const { mutate, loading, error } = useMutation(ArchiveSegmentMutation, { refetchQueries: ["Segments"] });
  async function setArchived(segment: Pick<SegmentRow, "id" | "name">, archived: boolean): Promise<boolean> {
    const result = await mutate({ id: segment.id, archived }).catch(() => null);
    if (!result?.data) return false;
    message.success(t(archived ? "segments.actions.archivedDone" : "segments.actions.restoredDone", { name: segment.name }));
    return true;
  }
  return { setArchived, loading, error };
}
