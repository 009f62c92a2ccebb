import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import type { UpdateSettingsInput } from "../../../gql/graphql.ts";
import { loadSession } from "../../session/composables/use-session.ts";
import { SettingsPageQuery, UpdateSettingsMutation } from "../settings.graphql.ts";

/** Business and RFM settings with the latest snapshot's parameters, and the one mutation that changes them. */
export function useSettings() {
  const { result, loading, error, refetch } = useQuery(SettingsPageQuery);
  const settings = computed(() => result.value?.settings ?? null);
  const latestSnapshot = computed(() => result.value?.latestSnapshot ?? null);
  const update = useMutation(UpdateSettingsMutation);

  /** Saves part of the settings; true when the server accepted it. */
  async function save(input: UpdateSettingsInput): Promise<boolean> {
    const r = await update.mutate({ input }).catch(() => null);
    if (!r?.data) return false;
    // Currency and time zone format every page: refresh the session's copy.
    await loadSession(true);
    await refetch()?.catch(() => undefined);
    return true;
  }

  return { settings, latestSnapshot, loading, error, refetch, save, saving: update.loading, saveError: update.error };
}
