import { onBeforeUnmount, ref } from "vue";

/** True while the viewport is at most `maxWidth` px wide (phones), following resizes. */
export function useNarrow(maxWidth = 860) {
  const query = typeof window !== "undefined" && window.matchMedia ? window.matchMedia(`(max-width: ${maxWidth}px)`) : null;
  const isNarrow = ref(query?.matches ?? false);
  const update = (e: MediaQueryListEvent) => (isNarrow.value = e.matches);
  query?.addEventListener("change", update);
  onBeforeUnmount(() => query?.removeEventListener("change", update));
  return isNarrow;
}
