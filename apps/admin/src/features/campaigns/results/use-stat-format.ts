import { useI18n } from "vue-i18n";
import { useFormat } from "../../shared/composables/use-format.ts";
import type { StatFormat } from "./interpret.ts";

/** useFormat plus percentage points, for the readings and charts of a result. */
export function useStatFormat(): StatFormat & ReturnType<typeof useFormat> {
  const { t } = useI18n();
  const f = useFormat();
  return { ...f, points: (v: number) => t("campaignDetail.points", { v: f.number(v * 100, 1) }) };
}
