// The browser tab's title follows the page's own heading ("顧客 — LTV Loop"), in the page's
// language, so tabs, history and screen readers tell pages apart. The heading is read from the
// rendered page rather than kept in a second list of names: detail pages name their campaign or
// customer only once the data has loaded, and the title follows when it does.
//
// A heading may carry more than its name (a campaign's h1 holds its status and decision tags):
// the part marked `data-page-title` is the title when there is one, and tags (naive-ui's
// `.n-tag`, or anything marked `data-title-skip`) are left out otherwise. A page without an h1
// (the "not allowed" and "not found" results, a detail page whose record is not there) names itself
// with `data-page-title="…"`.
import { onBeforeUnmount, onMounted } from "vue";

export const APP_NAME = "LTV Loop";

/** "<heading> — LTV Loop", or the app's name alone for a page without a heading. */
export function documentTitle(heading: string | null | undefined): string {
  const text = heading?.replace(/\s+/g, " ").trim();
  return text ? `${text} — ${APP_NAME}` : APP_NAME;
}

/** Elements inside a heading that are not part of its name. */
const SKIP = ".n-tag, [data-title-skip]";

/** The heading's own text: the marked title part, or the heading without its tags. */
export function headingText(heading: Element): string {
  const marked = heading.querySelector("[data-page-title]");
  if (marked) return marked.textContent ?? "";
  if (!heading.querySelector(SKIP)) return heading.textContent ?? "";
  const copy = heading.cloneNode(true) as Element;
  for (const el of Array.from(copy.querySelectorAll(SKIP))) el.remove();
  return copy.textContent ?? "";
}

/** The page's title text inside `root`: its first h1, else an element naming the page with `data-page-title="…"`. */
export function pageHeading(root: ParentNode): string | null {
  const h1 = root.querySelector("h1");
  if (h1) return headingText(h1);
  return root.querySelector("[data-page-title]:not([data-page-title=''])")?.getAttribute("data-page-title") ?? null;
}

/** Keeps document.title in step with the page's heading inside `#main`. */
export function useDocumentTitle(): void {
  let frame = 0;
  const update = () => {
    frame = 0;
    const main = document.querySelector("#main");
    const title = documentTitle(main ? pageHeading(main) : null);
    if (document.title !== title) document.title = title;
  };
  const observer = new MutationObserver(() => {
    if (frame === 0) frame = requestAnimationFrame(update);
  });
  onMounted(() => {
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-page-title"] });
    update();
  });
  onBeforeUnmount(() => {
    observer.disconnect();
    if (frame !== 0) cancelAnimationFrame(frame);
  });
}
