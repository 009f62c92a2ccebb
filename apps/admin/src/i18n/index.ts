import { createI18n } from "vue-i18n";
import type { Locale, MessageTree } from "./catalogue.ts";
import { SHELL_NAMESPACES, type Namespace } from "./namespaces.ts";

export type { Locale };
export type { Namespace };
const STORAGE_KEY = "ltvloop.locale";

/** The remembered choice, else the browser's language, else Japanese. */
export function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "ja" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en";
}

// Each message file of each language is its own chunk, fetched when a screen that uses it is
// first shown in that language (namespaces.ts): the shell's before the app mounts, a page's
// while the router enters it.
const FILES: Record<Locale, Record<string, () => Promise<MessageTree>>> = {
  ja: import.meta.glob<MessageTree>("./locales/ja/*.json", { import: "default" }),
  en: import.meta.glob<MessageTree>("./locales/en/*.json", { import: "default" }),
};
const loading = new Map<string, Promise<void>>();
const loaded = new Set<string>();
/** Every namespace a screen of this visit has asked for: a language switch loads all of them first. */
const wanted = new Set<Namespace>(SHELL_NAMESPACES);
/** The language being switched to while its messages download (null when none is), and how many switches were asked for. */
let target: Locale | null = null;
let choices = 0;

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  // Both languages have the same keys in the same files (messages.test.ts) and a screen is shown
  // only once its files have arrived, so nothing falls back to a language that is not loaded.
  fallbackLocale: false,
  messages: {},
  // A key looked up before its file arrived (or that no file has) would show as the raw key: say
  // so in the console, where the browser suites fail on it (e2e/harness.ts).
  missing: (locale, key) => console.warn(`[i18n] no message "${key}" in ${locale}`),
});

const shown = (): Locale => i18n.global.locale.value as Locale;

/** Fetches one message file of a language once and merges it into that language's messages. */
function loadFile(locale: Locale, namespace: Namespace): Promise<void> {
  const id = `${locale}/${namespace}`;
  let done = loading.get(id);
  if (!done) {
    const file = FILES[locale][`./locales/${locale}/${namespace}.json`];
    if (!file) return Promise.reject(new Error(`no message file ${id}.json`));
    // Files never define the same key twice (catalogue.ts mergeTrees, messages.test.ts), so merging them in any order gives the same tree.
    done = file().then((tree) => {
      i18n.global.mergeLocaleMessage(locale, tree);
      loaded.add(id);
    });
    loading.set(id, done);
    done.catch(() => loading.delete(id));
  }
  return done;
}

const loadAll = (locale: Locale, namespaces: Iterable<Namespace>) => Promise.all([...namespaces].map((n) => loadFile(locale, n))).then(() => undefined);

/**
 * Resolves when `namespaces` are in for the language shown, and for the one being switched to
 * if a switch is under way: the router awaits this before it shows a page (router.ts).
 */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  for (const n of namespaces) wanted.add(n);
  const locales = new Set<Locale>([shown(), target ?? shown()]);
  return Promise.all([...locales].map((locale) => loadAll(locale, namespaces))).then(() => undefined);
}

/** Resolves when the shell's messages of the first language are in: the app mounts after it. */
export function loadInitialLocale(): Promise<void> {
  const locale = shown();
  document.documentElement.lang = locale;
  return loadAll(locale, SHELL_NAMESPACES);
}

/**
 * Shows the UI in `locale` once every file the visit has used so far (the shell, the page on
 * screen, the pages visited before) has arrived in it, and remembers the choice.
 */
export async function setLocale(locale: Locale): Promise<void> {
  const choice = ++choices;
  target = locale;
  try {
    // A page entered meanwhile adds to `wanted` (and loads for `target` too): go round until none is missing.
    while ([...wanted].some((n) => !loaded.has(`${locale}/${n}`))) await loadAll(locale, wanted);
  } catch (error) {
    if (choice === choices) target = null;
    throw error;
  }
  // A later choice, made while this one was loading, wins.
  if (choice !== choices) return;
  target = null;
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
