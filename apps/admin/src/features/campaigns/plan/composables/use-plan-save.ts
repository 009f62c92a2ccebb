import { useMutation } from "@vue/apollo-composable";
import { computed, ref } from "vue";
import { CreateCampaignMutation, PlanSavedCampaignMutation, UpdateCampaignMutation } from "../plan.graphql.ts";
import { toCreateInput, toUpdateInput, type PlanForm } from "../plan-form.ts";

export interface SaveOutcome {
  /** The draft's id: the edited one, or the created one (even when planning it failed afterwards). */
  id: string | null;
  /** The fields reached the server. */
  isSaved: boolean;
  isPlanned: boolean;
}

/**
 * Saves the wizard: createCampaign (or updateCampaign for a draft being edited), then for "Save
 * and plan" planCampaign. A plan that fails leaves the saved draft; the caller edits it from then
 * on so a retry never creates a second campaign.
 */
export function usePlanSave() {
  // No refetchQueries: the board and the detail page ask the network when they mount (cache-and-network).
  const create = useMutation(CreateCampaignMutation);
  const update = useMutation(UpdateCampaignMutation);
  const plan = useMutation(PlanSavedCampaignMutation);
  const error = ref<unknown>(null);

  async function save(form: PlanForm, options: { draftId: string | null; andPlan: boolean; timeZone: string }): Promise<SaveOutcome> {
    error.value = null;
    let id = options.draftId;
    let isSaved = false;
    try {
      if (id) await update.mutate({ id, input: toUpdateInput(form, options.timeZone) });
      else id = (await create.mutate({ input: toCreateInput(form, options.timeZone) }))?.data?.createCampaign.id ?? null;
      if (!id) return { id: null, isSaved, isPlanned: false };
      isSaved = true;
      if (options.andPlan) await plan.mutate({ id });
      return { id, isSaved, isPlanned: options.andPlan };
    } catch (e) {
      error.value = e;
      return { id, isSaved, isPlanned: false };
    }
  }

  return {
    save,
    error,
    isSaving: computed(() => create.loading.value || update.loading.value || plan.loading.value),
  };
}
