import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import type { CreateUserInput, UpdateUserInput } from "../../../gql/graphql.ts";
import { CreateUserMutation, UpdateUserMutation, UsersQuery } from "../settings.graphql.ts";

/** Users for admins: the list, createUser and updateUser. */
export function useUsers() {
  const { result, loading, error, refetch } = useQuery(UsersQuery);
  const users = computed(() => result.value?.users ?? []);
  const create = useMutation(CreateUserMutation);
  const update = useMutation(UpdateUserMutation);

  async function createUser(input: CreateUserInput): Promise<boolean> {
    const r = await create.mutate({ input }).catch(() => null);
    if (!r?.data) return false;
    await refetch()?.catch(() => undefined);
    return true;
  }

  /** The updated user comes back with its id, so Apollo's cache updates the list by itself. */
  async function updateUser(id: string, input: UpdateUserInput): Promise<boolean> {
    const r = await update.mutate({ id, input }).catch(() => null);
    return Boolean(r?.data);
  }

  return {
    users,
    loading,
    error,
    refetch,
    createUser,
    creating: create.loading,
    createError: create.error,
    resetCreateError: () => (create.error.value = null),
    updateUser,
    updating: update.loading,
    updateError: update.error,
    resetUpdateError: () => (update.error.value = null),
  };
}
