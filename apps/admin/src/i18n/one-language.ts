// What "one language per page" means for the catalogue, shared by the unit test and the
// browser suite: Japanese messages are not English copies, English messages carry no Japanese.
export const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/**
 * Names and symbols that are written the same in both languages: the product, abbreviations
 * Japanese CRM tools keep in Latin letters, and formulas. A Japanese message equal to its
 * English one is allowed only if it is one of these (after removing {placeholders}).
 */
export const SAME_IN_BOTH = new Set(["LTV Loop", "LTV Loop GraphQL", "KPI", "ID", "LINE", "SMS", "DM", "RFM", "ROI", "LTV/CAC", "CUPED", "BG/NBD", "Pareto/NBD", "/", "=", "≠", "<", ">", ":"]);

/** Placeholders and code spans do not count as words in either language. */
export function prose(text: string): string {
  return text.replace(/`[^`]*`/g, " ").replace(/\{[^}]*\}/g, " ").replace(/\s+/g, " ").trim();
}

/** A run of three or more English words outside code: an English sentence left in a Japanese message. */
export const ENGLISH_PHRASE = /\b[A-Za-z]{2,}(?:'[a-z]+)?\s+[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/;

/** English words that may appear in Japanese prose: names of keys, tools and technical terms. */
export const ENGLISH_PHRASE_ALLOWED = [/LTV Loop GraphQL/, /Ctrl\+\w+/];
