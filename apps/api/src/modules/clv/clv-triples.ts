// Distinct calibration histories (x, t_x, T) of a summary, found once and shared by the fits,
// the predictions and the holdout diagnostics: everything a BTYD model says about a customer
// depends on the triple alone, and a file of millions of customers has only thousands of them.
import type { SummaryColumns } from "@ltvloop/scoring/purchase-log";

export interface TripleIndex {
  /** Distinct triples. */
  count: number;
  /** Triple of each summary slot. */
  of: Int32Array;
  x: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  /** Customers per triple. */
  weight: Int32Array;
}

/**
 * Groups the summary's customers by (x, t_x, T). Recency and age are whole days divided by the
 * time unit, so the triple is keyed by exact integers (x, t_x and T in days) packed into one
 * number: no string per customer.
 */
export function indexTriples(s: SummaryColumns, unitDays: number): TripleIndex {
  const slots = new Map<number, number>();
  const of = new Int32Array(s.n);
  let x = new Int32Array(1024);
  let tx = new Float64Array(1024);
  let T = new Float64Array(1024);
  let weight = new Int32Array(1024);
  let count = 0;
  for (let i = 0; i < s.n; i++) {
    const xi = s.frequency[i] ?? 0;
    const txi = s.recency[i] ?? 0;
    const Ti = s.T[i] ?? 0;
    // Days < 100,000 (274 years) and x < 900,000 keep the key below 2^53: exact.
    const key = (xi * 100_000 + Math.round(txi * unitDays)) * 100_000 + Math.round(Ti * unitDays);
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = count++;
      slots.set(key, slot);
      if (slot >= x.length) {
        const grow = <A extends Int32Array | Float64Array>(a: A): A => {
          const next = new (a.constructor as new (n: number) => A)(a.length * 2);
          next.set(a);
          return next;
        };
        x = grow(x);
        tx = grow(tx);
        T = grow(T);
        weight = grow(weight);
      }
      x[slot] = xi;
      tx[slot] = txi;
      T[slot] = Ti;
    }
    of[i] = slot;
    weight[slot] = (weight[slot] ?? 0) + 1;
  }
  return { count, of, x: x.subarray(0, count), tx: tx.subarray(0, count), T: T.subarray(0, count), weight: weight.subarray(0, count) };
}

/** The triples as the fitters take them. */
export function weightedTriples(index: TripleIndex): { x: number; tx: number; T: number; weight: number }[] {
  const out: { x: number; tx: number; T: number; weight: number }[] = [];
  for (let k = 0; k < index.count; k++) out.push({ x: index.x[k] ?? 0, tx: index.tx[k] ?? 0, T: index.T[k] ?? 0, weight: index.weight[k] ?? 0 });
  return out;
}
