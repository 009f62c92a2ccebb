// Accessibility gaps inside naive-ui's own markup that its props cannot reach, patched as the
// DOM changes: card headers get a heading level, number-input stepper buttons (a pointer
// convenience; the keyboard uses the arrow keys) leave the accessibility tree, table
// selection radios/checkboxes are named after their row, and a form item's text input without
// a name of its own (a date picker's, which takes no input props) is named by the item's label.
const FIXES: { selector: string; fix: (el: Element) => void }[] = [
  { selector: "[role='heading']:not([aria-level])", fix: (el) => el.setAttribute("aria-level", "2") },
  {
    selector: ".n-input-number .n-input__suffix .n-button, .n-input-number .n-input__prefix .n-button",
    fix: (el) => {
      el.setAttribute("tabindex", "-1");
      el.setAttribute("aria-hidden", "true");
    },
  },
  {
    selector: ".n-data-table-td--selection input:not([aria-label])",
    fix: (el) => {
      const row = el.closest("tr");
      const name = Array.from(row?.querySelectorAll("td:not(.n-data-table-td--selection)") ?? [])
        .map((td) => td.textContent?.trim() ?? "")
        .find((text) => text.length > 0);
      if (name) el.setAttribute("aria-label", name);
    },
  },
  {
    selector: ".n-form-item .n-input__input-el:not([aria-label]):not([aria-labelledby])",
    fix: (el) => {
      const label = el.closest(".n-form-item")?.querySelector(".n-form-item-label__text")?.textContent?.trim();
      if (label) el.setAttribute("aria-label", label);
    },
  },
];

function apply(root: ParentNode): void {
  for (const { selector, fix } of FIXES) root.querySelectorAll(selector).forEach(fix);
}

export function installA11yFixes(root: HTMLElement = document.body): void {
  apply(root);
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      apply(root);
    });
  }).observe(root, { childList: true, subtree: true });
}
