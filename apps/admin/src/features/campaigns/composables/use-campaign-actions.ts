import { useMutation } from "@vue/apollo-composable";
import { computed, ref } from "vue";
import type { CampaignDecision } from "../../../gql/graphql.ts";
import { CancelCampaignMutation, LaunchCampaignMutation, MeasureCampaignMutation, PlanCampaignMutation, ReviewCampaignMutation } from "../campaigns.graphql.ts";
import type { CampaignAction } from "../detail/actions.ts";

/** A fresh key per launch attempt; retrying with the same key is safe (the server dedupes). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * What every transition refetches (active queries, by operation name): the campaign, the board,
 * its delivery, and the navigation's counts (NavNotices), whose review and measure badges a
 * transition changes.
 */
export const CAMPAIGN_ACTION_REFETCH = ["Campaign", "Campaigns", "CampaignDeliveryResult", "CampaignDeliveries", "NavNotices"];

/**
 * The PDCA transitions of one campaign. Each call refetches the campaign (and the board) before
 * it resolves, so the page shows the new status when the spinner stops; one action runs at a
 * time, and the last failure is kept (with the action it belongs to) for the page to explain.
 */
export function useCampaignActions(id: () => string, onDone: (action: CampaignAction) => void = () => {}) {
  const opts = { refetchQueries: CAMPAIGN_ACTION_REFETCH, awaitRefetchQueries: true };
  const plan = useMutation(PlanCampaignMutation, opts);
  const launch = useMutation(LaunchCampaignMutation, opts);
  const measure = useMutation(MeasureCampaignMutation, opts);
  const cancel = useMutation(CancelCampaignMutation, opts);
  const review = useMutation(ReviewCampaignMutation, opts);
  const pending = ref<CampaignAction | null>(null);
  const error = ref<unknown>(null);
  const failedAction = ref<CampaignAction | null>(null);
  /** Made when the launch dialog opens, so a retry after a lost response reuses it. */
  const launchKey = ref<string | null>(null);

  async function run<T>(action: CampaignAction, fn: () => Promise<T>): Promise<T | null> {
    if (pending.value) return null;
    pending.value = action;
    error.value = null;
    failedAction.value = null;
    try {
      const out = await fn();
      onDone(action);
      return out;
    } catch (e) {
      error.value = e;
      failedAction.value = action;
      return null;
    } finally {
      pending.value = null;
    }
  }

  function clearError(): void {
    error.value = null;
    failedAction.value = null;
  }

  return {
    pending,
    busy: computed(() => pending.value !== null),
    error,
    failedAction,
    launchKey,
    clearError,
    /** Call when the launch confirmation opens. */
    prepareLaunch(): void {
      launchKey.value = newIdempotencyKey();
      clearError();
    },
    plan: async () => (await run("plan", () => plan.mutate({ id: id() }))) !== null,
    launch: async () => {
      const key = launchKey.value ?? newIdempotencyKey();
      launchKey.value = key;
      const ok = (await run("launch", () => launch.mutate({ id: id(), idempotencyKey: key }))) !== null;
      if (ok) launchKey.value = null;
      return ok;
    },
    measure: async () => (await run("measure", () => measure.mutate({ id: id() }))) !== null,
    cancel: async (reason: string) => (await run("cancel", () => cancel.mutate({ id: id(), reason: reason.trim() }))) !== null,
    /** Records the Act decision; resolves to the next cycle's draft after ITERATE (else null), or false on failure. */
    review: async (decision: CampaignDecision, rationale: string) => {
      const out = await run("review", () => review.mutate({ id: id(), decision, rationale: rationale.trim() }));
      if (out === null) return false;
      return out?.data?.reviewCampaign.nextCycle ?? null;
    },
  };
}

export type CampaignActions = ReturnType<typeof useCampaignActions>;
