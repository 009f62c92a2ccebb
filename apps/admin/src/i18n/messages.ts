// Both languages' whole catalogues at once, for tests that compare the languages or read every
// message. The app never imports this module: it loads the files a screen needs, one language at
// a time (index.ts, namespaces.ts).
import { areaNames, catalogueOf, type Locale, type MessageTree } from "./catalogue.ts";

export { mergeTrees, type Locale, type MessageTree } from "./catalogue.ts";

/** Each language's files (locales/<locale>/<namespace>.json) by path. */
export const files: Record<Locale, Record<string, MessageTree>> = {
  ja: import.meta.glob<MessageTree>("./locales/ja/*.json", { eager: true, import: "default" }),
  en: import.meta.glob<MessageTree>("./locales/en/*.json", { eager: true, import: "default" }),
};

export const messages: Record<Locale, MessageTree> = { ja: catalogueOf(files.ja), en: catalogueOf(files.en) };

/** Area files per locale, for the test that both locales have the same areas. */
export const areaFiles: Record<Locale, string[]> = { ja: areaNames(files.ja), en: areaNames(files.en) };
