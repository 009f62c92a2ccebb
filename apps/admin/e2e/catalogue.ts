// The message catalogue read from its JSON files (the browser suites run outside Vite), for the
// check that a page in one language shows no display string of the other.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { JAPANESE, SAME_IN_BOTH, prose } from "../src/i18n/one-language.ts";

type Tree = { [key: string]: string | Tree };
const DIR = join(import.meta.dirname, "..", "src", "i18n", "locales");

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}

function load(locale: "ja" | "en"): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(join(DIR, locale)).filter((f) => f.endsWith(".json"))) {
    for (const [k, v] of leaves(JSON.parse(readFileSync(join(DIR, locale, file), "utf8")) as Tree)) out.set(k, v);
  }
  return out;
}

/**
 * Distinctive display strings of one locale that must not appear on a page in the other: whole
 * messages (their placeholder-free fragments) long enough not to occur by accident.
 */
export function foreignStrings(pageLocale: "ja" | "en"): string[] {
  const ja = load("ja");
  const en = load("en");
  const other = pageLocale === "ja" ? en : ja;
  const mine = pageLocale === "ja" ? ja : en;
  const out = new Set<string>();
  for (const [key, value] of other) {
    if (value === mine.get(key)) continue;
    for (const fragment of value.split(/\{[^}]*\}|\||`[^`]*`|\n/)) {
      const text = prose(fragment);
      if (SAME_IN_BOTH.has(text)) continue;
      if (pageLocale === "ja" ? text.length >= 14 && /[a-z]{3,} [a-z]{2,}/i.test(text) : text.length >= 5 && JAPANESE.test(text)) out.add(text);
    }
  }
  return [...out];
}

/** Every message key with at least one dot (`nav.dashboard`): text that shows one is a raw key, not a message. */
export function messageKeys(): string[] {
  return [...load("en").keys()].filter((key) => key.includes("."));
}
