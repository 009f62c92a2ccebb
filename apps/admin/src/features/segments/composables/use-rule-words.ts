import { useI18n } from "vue-i18n";
import { useFormat } from "../../shared/composables/use-format.ts";
import { useSession } from "../../session/composables/use-session.ts";
import { describeRule, spec, valueShape, type FieldKind, type RuleCondition, type RuleField, type RuleGroup, type RuleOp } from "../rule-model.ts";
import { dayBoundary, isBusinessDay } from "../../shared/zoned-date.ts";

/** Labels for rule fields, operators and values in the user's language, and the rule as a sentence. */
export function useRuleWords() {
  const { t } = useI18n();
  const f = useFormat();
  const { timeZone } = useSession();

  const fieldLabel = (field: RuleField) => t(`segments.rule.fields.${field}`);
  const opLabel = (op: RuleOp, kind: FieldKind) =>
    kind === "date" ? t(`segments.rule.dateOps.${op}`) : kind === "boolean" ? t(`segments.rule.boolOps.${op}`) : t(`segments.rule.ops.${op}`);

  /** A choice or suggestion as people read it (RFM segment names, channel names…). */
  function choiceLabel(field: RuleField, value: string | number): string {
    if (field === "rfmSegment") return t(`rfm.${value}`, String(value));
    if (field === "gender") return t(`segments.rule.gender.${value}`, String(value));
    if (field === "acquisitionChannel") return t(`segments.rule.acquisition.${value}`, String(value));
    if (field === "prefecture") return f.prefecture(String(value));
    return String(value);
  }

  function numberText(field: RuleField, n: number | null): string {
    if (n === null) return "…";
    switch (spec(field).unit) {
      case "money":
        return f.money(n);
      case "percent":
        return `${f.number(n, Number.isInteger(n) ? 0 : 1)}%`;
      case "days":
        return t("segments.rule.units.days", { n: f.number(n) });
      case "year":
        return String(n);
      default:
        return f.number(n, Number.isInteger(n) ? 0 : 2);
    }
  }

  const dayText = (day: string | null) => (isBusinessDay(day) ? f.date(dayBoundary(day, timeZone.value, "start")) : "…");

  function valueText(c: RuleCondition): string {
    const list = t("segments.rule.listSeparator");
    switch (valueShape(c.field, c.op)) {
      case "none":
        return "";
      case "number":
        return numberText(c.field, c.num);
      case "range":
        return t("segments.rule.rangeText", { low: numberText(c.field, c.num), high: numberText(c.field, c.num2) });
      case "list":
        return c.list.length ? c.list.map((v) => choiceLabel(c.field, v)).join(list) : "…";
      case "text":
      case "choice":
        return c.text.trim() ? choiceLabel(c.field, c.text.trim()) : "…";
      case "boolean":
        return c.flag ? t("segments.rule.yes") : t("segments.rule.no");
      case "date":
        return dayText(c.date);
      case "dateRange":
        return t("segments.rule.rangeText", { low: dayText(c.date), high: dayText(c.date2) });
    }
  }

  function conditionText(c: RuleCondition): string {
    const kind = spec(c.field).kind;
    const family = kind === "date" ? "dateOps" : kind === "boolean" ? "boolOps" : "ops";
    return t(`segments.rule.phrases.${family}.${c.op}`, { field: fieldLabel(c.field), value: valueText(c) });
  }

  const describe = (root: RuleGroup) =>
    describeRule(root, { condition: conditionText, and: t("segments.rule.and"), or: t("segments.rule.or"), not: t("segments.rule.not") });

  return { fieldLabel, opLabel, choiceLabel, valueText, conditionText, describe };
}
