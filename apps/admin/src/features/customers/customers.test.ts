import { describe, expect, it } from "vitest";
import { useCursorPages } from "./composables/use-cursor-pages.ts";

describe("useCursorPages", () => {
  it("goes forward and back through visited cursors", () => {
    const pages = useCursorPages();
    expect(pages.after.value).toBeNull();
    pages.next("c1");
    pages.next("c2");
    expect(pages.after.value).toBe("c2");
    expect(pages.page.value).toBe(3);
    pages.previous();
    expect(pages.after.value).toBe("c1");
    pages.reset();
    expect(pages.hasPrevious.value).toBe(false);
  });

  it("does not move past the last page", () => {
    const pages = useCursorPages();
    pages.next(null);
    expect(pages.page.value).toBe(1);
  });
});
