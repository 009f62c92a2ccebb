// A saved view is the list's URL query: these turn the route's query into the stored text and
// back. Page cursors (`after`) are not part of a view: a view opens at the first page.
import type { LocationQuery, LocationQueryRaw } from "vue-router";

const SKIPPED = new Set(["after"]);

/** The route's query as stored text, keys sorted so equal filters give equal text. */
export function viewQueryFromRoute(query: LocationQuery): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(query).sort()) {
    if (SKIPPED.has(key)) continue;
    const value = query[key];
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string" && v !== "") params.append(key, v);
  }
  return params.toString();
}

/** Stored text back to a route query (repeated keys become lists). */
export function routeQueryFromView(text: string): LocationQueryRaw {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** The same filters, whatever the order of the keys. */
export function sameView(a: string, b: string): boolean {
  const norm = (text: string) => viewQueryFromRoute(routeQueryFromView(text) as LocationQuery);
  return norm(a) === norm(b);
}
