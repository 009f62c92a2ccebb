import { computed, ref } from "vue";

/** Previous/next over a cursor connection: a stack of the `after` cursors already visited. */
export function useCursorPages() {
  const stack = ref<(string | null)[]>([null]);
  const after = computed(() => stack.value[stack.value.length - 1] ?? null);
  const page = computed(() => stack.value.length);
  return {
    after,
    page,
    hasPrevious: computed(() => stack.value.length > 1),
    next: (endCursor: string | null | undefined) => {
      if (endCursor) stack.value = [...stack.value, endCursor];
    },
    previous: () => {
      if (stack.value.length > 1) stack.value = stack.value.slice(0, -1);
    },
    reset: () => {
      stack.value = [null];
    },
  };
}
