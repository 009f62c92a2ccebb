// Which message keys a source file (.vue or .ts) uses, read from its text: for the test that each
// route loads the message files its pages use (namespaces.test.ts). Pure functions of the text;
// the app never imports this module.
//
// What counts as a use:
//   - a quoted string that is a message key or a branch of keys: t("a.b"), $t('a.b'),
//     keypath="a.b", and keys kept in constants ({ key: "a.b" }) or chosen by a ternary; a
//     one-segment name (t("language"), tm("errors")) only as a lookup's first argument;
//   - a template literal that starts with a message root and a dot, `errors.reasons.${code}`: it
//     stands for every key it can spell, each ${…} any text (dots included), and the keys under them.
// A t()/te() call whose key is neither (a variable, `${base}.other`) is reported by dynamicKeyCalls
// for a person to check where the key comes from.

export interface KeyIndex {
  /** Every leaf key with the file (namespace) that defines it. */
  namespaceOf: ReadonlyMap<string, string>;
  /** First segments of the keys (`errors`, `nav`, …): a string must start with one to be a key. */
  roots: ReadonlySet<string>;
}

export type MessageTree = { [key: string]: string | MessageTree };

/** The index of one language's files (namespace → tree). */
export function keyIndex(files: Record<string, MessageTree>): KeyIndex {
  const namespaceOf = new Map<string, string>();
  const walk = (namespace: string, tree: MessageTree, prefix: string): void => {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === "string") namespaceOf.set(key, namespace);
      else walk(namespace, v, key);
    }
  };
  for (const [namespace, tree] of Object.entries(files)) walk(namespace, tree, "");
  return { namespaceOf, roots: new Set([...namespaceOf.keys()].map((k) => k.split(".")[0] as string)) };
}

/** A quoted dotted name: 'a.b', "a.b-c", `a.b`. */
const QUOTED = /(["'`])([A-Za-z][\w-]*(?:\.[\w-]+)+)\1/g;
/** A lookup of a one-segment name: t("language"), tm('errors'). */
const SINGLE = /(?<![\w$.])(?:\$?t|te|tm|i18n\.t|i18n\.te|i18n\.tm)\(\s*(["'])([A-Za-z]\w*)\1/g;
/** A template literal of a dotted name with substitutions: `a.${x}.b`. */
const TEMPLATE_BODY = String.raw`[A-Za-z]\w*\.(?:[\w.-]|\$\{[^}\x60]*\})*`;
const TEMPLATE = new RegExp(String.raw`\x60(${TEMPLATE_BODY})\x60`, "g");

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One way a file names keys, and the namespaces of the keys it names. */
export interface KeyUse {
  /** As written: `errors.reasons.${code}` or nav.dashboard. */
  text: string;
  namespaces: string[];
}

/** The keys a source text names (see the module comment), each with the namespaces of its keys. */
export function keyUses(source: string, index: KeyIndex): KeyUse[] {
  const uses = new Map<string, Set<string>>();
  const add = (text: string, matches: (key: string) => boolean) => {
    if (!index.roots.has(text.split(".")[0] as string)) return;
    const namespaces = uses.get(text) ?? new Set<string>();
    for (const [key, namespace] of index.namespaceOf) if (matches(key)) namespaces.add(namespace);
    if (namespaces.size) uses.set(text, namespaces);
  };
  for (const m of source.matchAll(QUOTED)) {
    const text = m[2] as string;
    add(text, (key) => key === text || key.startsWith(`${text}.`));
  }
  // A one-segment key (`language`) or branch only as a lookup's argument: elsewhere such strings are mostly not keys.
  for (const m of source.matchAll(SINGLE)) {
    const text = m[2] as string;
    add(text, (key) => key === text || key.startsWith(`${text}.`));
  }
  for (const m of source.matchAll(TEMPLATE)) {
    const text = m[1] as string;
    if (!text.includes("${")) continue;
    const pattern = new RegExp(`^${text.split(/\$\{[^}`]*\}/).map(escape).join(".+")}(?:\\..+)?$`);
    add(text, (key) => pattern.test(key));
  }
  return [...uses].map(([text, namespaces]) => ({ text, namespaces: [...namespaces].sort() }));
}

/** A call that looks a message up: t( $t( te( tm( i18n.t( i18n.te( — not foo.t( nor format(. */
const CALL = /(?<![\w$.])(?:\$?t|te|tm)\(|\bi18n\.(?:t|te|tm)\(/g;
const LITERAL = /^(["'])[^"'\n]*\1\s*[,)]/;
const KEY_TEMPLATE = new RegExp(String.raw`^\x60${TEMPLATE_BODY}\x60\s*[,)]`);
/** `cond ? "a.b" : "c.d"` up to the argument's end. */
const TERNARY = /^[^;\n]*?\?\s*(["'])[A-Za-z][\w.-]*\1\s*:\s*(["'])[A-Za-z][\w.-]*\2\s*[,)]/;

/**
 * The first argument of each lookup call whose key the scan cannot read (a variable, a template
 * not starting with a message root), as written up to its first comma or parenthesis.
 */
export function dynamicKeyCalls(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(CALL)) {
    const rest = source.slice((m.index as number) + m[0].length).trimStart();
    if (LITERAL.test(rest) || KEY_TEMPLATE.test(rest) || TERNARY.test(rest)) continue;
    out.add((/^[^,)]*/.exec(rest)?.[0] ?? rest).trim());
  }
  return [...out];
}

/** Relative module specifiers a file imports, statically or with import(): `./a.ts`, `../b.vue`. */
export function relativeImports(source: string): { specifier: string; dynamic: boolean }[] {
  const out: { specifier: string; dynamic: boolean }[] = [];
  for (const m of source.matchAll(/\b(?:from|import)\s*(\(?)\s*["'](\.{1,2}\/[^"']+)["']/g)) out.push({ specifier: m[2] as string, dynamic: m[1] === "(" });
  return out;
}
