import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DocumentCache } from "./graphql-direct.ts";

const doc = (n: number) => parse(`{ q${n} }`);

describe("the direct path's document cache", () => {
  it("keeps at most its count of documents, dropping the least recently used", () => {
    const cache = new DocumentCache(3, 1_000_000);
    for (let n = 1; n <= 3; n++) cache.set(`{ q${n} }`, doc(n));
    // q1 is read again, so q2 is now the least recently used.
    expect(cache.get("{ q1 }")).not.toBeUndefined();
    cache.set("{ q4 }", doc(4));
    expect(cache.size.documents).toBe(3);
    expect(cache.get("{ q2 }")).toBeUndefined();
    expect(cache.get("{ q1 }")).not.toBeUndefined();
    expect(cache.get("{ q3 }")).not.toBeUndefined();
    expect(cache.get("{ q4 }")).not.toBeUndefined();
  });

  it("keeps the query text within its bound and counts it exactly as entries come and go", () => {
    const cache = new DocumentCache(1000, 150);
    const texts = Array.from({ length: 40 }, (_, i) => `{ q${i} }`.padEnd(10 + (i % 3), " "));
    for (const [i, text] of texts.entries()) {
      cache.set(text, doc(i));
      expect(cache.size.text).toBeLessThanOrEqual(150);
    }
    const kept = texts.filter((t) => cache.get(t) !== undefined);
    expect(kept.length).toBeGreaterThan(5);
    expect(cache.size).toEqual({ documents: kept.length, text: kept.reduce((sum, t) => sum + t.length, 0) });
    // The newest survive: everything kept is a suffix of what was added.
    expect(kept).toEqual(texts.slice(texts.length - kept.length));
  });

  it("does not keep a text longer than a tenth of the bound, and remembers invalid documents as null", () => {
    const cache = new DocumentCache(10, 100);
    cache.set("{ a_very_long_query_text }", doc(1));
    expect(cache.get("{ a_very_long_query_text }")).toBeUndefined();
    cache.set("{ bad", null);
    expect(cache.get("{ bad")).toBeNull();
    cache.set("{ bad", null);
    expect(cache.size).toEqual({ documents: 1, text: 5 });
  });
});
