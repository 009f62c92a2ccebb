// Both catalogues at once, for tests that compare the languages. The app never imports this
// module: it loads one language's chunk at a time (index.ts).
import en, { files as enFiles } from "./catalogue-en.ts";
import ja, { files as jaFiles } from "./catalogue-ja.ts";
import { areaNames, type Locale, type MessageTree } from "./catalogue.ts";

export { mergeTrees, type Locale, type MessageTree } from "./catalogue.ts";

export const messages: Record<Locale, MessageTree> = { ja, en };

/** Area files per locale, for the test that both locales have the same areas. */
export const areaFiles: Record<Locale, string[]> = { ja: areaNames(jaFiles), en: areaNames(enFiles) };
