// Messages live in one file per area and locale (locales/<locale>/<area>.json) so that
// features add their words without touching each other's files; here they become one tree.
export type MessageTree = { [key: string]: string | MessageTree };
export type Locale = "ja" | "en";

const files = import.meta.glob<MessageTree>("./locales/*/*.json", { eager: true, import: "default" });

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

function load(locale: Locale): MessageTree {
  const prefix = `./locales/${locale}/`;
  return mergeTrees(
    Object.entries(files)
      .filter(([path]) => path.startsWith(prefix))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, tree]) => ({ file, tree })),
  );
}

export const messages: Record<Locale, MessageTree> = { ja: load("ja"), en: load("en") };

/** Area files per locale, for the test that both locales have the same areas. */
export const areaFiles: Record<Locale, string[]> = {
  ja: Object.keys(files).filter((f) => f.startsWith("./locales/ja/")).map((f) => f.slice("./locales/ja/".length)).sort(),
  en: Object.keys(files).filter((f) => f.startsWith("./locales/en/")).map((f) => f.slice("./locales/en/".length)).sort(),
};
