import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed, ref, watch } from "vue";
import { apolloClient } from "../../../apollo.ts";
import { loadSession } from "../../session/composables/use-session.ts";
import { CancelTimeZoneChangeMutation, TimeZoneChangeQuery } from "../settings.graphql.ts";
import { TIME_ZONE_POLL_MS, changeFollower, isPending, type TimeZoneChangeLike } from "../time-zone-change.ts";

/**
 * The latest change of the business time zone, polled while it is queued or running. When it
 * ends, the session's zone (which formats every page), the settings and the job history are
 * read again, and `onFinished` hears how it ended.
 */
export function useTimeZoneChange(onFinished?: (change: TimeZoneChangeLike) => void) {
  const polling = ref(false);
  const { result, error, refetch } = useQuery(TimeZoneChangeQuery, null, () => ({ pollInterval: polling.value ? TIME_ZONE_POLL_MS : 0 }));
  const change = computed(() => result.value?.settings.timeZoneChange ?? null);
  const pending = computed(() => isPending(change.value));
  const follower = changeFollower();

  watch(
    () => [result.value !== undefined, change.value] as const,
    ([loaded, now], previous) => {
      if (!loaded) return;
      if (!previous?.[0]) {
        // The first answer: a change under way is polled; nothing has happened yet.
        follower.loaded(now);
        polling.value = isPending(now);
        return;
      }
      const step = follower.next(now);
      polling.value = step.poll;
      if (step.newChange) void apolloClient.refetchQueries({ include: ["SettingsJobs"] });
      if (step.ended && now) {
        void loadSession(true);
        void apolloClient.refetchQueries({ include: ["SettingsPage", "SettingsJobs"] });
        onFinished?.(now);
      }
    },
    { immediate: true },
  );

  const cancelMutation = useMutation(CancelTimeZoneChangeMutation);
  /** Asks the server to cancel the pending change; true when it accepted. */
  async function cancel(): Promise<boolean> {
    const r = await cancelMutation.mutate().catch(() => null);
    if (!r?.data) return false;
    await refetch()?.catch(() => undefined);
    return true;
  }

  return { change, pending, error, refetch, cancel, cancelling: cancelMutation.loading, cancelError: cancelMutation.error };
}
