import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed, ref, watch } from "vue";
import { apolloClient } from "../../../apollo.ts";
import { loadSession } from "../../session/composables/use-session.ts";
import { CancelTimeZoneChangeMutation, TimeZoneChangeQuery } from "../settings.graphql.ts";
import { TIME_ZONE_POLL_MS, finished, isPending, type TimeZoneChangeLike } from "../time-zone-change.ts";

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
  /** The change of the first answer (undefined before it), to notice new ones. */
  let known: string | null | undefined;

  watch(
    change,
    (now, before) => {
      polling.value = isPending(now);
      // A change not seen before (queued from this page or elsewhere): the job history lists it.
      const id = now?.id ?? null;
      const fresh = known !== undefined && id !== known;
      if (fresh) void apolloClient.refetchQueries({ include: ["SettingsJobs"] });
      if (result.value) known = id;
      // Ended while watched, or already ended when first seen (a short recount on a small database).
      if (now && (finished(before, now) || (fresh && !isPending(now)))) {
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
