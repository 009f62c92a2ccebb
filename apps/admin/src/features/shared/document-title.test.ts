import { describe, expect, it } from "vitest";
import { documentTitle, headingText, pageHeading } from "./composables/use-document-title.ts";

// A few elements with just what the title code reads (the unit tests run without a DOM).
class Node {
  children: (Node | string)[];
  constructor(
    readonly tag: string,
    readonly attrs: Record<string, string> = {},
    children: (Node | string)[] = [],
    readonly cls: string[] = [],
  ) {
    this.children = children;
  }
  get textContent(): string {
    return this.children.map((c) => (typeof c === "string" ? c : c.removed ? "" : c.textContent)).join("");
  }
  getAttribute(name: string): string | null {
    return this.attrs[name] ?? null;
  }
  private matches(selector: string): boolean {
    return selector.split(",").some((one) => {
      const s = one.trim();
      if (s === "h1") return this.tag === "h1";
      if (s === ".n-tag") return this.cls.includes("n-tag");
      if (s === "[data-title-skip]") return "data-title-skip" in this.attrs;
      if (s === "[data-page-title]") return "data-page-title" in this.attrs;
      if (s === "[data-page-title]:not([data-page-title=''])") return !!this.attrs["data-page-title"];
      throw new Error(`selector ${s} not stubbed`);
    });
  }
  private all(): Node[] {
    return this.children.flatMap((c) => (typeof c === "string" ? [] : [c, ...c.all()]));
  }
  querySelector(selector: string): Node | null {
    return this.all().find((n) => n.matches(selector)) ?? null;
  }
  querySelectorAll(selector: string): Node[] {
    return this.all().filter((n) => n.matches(selector));
  }
  cloneNode(): Node {
    return new Node(this.tag, { ...this.attrs }, this.children.map((c) => (typeof c === "string" ? c : c.cloneNode())), this.cls);
  }
  /** Taken out of the tree: its parent's text leaves it out. */
  removed = false;
  remove(): void {
    this.removed = true;
  }
}

const el = (tag: string, attrs: Record<string, string>, ...children: (Node | string)[]) => new Node(tag, attrs, children);
const tag = (text: string) => new Node("div", {}, [text], ["n-tag"]);

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

describe("the heading's own text", () => {
  it("takes the part marked as the title, not the status tags beside it", () => {
    const h1 = el("h1", {}, el("span", { "data-page-title": "" }, "休眠復帰クーポン (demo)"), tag("判断済み"), tag("採用"));
    expect(documentTitle(headingText(h1 as unknown as Element))).toBe("休眠復帰クーポン (demo) — LTV Loop");
  });
  it("leaves tags out of a heading without a marked part", () => {
    const h1 = el("h1", {}, "Win-back coupon (demo) ", tag("Acted"), tag("Adopt"), el("span", { "data-title-skip": "" }, "Cycle 2 of 3"));
    expect(documentTitle(headingText(h1 as unknown as Element))).toBe("Win-back coupon (demo) — LTV Loop");
    expect(h1.textContent).toContain("Acted");
  });
  it("keeps a plain heading whole", () => {
    const h1 = el("h1", {}, "山田 花子 ", el("span", {}, "C-0001"));
    expect(headingText(h1 as unknown as Element)).toBe("山田 花子 C-0001");
  });
  it("names a page without an h1 (not allowed, not found) by its data-page-title", () => {
    const main = el("main", {}, el("div", { "data-page-title": "このページは開けません" }, el("div", {}, "403")));
    expect(documentTitle(pageHeading(main as unknown as ParentNode))).toBe("このページは開けません — LTV Loop");
    expect(pageHeading(el("main", {}, el("div", {}, "…")) as unknown as ParentNode)).toBeNull();
  });
});
