// Each route loads the message files its page uses (namespaces.ts), found by reading the code:
// from the page's component, through every relative import (import() too: a lazily loaded part
// renders inside the page), the keys each file names (key-usage.ts) and the files that define them.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { dynamicKeyCalls, keyIndex, keyUses, relativeImports, type KeyIndex, type MessageTree } from "./key-usage.ts";
import { areaFiles, files } from "./messages.ts";
import { NAMESPACES, ON_DEMAND_NAMESPACES, ROUTE_NAMESPACES, SHELL_NAMESPACES } from "./namespaces.ts";

const SRC = join(import.meta.dirname, "..");
const ROUTER = join(SRC, "router.ts");
const byNamespace = (locale: "ja" | "en"): Record<string, MessageTree> =>
  Object.fromEntries(Object.entries(files[locale]).map(([path, tree]) => [path.slice(path.lastIndexOf("/") + 1, -".json".length), tree]));
const index: KeyIndex = keyIndex(byNamespace("en"));

/**
 * Lookups whose key the scan cannot read, per file, and where their keys come from. Each source
 * named is in the same import closure and spells its keys in a form the scan reads (a quoted key
 * or a `root.${…}` template), so the route that shows the lookup loads their files. A new entry
 * needs the same check: where do the keys come from, and are they spelt where the scan sees them?
 */
const REVIEWED_DYNAMIC_KEYS: Record<string, Record<string, string>> = {
  "features/shared/api-error.ts": {
    key: "`errors.reasons.${reason}` (reasonText) and problemKey's result (problemText), both in this file",
    base: "`errors.problems.${reason}`, this file",
    "`${base}.${value}`": "a variant under `errors.problems.${reason}`, this file",
    "`${base}.other`": "the fallback under `errors.problems.${reason}`, this file",
  },
  "features/shared/components/ErrorAlert.vue": { key: "`errors.fields.${…}` (fieldLabel), this file" },
  "features/shared/components/EncodingSelect.vue": { "c.key": "file-encoding.ts's ENCODING_CHOICES: quoted keys (fileEncoding.*)" },
  "features/imports/problem-text.ts": {
    key: "problemKey's result: `importProblems.codes.${code}` and its variants, this file",
    base: "`importProblems.codes.${code}`, this file",
    "`${base}.${value}`": "a variant under `importProblems.codes.${code}`, this file",
    "`${base}.other`": "the fallback under `importProblems.codes.${code}`, this file",
  },
  "features/account/components/PasswordChange.vue": { "mine.key": "password-form.ts's problems: quoted keys (account.password.*, errors.problems.*)" },
  "features/campaigns/detail/CampaignTimeline.vue": { k: "timeline.ts's labelKeys: FIELD_LABELS' quoted keys and `planWarning.${w}`" },
  "features/campaigns/delivery/DeliveryWarnings.vue": { key: "`campaignDelivery.warning.${w.code}`, this file" },
  "features/campaigns/results/use-method-text.ts": { key: "`campaignTrust.methods.${code}`, this file" },
};

function resolveImport(from: string, specifier: string): string | null {
  const path = resolve(dirname(from), specifier);
  if (/\.(css|svg|png|json)$/.test(path)) return null;
  // Codegen's output (gql/) imports without extensions.
  const found = [path, `${path}.ts`, join(path, "index.ts")].find((p) => existsSync(p) && !p.endsWith("/") && /\.(ts|vue)$/.test(p));
  if (!found) throw new Error(`${relative(SRC, from)} imports ${specifier}, which the scan cannot find`);
  return found;
}

/** Parts that load their own namespaces when shown (ON_DEMAND_NAMESPACES), by absolute path. */
const ON_DEMAND = new Set(Object.keys(ON_DEMAND_NAMESPACES).map((p) => join(SRC, p)));

/**
 * A file and everything it imports, transitively; router.ts's pages are routes of their own, not
 * part of the shell, and an on-demand part imported by import() loads its own namespaces (unless
 * `root` is that part).
 */
