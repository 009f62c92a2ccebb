// The browser tab's title follows the page's own heading ("顧客 — LTV Loop"), in the page's
// language, so tabs, history and screen readers tell pages apart. The heading is read from the
// rendered page rather than kept in a second list of names: detail pages name their campaign or
// customer only once the data has loaded, and the title follows when it does.
import { onBeforeUnmount, onMounted } from "vue";

export const APP_NAME = "LTV Loop";

/** "<heading> — LTV Loop", or the app's name alone for a page without a heading. */
export function documentTitle(heading: string | null | undefined): string {
  const text = heading?.replace(/\s+/g, " ").trim();
  return text ? `${text} — ${APP_NAME}` : APP_NAME;
}

/** Keeps document.title in step with the first h1 inside `#main`. */
export function useDocumentTitle(): void {
  let frame = 0;
  const update = () => {
    frame = 0;
    const title = documentTitle(document.querySelector("#main h1")?.textContent);
    if (document.title !== title) document.title = title;
  };
  const observer = new MutationObserver(() => {
    if (frame === 0) frame = requestAnimationFrame(update);
  });
  onMounted(() => {
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    update();
  });
  onBeforeUnmount(() => {
    observer.disconnect();
    if (frame !== 0) cancelAnimationFrame(frame);
  });
}
