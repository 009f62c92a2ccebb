import { useMutation } from "@vue/apollo-composable";
import { computed, ref } from "vue";
import type { CampaignDecision } from "../../../gql/graphql.ts";
import { LaunchCampaignMutation, MeasureCampaignMutation, PlanCampaignMutation, ReviewCampaignMutation } from "../campaigns.graphql.ts";

/** A fresh key per launch attempt shown; retrying with it is safe (the server dedupes). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function useCampaignActions(id: () => string, onDone: () => void) {
  const opts = { refetchQueries: ["Campaign", "Campaigns"] };
  const plan = useMutation(PlanCampaignMutation, opts);
  const launch = useMutation(LaunchCampaignMutation, opts);
  const measure = useMutation(MeasureCampaignMutation, opts);
  const review = useMutation(ReviewCampaignMutation, opts);
  const launchKey = ref(newIdempotencyKey());
  const lastError = ref<unknown>(null);

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    lastError.value = null;
    try {
      await action();
      onDone();
      return true;
    } catch (e) {
      lastError.value = e;
      return false;
    }
  }

  return {
    launchKey,
    error: lastError,
    busy: computed(() => plan.loading.value || launch.loading.value || measure.loading.value || review.loading.value),
    plan: () => run(() => plan.mutate({ id: id() })),
    launch: async () => {
      const ok = await run(() => launch.mutate({ id: id(), idempotencyKey: launchKey.value }));
      if (ok) launchKey.value = newIdempotencyKey();
      return ok;
    },
    measure: () => run(() => measure.mutate({ id: id() })),
    review: (decision: CampaignDecision, rationale: string) => run(() => review.mutate({ id: id(), decision, rationale })),
  };
}
