/** Case- and width-insensitive substring match (全角 ＡＢＣ matches ABC), for names typed in either script. */
export function normalise(text: string): string {
  return text.normalize("NFKC").toLowerCase().trim();
}

export function matches(haystack: readonly string[], needle: string): boolean {
  const n = normalise(needle);
  return n.length > 0 && haystack.some((h) => normalise(h).includes(n));
}
