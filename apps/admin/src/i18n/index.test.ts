import { beforeAll, describe, expect, it, vi } from "vitest";

// The loader reads the remembered language when it is imported: Japanese, remembered.
const stored = new Map<string, string>([["ltvloop.locale", "ja"]]);
vi.stubGlobal("localStorage", { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) });
vi.stubGlobal("navigator", { language: "ja-JP" });
const { i18n, loadInitialLocale, loadNamespaces, setLocale } = await import("./index.ts");
// The page's lang attribute (after Vue has loaded: it looks for a real document when one is defined).
vi.stubGlobal("document", { documentElement: { lang: "" } });

const g = i18n.global;
/** Whether `locale` has a message of the namespace that holds `key` (te looks in the language shown only). */
const has = (locale: "ja" | "en", key: string) => g.te(key, locale);

describe("messages per namespace", () => {
  beforeAll(async () => {
    await loadInitialLocale();
  });

  it("the first language's shell (core) is in before the app mounts, and nothing else", () => {
    expect(g.locale.value).toBe("ja");
    expect(has("ja", "nav.dashboard")).toBe(true);
    expect(has("ja", "loyalty.empty")).toBe(false);
    expect(has("ja", "errors.reasons.WRONG_CREDENTIALS")).toBe(false);
    expect(has("en", "nav.dashboard")).toBe(false);
  });

  it("a route's namespaces merge into the language shown, beside the files already in", async () => {
    await loadNamespaces(["loyalty", "api-errors"]);
    expect(has("ja", "loyalty.empty")).toBe(true);
    expect(has("ja", "errors.reasons.WRONG_CREDENTIALS")).toBe(true);
    // core's errors.* and api-errors' errors.reasons.* are one branch after merging.
    expect(has("ja", "errors.NETWORK.title")).toBe(true);
    expect(has("en", "loyalty.empty")).toBe(false);
  });

  it("switching language loads the new language's files of every screen so far before it switches", async () => {
    const switching = setLocale("en");
    expect(g.locale.value).toBe("ja");
    // A page entered while the switch is under way loads for both languages.
    const entering = loadNamespaces(["segments"]);
    await switching;
    await entering;
    expect(g.locale.value).toBe("en");
    for (const key of ["nav.dashboard", "loyalty.empty", "errors.reasons.WRONG_CREDENTIALS", "segments.tabs.list"]) expect(has("en", key), key).toBe(true);
    expect(has("ja", "segments.tabs.list")).toBe(true);
    expect(stored.get("ltvloop.locale")).toBe("en");
    expect(document.documentElement.lang).toBe("en");
  });

  it("of two switches, the later wins, even while the earlier one is still loading", async () => {
    // English is shown; a page's file arrives in English only, so switching to Japanese has to fetch it.
    await loadNamespaces(["jobs"]);
    expect(has("ja", "jobs.title")).toBe(false);
    const slow = setLocale("ja");
    const fast = setLocale("en");
    await Promise.all([slow, fast]);
    expect(g.locale.value).toBe("en");
    expect(stored.get("ltvloop.locale")).toBe("en");
    expect(has("ja", "jobs.title")).toBe(true);
  });
});