function importClosure(root: string, into = new Set<string>()): Set<string> {
  if (into.has(root)) return into;
  into.add(root);
  for (const { specifier, dynamic } of relativeImports(readFileSync(root, "utf8"))) {
    if (root === ROUTER && specifier.startsWith("./pages/")) continue;
    const path = resolveImport(root, specifier);
    if (path && dynamic && ON_DEMAND.has(path)) continue;
    if (path) importClosure(path, into);
  }
  return into;
}

/** The namespaces the closure of `root` uses, each with where (file: key) for the failure message. */
function namespacesUsed(root: string): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of importClosure(root)) {
    for (const use of keyUses(readFileSync(file, "utf8"), index)) {
      for (const namespace of use.namespaces) used.set(namespace, [...(used.get(namespace) ?? []), `${relative(SRC, file)}: ${use.text}`]);
    }
  }
  return used;
}

/** name → page component file, read from router.ts. */
function routes(): Map<string, string> {
  const source = readFileSync(ROUTER, "utf8");
  const out = new Map<string, string>();
  for (const m of source.matchAll(/name: "([^"]+)", component: \(\) => import\("(\.\/pages\/[^"]+)"\)/g)) out.set(m[1] as string, join(SRC, m[2] as string));
  expect(out.size, "every route of router.ts read (one line each: name, then component: () => import(…))").toBe(source.match(/component:/g)?.length);
  return out;
}

/** What a screen needs beyond `given`, and what `declared` lists that it does not use. */
function compare(used: Map<string, string[]>, given: readonly string[], declared: readonly string[]) {
  const missing = [...used].filter(([n]) => !given.includes(n) && !declared.includes(n)).map(([n, where]) => `${n} (${where.slice(0, 3).join("; ")})`);
  const unused = declared.filter((n) => !used.has(n));
  return { missing, unused };
}

describe("message namespaces", () => {
  it("the list of namespaces is the list of message files, in both languages", () => {
    expect([...NAMESPACES].map((n) => `${n}.json`)).toEqual(areaFiles.en);
    expect(areaFiles.ja).toEqual(areaFiles.en);
  });

  it("every key is in the file of the same name in both languages (a language loads the same files)", () => {
    const ja = keyIndex(byNamespace("ja")).namespaceOf;
    const moved = [...index.namespaceOf].filter(([key, namespace]) => ja.get(key) !== namespace).map(([key, n]) => `${key}: en ${n}, ja ${ja.get(key) ?? "none"}`);
    expect(moved).toEqual([]);
  });

  it("no message links to another (@:key): the linked key's file may not be loaded", () => {
    const texts = (tree: MessageTree): string[] => Object.values(tree).flatMap((v) => (typeof v === "string" ? [v] : texts(v)));
    const linked = (["ja", "en"] as const).flatMap((l) => Object.values(files[l]).flatMap(texts)).filter((text) => /@(?:\.\w+)?:/.test(text));
    expect(linked).toEqual([]);
  });

  it("every route of router.ts has its list, and every list a route", () => {
    expect([...routes().keys()].sort()).toEqual(Object.keys(ROUTE_NAMESPACES).sort());
  });

  it("the shell (main.ts and App.vue with what they import, not the pages) uses only the shell's namespaces", () => {
    const used = namespacesUsed(join(SRC, "main.ts"));
    expect(used.size).toBeGreaterThan(0);
    expect(compare(used, [], SHELL_NAMESPACES)).toEqual({ missing: [], unused: [] });
  });

  it.each([...routes()])("route %s loads every namespace its page uses, and only those", (name, page) => {
    const used = namespacesUsed(page);
    expect(used.size).toBeGreaterThan(0);
    expect(compare(used, SHELL_NAMESPACES, ROUTE_NAMESPACES[name] ?? [])).toEqual({ missing: [], unused: [] });
  });

  it.each(Object.entries(ON_DEMAND_NAMESPACES))("on-demand part %s loads the namespaces it uses beyond an error alert's page, and is imported only by import()", (file, declared) => {
    const path = join(SRC, file);
    // It is shown inside an error alert, on pages that load the shell and api-errors.
    expect(compare(namespacesUsed(path), [...SHELL_NAMESPACES, "api-errors"], declared)).toEqual({ missing: [], unused: [] });
    const source = readFileSync(path, "utf8");
    expect(source).toContain(`loadNamespaces(${JSON.stringify(declared)})`);
    const all = new Set([join(SRC, "main.ts"), ...routes().values()].flatMap((root) => [...importClosure(root)]));
    const staticImporters = [...all].filter((f) => relativeImports(readFileSync(f, "utf8")).some((i) => !i.dynamic && resolveImport(f, i.specifier) === path));
    expect(staticImporters.map((f) => relative(SRC, f))).toEqual([]);
  });

  it("every lookup whose key the scan cannot read has been checked (REVIEWED_DYNAMIC_KEYS)", () => {
    const found: Record<string, Record<string, string>> = {};
    const all = new Set([join(SRC, "main.ts"), ...routes().values()].flatMap((root) => [...importClosure(root)]));
    for (const file of all) {
      const calls = dynamicKeyCalls(readFileSync(file, "utf8"));
      const reviewed = REVIEWED_DYNAMIC_KEYS[relative(SRC, file)] ?? {};
      if (calls.length) found[relative(SRC, file)] = Object.fromEntries(calls.map((c) => [c, reviewed[c] ?? "NOT REVIEWED: where does this key come from?"]));
    }
    expect(found).toEqual(REVIEWED_DYNAMIC_KEYS);
  });
});

