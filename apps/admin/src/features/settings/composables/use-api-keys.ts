import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed, ref } from "vue";
import { ApiKeysQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from "../settings.graphql.ts";

/** The signed-in user's API keys; a new key's secret is held here only until dismissed. */
export function useApiKeys() {
  const { result, loading, error, refetch } = useQuery(ApiKeysQuery);
  const keys = computed(() => result.value?.apiKeys ?? []);
  const create = useMutation(CreateApiKeyMutation);
  const revoke = useMutation(RevokeApiKeyMutation);
  const created = ref<{ name: string; key: string } | null>(null);

  async function createKey(name: string): Promise<boolean> {
    const r = await create.mutate({ name: name.trim() }).catch(() => null);
    if (!r?.data) return false;
    created.value = { name: r.data.createApiKey.apiKey.name, key: r.data.createApiKey.key };
    await refetch()?.catch(() => undefined);
    return true;
  }

  async function revokeKey(id: string): Promise<boolean> {
    const r = await revoke.mutate({ id }).catch(() => null);
    return Boolean(r?.data);
  }

  return {
    keys,
    loading,
    error,
    refetch,
    created,
    dismissCreated: () => (created.value = null),
    createKey,
    creating: create.loading,
    createError: create.error,
    revokeKey,
    revoking: revoke.loading,
    revokeError: revoke.error,
  };
}
