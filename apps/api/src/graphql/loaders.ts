import DataLoader from "dataloader";
import type { Context } from "../context.ts";

/**
 * A per-request DataLoader under `key`: fields of list items ask it for their rows and it
 * answers them all with one statement, so a page of 100 customers costs what a page of 1 does.
 */
export function loader<K, V>(ctx: Context, key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  let existing = ctx.loaders.get(key) as DataLoader<K, V> | undefined;
  if (!existing) {
    existing = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
    ctx.loaders.set(key, existing);
  }
  return existing;
}

/** Groups rows by a key, in the order of `keys`, for DataLoader batch functions. */
export function groupBy<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
