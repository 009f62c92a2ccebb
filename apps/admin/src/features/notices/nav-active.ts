// Which navigation item is current. The review queue is the campaign board filtered to CHECKED,
// so the router alone would light up both; exactly one item is current.

export interface NavTarget {
  key: string;
  to: string;
}

export function activeNavKey(items: readonly NavTarget[], path: string, query: Record<string, unknown>): string | null {
  if (path.startsWith("/campaigns") && query["status"] === "CHECKED" && items.some((i) => i.key === "review")) return "review";
  let best: NavTarget | null = null;
  for (const item of items) {
    const base = item.to.split("?")[0] ?? item.to;
    const matches = base === "/" ? path === "/" : path === base || path.startsWith(`${base}/`);
    if (matches && (!best || base.length > (best.to.split("?")[0] ?? "").length)) best = item;
  }
  return best?.key ?? null;
}
