import { useI18n } from "vue-i18n";
import { useSession } from "../../session/composables/use-session.ts";
import { cellId } from "../rf-cells.ts";
import { fromRuleTree } from "../rule-model.ts";
import { useRuleWords } from "./use-rule-words.ts";

interface Definable {
  kind: string;
  definition: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A segment's definition in one line: the rule as a sentence, the RF cells, or the list size. */
export function useDefinitionText() {
  const { t } = useI18n();
  const { timeZone } = useSession();
  const words = useRuleWords();
  return (segment: Definable): string => {
    const d = segment.definition;
    if (segment.kind === "RULE") {
      const model = fromRuleTree(d, timeZone.value);
      return model ? words.describe(model) : JSON.stringify(d);
    }
    if (segment.kind === "RFM" && isObject(d)) {
      if (typeof d["rfmSegment"] === "string") return t("segments.definition.rfmSegment", { name: t(`rfm.${d["rfmSegment"]}`, d["rfmSegment"]) });
      if (Array.isArray(d["cells"])) {
        const cells = (d["cells"] as { r: number; f: number }[]).map((c) => cellId(c)).join(", ");
        return t("segments.definition.cells", { cells });
      }
    }
    if (segment.kind === "MANUAL" && isObject(d) && Array.isArray(d["customerExternalIds"])) {
      return t("segments.definition.manual", { n: (d["customerExternalIds"] as unknown[]).length });
    }
    return JSON.stringify(d);
  };
}
