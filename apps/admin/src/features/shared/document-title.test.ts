import { describe, expect, it } from "vitest";
import { documentTitle } from "./composables/use-document-title.ts";

describe("documentTitle", () => {
  it("names the page first and the app after it, with the heading's spacing tidied", () => {
    expect(documentTitle("顧客")).toBe("顧客 — LTV Loop");
    expect(documentTitle("  Campaign\n  #12 ")).toBe("Campaign #12 — LTV Loop");
  });
  it("falls back to the app's name for a page without a heading", () => {
    expect(documentTitle(undefined)).toBe("LTV Loop");
    expect(documentTitle("   ")).toBe("LTV Loop");
  });
});
