import { describe, expect, it } from "vitest";
import { claimReload, isStaleChunkError, RELOAD_WINDOW_MS } from "./stale-build.ts";

function memoryStore(): Pick<Storage, "getItem" | "setItem"> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe("stale build", () => {
  it("recognises the browsers' messages for a chunk that could not be fetched", () => {
    expect(isStaleChunkError(new TypeError("Failed to fetch dynamically imported module: http://x/assets/campaigns-abc.js"))).toBe(true);
    expect(isStaleChunkError(new TypeError("error loading dynamically imported module: http://x/assets/a.js"))).toBe(true);
    expect(isStaleChunkError(new TypeError("Importing a module script failed."))).toBe(true);
    expect(isStaleChunkError(new Error("Unable to preload CSS for http://x/assets/campaigns-abc.css"))).toBe(true);
  });

  it("leaves other errors alone", () => {
    expect(isStaleChunkError(new Error("Network error"))).toBe(false);
    expect(isStaleChunkError(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isStaleChunkError(undefined)).toBe(false);
  });

  it("loads a page afresh once, not again while the window lasts, and again after it", () => {
    const store = memoryStore();
    expect(claimReload(store, "/campaigns", 1_000)).toBe(true);
    expect(claimReload(store, "/campaigns", 1_000 + RELOAD_WINDOW_MS - 1)).toBe(false);
    expect(claimReload(store, "/campaigns", 1_000 + RELOAD_WINDOW_MS)).toBe(true);
  });

  it("a different page may be loaded afresh right away", () => {
    const store = memoryStore();
    expect(claimReload(store, "/campaigns", 1_000)).toBe(true);
    expect(claimReload(store, "/loyalty", 1_001)).toBe(true);
  });

  it("without working storage it never reloads (no loop guard)", () => {
    const broken = { getItem: () => null, setItem: () => { throw new Error("quota"); } };
    expect(claimReload(broken, "/campaigns", 1_000)).toBe(false);
  });

  it("an unreadable record counts as none", () => {
    const store = memoryStore();
    store.setItem("ltvloop.staleBuildReload", "{not json");
    expect(claimReload(store, "/campaigns", 1_000)).toBe(true);
  });
});
