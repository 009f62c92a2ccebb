// Messages live in one file per area and locale (locales/<locale>/<area>.json) so that
// features add their words without touching each other's files. The app merges the files a
// screen needs into one tree as they arrive (index.ts, namespaces.ts); here the whole catalogue
// becomes one tree for the tests, refusing a key that two files define.
export type MessageTree = { [key: string]: string | MessageTree };
export type Locale = "ja" | "en";

/** Deep-merges area files; the same leaf key in two files is a mistake and throws. */
export function mergeTrees(trees: { file: string; tree: MessageTree }[]): MessageTree {
  const out: MessageTree = {};
  const origin = new Map<string, string>();
  function into(target: MessageTree, source: MessageTree, file: string, path: string): void {
    for (const [key, value] of Object.entries(source)) {
      const at = path ? `${path}.${key}` : key;
      const existing = target[key];
      if (typeof value === "string" || typeof existing === "string") {
        if (existing !== undefined) throw new Error(`message ${at} is defined in ${origin.get(at) ?? "?"} and ${file}`);
        target[key] = value;
        origin.set(at, file);
      } else {
        const branch: MessageTree = existing ?? {};
        target[key] = branch;
        into(branch, value, file, at);
      }
    }
  }
  for (const { file, tree } of trees) into(out, tree, file, "");
  return out;
}

/** One locale's area files (an `import.meta.glob` of locales/<locale>/*.json) as one tree, in file-name order. */
export function catalogueOf(files: Record<string, MessageTree>): MessageTree {
  return mergeTrees(
    Object.entries(files)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, tree]) => ({ file, tree })),
  );
}

/** Area file names (core.json, …) of one locale's glob. */
export const areaNames = (files: Record<string, MessageTree>): string[] => Object.keys(files).map((f) => f.slice(f.lastIndexOf("/") + 1)).sort();
