import { createI18n } from "vue-i18n";
import type { Locale, MessageTree } from "./catalogue.ts";

export type { Locale };
const STORAGE_KEY = "ltvloop.locale";

/** The remembered choice, else the browser's language, else Japanese. */
export function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === "ja" || stored === "en") return stored;
  return navigator.language.toLowerCase().startsWith("ja") ? "ja" : "en";
}

// Each language is its own chunk, fetched when it is first shown: a visit downloads the
// messages of the language it shows, and the other one only if the user switches.
const CATALOGUES: Record<Locale, () => Promise<{ default: MessageTree }>> = {
  ja: () => import("./catalogue-ja.ts"),
  en: () => import("./catalogue-en.ts"),
};
const loading = new Map<Locale, Promise<void>>();

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  // Both catalogues have the same keys (messages.test.ts), so nothing falls back to a language that is not loaded.
  fallbackLocale: false,
  messages: {},
});

/** Fetches a language's messages once. */
export function loadLocale(locale: Locale): Promise<void> {
  let done = loading.get(locale);
  if (!done) {
    done = CATALOGUES[locale]().then((module) => i18n.global.setLocaleMessage(locale, module.default));
    loading.set(locale, done);
    done.catch(() => loading.delete(locale));
  }
  return done;
}

/** Resolves when the first language's messages are in: the app mounts after it. */
export function loadInitialLocale(): Promise<void> {
  const locale = i18n.global.locale.value as Locale;
  document.documentElement.lang = locale;
  return loadLocale(locale);
}

/** Shows the UI in `locale`, once its messages have arrived, and remembers the choice. */
export async function setLocale(locale: Locale): Promise<void> {
  await loadLocale(locale);
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
}
