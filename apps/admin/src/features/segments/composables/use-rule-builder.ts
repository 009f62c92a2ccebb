import { computed, inject, provide, reactive, ref, type ComputedRef, type InjectionKey } from "vue";
import { useI18n } from "vue-i18n";
import { problemText, type FieldProblem } from "../../shared/api-error.ts";
import { useSession } from "../../session/composables/use-session.ts";
import {
  addCondition,
  addGroup,
  countConditions,
  newCondition,
  newGroup,
  patchCondition,
  problemsByNode,
  removeNode,
  setField,
  setGroup,
  setOp,
  toRuleTree,
  validateRule,
  type RuleCondition,
  type RuleField,
  type RuleGroup,
  type RuleOp,
} from "../rule-model.ts";

export interface RuleBuilderContext {
  root: ComputedRef<RuleGroup>;
  /** Messages per node id: what is missing here, and what the API said about it. */
  messages: ComputedRef<Map<string, string[]>>;
  conditionCount: ComputedRef<number>;
  addCondition: (groupId: string) => void;
  addGroup: (groupId: string) => void;
  remove: (id: string) => void;
  setField: (id: string, field: RuleField) => void;
  setOp: (id: string, op: RuleOp) => void;
  patch: (id: string, patch: Partial<Pick<RuleCondition, "num" | "num2" | "text" | "list" | "flag" | "date" | "date2">>) => void;
  setGroup: (id: string, patch: Partial<Pick<RuleGroup, "match" | "negate">>) => void;
}

const KEY: InjectionKey<RuleBuilderContext> = Symbol("rule-builder");

/** The rule being edited, its API form, its problems, and the editing operations (provided to the editors below). */
export function useRuleBuilder() {
  const { t, te } = useI18n();
  const { timeZone } = useSession();
  const state = reactive({ root: newGroup("all", [newCondition("pAlive")]) as RuleGroup });
  /** Problems the API reported for the definition last sent (preview or save). */
  const apiProblems = ref<FieldProblem[]>([]);

  const problems = computed(() => validateRule(state.root));
  const serialized = computed(() => toRuleTree(state.root, timeZone.value));
  /** The API rule tree when it is complete, else null (nothing is sent). */
  const definition = computed(() => (problems.value.length ? null : serialized.value.tree));
  const messages = computed(() => {
    const out = new Map<string, string[]>();
    for (const p of problems.value) out.set(p.id, [...(out.get(p.id) ?? []), t(`segments.rule.problems.${p.code}`, p.params ?? {})]);
    const fromApi = problemsByNode(
      apiProblems.value
        .filter((p) => p.path === "definition" || p.path.startsWith("definition."))
        // Worded from the problem's code in the page's language; the API's English only for a code this UI does not know.
        .map((p) => ({ path: p.path, message: problemText({ t, te }, p) ?? p.message })),
      serialized.value.paths,
      state.root.id,
    );
    for (const [id, list] of fromApi) out.set(id, [...(out.get(id) ?? []), ...list.map((m) => t("segments.rule.apiProblem", { message: m }))]);
    return out;
  });

  const edit = (fn: () => void) => {
    fn();
    apiProblems.value = [];
  };
  const context: RuleBuilderContext = {
    root: computed(() => state.root),
    messages,
    conditionCount: computed(() => countConditions(state.root)),
    addCondition: (groupId) => edit(() => void addCondition(state.root, groupId)),
    addGroup: (groupId) => edit(() => void addGroup(state.root, groupId)),
    remove: (id) => edit(() => removeNode(state.root, id)),
    setField: (id, field) => edit(() => setField(state.root, id, field)),
    setOp: (id, op) => edit(() => setOp(state.root, id, op)),
    patch: (id, patch) => edit(() => patchCondition(state.root, id, patch)),
    setGroup: (id, patch) => edit(() => setGroup(state.root, id, patch)),
  };
  provide(KEY, context);

  return {
    context,
    root: context.root,
    problems,
    definition,
    setApiProblems: (list: FieldProblem[]) => (apiProblems.value = list),
    replace: (root: RuleGroup) => {
      state.root = root;
      apiProblems.value = [];
    },
    reset: () => {
      state.root = newGroup("all", [newCondition("pAlive")]);
      apiProblems.value = [];
    },
  };
}

export function useRuleBuilderContext(): RuleBuilderContext {
  const context = inject(KEY);
  if (!context) throw new Error("rule editors must sit inside a RuleBuilder");
  return context;
}
