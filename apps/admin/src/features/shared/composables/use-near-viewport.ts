import { onBeforeUnmount, ref, watch, type Ref } from "vue";

/**
 * True once `target` comes within `margin` of the viewport, and from then on. For content below
 * the fold whose code is heavy (a chart's ECharts): it downloads when the reader scrolls
 * towards it, not with the page. Without IntersectionObserver it is true at once.
 */
export function useNearViewport(target: Ref<HTMLElement | null>, margin = "300px"): Ref<boolean> {
  const isNear = ref(typeof IntersectionObserver === "undefined");
  let observer: IntersectionObserver | undefined;
  const stop = () => {
    observer?.disconnect();
    observer = undefined;
  };
  watch(
    target,
    (el) => {
      stop();
      if (!el || isNear.value) return;
      observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            isNear.value = true;
            stop();
          }
        },
        { rootMargin: margin },
      );
      observer.observe(el);
    },
    { immediate: true, flush: "post" },
  );
  onBeforeUnmount(stop);
  return isNear;
}
