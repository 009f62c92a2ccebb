// Starting points for common CRM audiences; each becomes an ordinary, editable rule.
import { newCondition, newGroup, type RuleCondition, type RuleField, type RuleGroup, type RuleOp } from "./rule-model.ts";

type Values = Partial<Pick<RuleCondition, "num" | "num2" | "text" | "list" | "flag">>;
const condition = (field: RuleField, op: RuleOp, values: Values): RuleCondition => ({ ...newCondition(field), op, ...values });

export const RULE_TEMPLATES = {
  /** Top-20% customers the model thinks may be leaving: retention first. */
  valuableAtRisk: () => newGroup("all", [condition("decile", "lte", { num: 2 }), condition("pAlive", "lt", { num: 50 })]),
  /** Once-good customers gone quiet: win-back. */
  dormantValuable: () =>
    newGroup("all", [condition("rfmSegment", "in", { list: ["hibernating", "lost"] }), condition("decile", "lte", { num: 3 })]),
  /** First-time buyers of the last 60 days: second-purchase activation. */
  secondPurchase: () => newGroup("all", [condition("repeatPurchases", "eq", { num: 0 }), condition("recencyDays", "lte", { num: 60 })]),
  /** Best customers reachable on LINE: upsell and cross-sell. */
  loyalOnLine: () =>
    newGroup("all", [condition("rfmSegment", "in", { list: ["champions", "loyal"] }), condition("lineOptIn", "eq", { flag: true })]),
} satisfies Record<string, () => RuleGroup>;

export type RuleTemplate = keyof typeof RULE_TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(RULE_TEMPLATES) as RuleTemplate[];