describe("the key scan", () => {
  const small = keyIndex({
    core: { nav: { home: "Home" }, errors: { NETWORK: { title: "Offline" } }, rfm: { champions: "Champions" } },
    "api-errors": { errors: { reasons: { WRONG_PASSWORD: "Wrong password", TOO_MANY: "Too many" } } },
    daily: { nav: { glossary: "Glossary" }, dashboard: { range: "Range" } },
  });
  const uses = (source: string) => Object.fromEntries(keyUses(source, small).map((u) => [u.text, u.namespaces]));

  it("reads quoted keys in script and template, keypath and constants, and not other dotted strings", () => {
    expect(uses(`{{ t("nav.home") }} :title="$t('dashboard.range')" <I18nT keypath="nav.glossary"> const K = { label: "rfm.champions" }; import x from "./a.ts"; "vue.runtime"`)).toEqual({
      "nav.home": ["core"],
      "dashboard.range": ["daily"],
      "nav.glossary": ["daily"],
      "rfm.champions": ["core"],
    });
  });

  it("a branch stands for its keys; a template for every key it can spell", () => {
    expect(uses(`tm("errors")`)).toEqual({ errors: ["api-errors", "core"] });
    expect(uses("t(`errors.reasons.${info.reason}`) t(`errors.${code}.title`) t(`nav.${item.key}`)")).toEqual({
      "errors.reasons.${info.reason}": ["api-errors"],
      "errors.${code}.title": ["core"],
      "nav.${item.key}": ["core", "daily"],
    });
  });

  it("reports lookups whose key it cannot read, not literal, template or ternary ones", () => {
    const source = 'te(key) ? t(key, p) : t("nav.home"); t(`rfm.${k}`); t(ok ? "nav.home" : "nav.glossary", {}); i18n.t(/[.?]$/.test(s) ? "a.b" : "a.c", {}); i18n.t(`${base}.other`); format(x); obj.t(y)';
    expect(dynamicKeyCalls(source)).toEqual(["key", "`${base}.other`"]);
  });

  it("follows static and dynamic relative imports", () => {
    expect(relativeImports(`import A from "./A.vue";\nexport { b } from "../b.ts";\nconst C = () => import("./C.vue");\nimport { ref } from "vue";`)).toEqual([
      { specifier: "./A.vue", dynamic: false },
      { specifier: "../b.ts", dynamic: false },
      { specifier: "./C.vue", dynamic: true },
    ]);
  });
});
