import { useMutation, useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import { DataCompletenessQuery, SetOrdersWatermarkMutation } from "../completeness.graphql.ts";

/** The orders-complete-up-to watermark (everyone reads it; admins set or clear it). */
export function useDataCompleteness() {
  const { result, loading, error, refetch } = useQuery(DataCompletenessQuery, {}, { fetchPolicy: "cache-and-network" });
  const completeness = computed(() => result.value?.dataCompleteness ?? null);
  const update = useMutation(SetOrdersWatermarkMutation);

  /** Sets the watermark (null: back to the imports' coverage); true when saved. */
  async function save(ordersCompleteUntil: string | null, note: string): Promise<boolean> {
    const r = await update.mutate({ input: { ordersCompleteUntil, note } }).catch(() => null);
    return Boolean(r?.data);
  }

  return { completeness, loading, error, refetch, save, saving: update.loading, saveError: update.error };
}
