import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import { JobsPanelQuery, SetNightlyScheduleMutation } from "../settings.graphql.ts";

/** How many of the newest jobs the settings page lists. */
export const JOB_HISTORY_SIZE = 25;

/** The nightly snapshot's schedule and the newest background jobs (admins). */
export function useJobs() {
  const { result, loading, error, refetch } = useQuery(JobsPanelQuery, { first: JOB_HISTORY_SIZE }, { fetchPolicy: "cache-and-network" });
  const schedule = computed(() => result.value?.nightlySnapshotSchedule ?? null);
  const jobs = computed(() => result.value?.jobs.nodes ?? []);
  const total = computed(() => result.value?.jobs.totalCount ?? 0);
  const update = useMutation(SetNightlyScheduleMutation);

  async function save(input: { enabled: boolean; localTime: string }): Promise<boolean> {
    const r = await update.mutate({ input }).catch(() => null);
    if (!r?.data) return false;
    await refetch()?.catch(() => undefined);
    return true;
  }

  return { schedule, jobs, total, loading, error, refetch, save, saving: update.loading, saveError: update.error };
}
