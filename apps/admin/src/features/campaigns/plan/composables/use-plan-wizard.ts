import { useQuery } from "@vue/apollo-composable";
import { computed, inject, provide, reactive, ref, type InjectionKey } from "vue";
import { useI18n } from "vue-i18n";
import type { PlanSegmentsQuery } from "../../../../gql/graphql.ts";
import { useSession } from "../../../session/composables/use-session.ts";
import { problemText, toApiError } from "../../../shared/api-error.ts";
import { localeTag, type NumberContext } from "../kpi-format.ts";
import { PlanDefaultsQuery, PlanSegmentsQuery as SegmentsDocument } from "../plan.graphql.ts";
import { emptyPlanForm, fieldOfProblemPath, planEconomics, STEP_FIELDS, validatePlan, type PlanField, type PlanStep } from "../plan-form.ts";
import { usePowerAnalysis } from "./use-power-analysis.ts";

export type PlanSegment = PlanSegmentsQuery["segments"]["nodes"][number];

/** The wizard's shared state: one form, its checks, the segments and the live power analysis. */
export function createPlanWizard(initialSegmentId: string | null) {
  const { t, te, locale } = useI18n();
  const { currency, timeZone } = useSession();
  const form = reactive(emptyPlanForm(initialSegmentId));
  const errors = computed(() => validatePlan(form));
  /** Steps whose problems are shown: after Next or Save was pressed there, not while typing. */
  const revealed = reactive(new Set<PlanStep>());
  const apiError = ref<unknown>(null);

  const segmentsQuery = useQuery(SegmentsDocument);
  const segments = computed(() => segmentsQuery.result.value?.segments.nodes ?? []);
  const selectedSegment = computed(() => segments.value.find((s) => s.id === form.segmentId) ?? null);
  const defaultsQuery = useQuery(PlanDefaultsQuery, null, { fetchPolicy: "no-cache" });
  const defaultMargin = computed(() => defaultsQuery.result.value?.settings.defaultMargin ?? null);
  const effectiveMargin = computed(() => form.margin ?? defaultMargin.value);
  const power = usePowerAnalysis(form);
  const numbers = computed<NumberContext>(() => ({ locale: localeTag(locale.value), currency: currency.value, points: (v) => t("campaignDetail.points", { v }) }));
  const economics = computed(() =>
    effectiveMargin.value === null
      ? null
      : planEconomics({
          costPerContact: form.costPerContact,
          fixedCost: form.fixedCost,
          margin: effectiveMargin.value,
          treatmentSize: power.plan.value?.treatmentSize ?? null,
          baselineRevenuePerCustomer: power.plan.value?.baselineRevenuePerCustomer ?? null,
        }),
  );

  const stepOf = (field: PlanField) => (Object.keys(STEP_FIELDS) as PlanStep[]).find((s) => STEP_FIELDS[s].includes(field));
  /** The message under a field: our check once its step was revealed, else the API's problem. */
  function feedback(field: PlanField): string | undefined {
    const step = stepOf(field);
    const own = errors.value[field];
    if (own && step && revealed.has(step)) return t(`campaignPlan.validation.${own.key}`, own.params ?? {});
    const server = toApiError(apiError.value)?.problems.find((p) => fieldOfProblemPath(p.path) === field);
    return server ? (problemText({ t, te }, server) ?? server.message) : undefined;
  }
  const status = (field: PlanField) => (feedback(field) ? ("error" as const) : undefined);

  return {
    form,
    errors,
    revealed,
    apiError,
    feedback,
    status,
    segments,
    segmentsLoading: segmentsQuery.loading,
    segmentsError: segmentsQuery.error,
    refetchSegments: () => segmentsQuery.refetch(),
    latestSnapshot: computed(() => segmentsQuery.result.value?.latestSnapshot ?? null),
    hasSegmentsResult: computed(() => Boolean(segmentsQuery.result.value)),
    selectedSegment,
    defaultMargin,
    effectiveMargin,
    power,
    numbers,
    timeZone,
    economics,
  };
}

export type PlanWizard = ReturnType<typeof createPlanWizard>;
const KEY: InjectionKey<PlanWizard> = Symbol("plan-wizard");

export function providePlanWizard(wizard: PlanWizard): void {
  provide(KEY, wizard);
}

/** The wizard state inside a step component. */
export function usePlanWizard(): PlanWizard {
  const wizard = inject(KEY);
  if (!wizard) throw new Error("usePlanWizard() must be used inside CampaignPlanWizard");
  return wizard;
}
