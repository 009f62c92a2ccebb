import { onBeforeUnmount, onMounted, type Ref } from "vue";
import { useI18n } from "vue-i18n";
import { onBeforeRouteLeave } from "vue-router";

/**
 * Asks before unsaved changes are lost: leaving the page inside the app (a confirm dialog in the
 * page's language) and closing or reloading the tab (the browser's own prompt).
 */
export function useUnsavedGuard(isDirty: Ref<boolean>): void {
  const { t } = useI18n();
  onBeforeRouteLeave(() => (isDirty.value ? window.confirm(t("unsaved.leave")) : true));
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!isDirty.value) return;
    event.preventDefault();
    event.returnValue = "";
  };
  onMounted(() => window.addEventListener("beforeunload", onBeforeUnload));
  onBeforeUnmount(() => window.removeEventListener("beforeunload", onBeforeUnload));
}
