import { ScoringError } from "../errors.ts";

/** Sufficient statistics of one customer (or `weight` identical customers), in model time units. */
export interface BtydTriple {
  /** Repeat purchases x. */
  x: number;
  /** Recency t_x: time of the last purchase since the first. */
  tx: number;
  /** Age T: time from the first purchase to the end of observation. */
  T: number;
  /** Number of customers with this triple (default 1). */
  weight?: number;
}

/** A unique (x, t_x, T) triple with the number of customers sharing it. */
export interface WeightedTriple {
  x: number;
  tx: number;
  T: number;
  weight: number;
}

/** Validates one triple: x a non-negative integer, 0 ≤ t_x ≤ T, t_x = 0 when x = 0. */
export function assertValidTriple(x: number, tx: number, T: number): void {
  if (!Number.isInteger(x) || x < 0 || !Number.isFinite(tx) || !Number.isFinite(T) || tx < 0 || T < 0 || tx > T + 1e-9) {
    throw new ScoringError(
      "INVALID_INPUT",
      `Invalid customer statistics x=${x}, t_x=${tx}, T=${T}: need integer x ≥ 0 and 0 ≤ t_x ≤ T.`,
    );
  }
}

/**
 * Merges identical (x, t_x, T) triples and sums their weights. A BTYD likelihood depends on a
 * customer only through these three numbers, so fitting on the result is exact and costs
 * the number of distinct triples instead of the number of customers. Order of first
 * appearance is kept.
 *
 * @see Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", eq. 6 (the
 * likelihood depends on the data only through x, t_x, T).
 */
export function compressTriples(rows: readonly BtydTriple[]): WeightedTriple[] {
  const index = new Map<number, Map<number, Map<number, number>>>();
  const out: WeightedTriple[] = [];
  for (const row of rows) {
    const { x, tx, T } = row;
    const weight = row.weight ?? 1;
    assertValidTriple(x, tx, T);
    if (!(weight >= 0) || !Number.isFinite(weight)) {
      throw new ScoringError("INVALID_INPUT", `Weight must be a finite number ≥ 0, got ${weight}.`);
    }
    if (weight === 0) continue;
    let byTx = index.get(x);
    if (byTx === undefined) {
      byTx = new Map();
      index.set(x, byTx);
    }
    let byT = byTx.get(tx);
    if (byT === undefined) {
      byT = new Map();
      byTx.set(tx, byT);
    }
    const at = byT.get(T);
    if (at === undefined) {
      byT.set(T, out.length);
      out.push({ x, tx, T, weight });
    } else {
      const existing = out[at];
      if (existing) existing.weight += weight;
    }
  }
  return out;
}

/**
 * Compresses customer summaries (`frequency`, `recency`, `T`, as produced by
 * `summarizeTransactions`) into weighted unique triples for the model fits.
 */
export function compressSummaries(
  rows: readonly { frequency: number; recency: number; T: number }[],
): WeightedTriple[] {
  return compressTriples(rows.map((r) => ({ x: r.frequency, tx: r.recency, T: r.T })));
}

/** Column-oriented triples grouped for fast likelihood evaluation: per-x terms computed once. */
export interface TripleColumns {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Index into `uniqueX` for each row. */
  xIndex: Int32Array;
  uniqueX: number[];
  totalWeight: number;
}

/** Internal: converts weighted triples into typed columns. */
export function toColumns(triples: readonly WeightedTriple[]): TripleColumns {
  const n = triples.length;
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const weight = new Float64Array(n);
  const xIndex = new Int32Array(n);
  const position = new Map<number, number>();
  const uniqueX: number[] = [];
  let totalWeight = 0;
  triples.forEach((t, i) => {
    x[i] = t.x;
    tx[i] = t.tx;
    T[i] = t.T;
    weight[i] = t.weight;
    totalWeight += t.weight;
    let k = position.get(t.x);
    if (k === undefined) {
      k = uniqueX.length;
      position.set(t.x, k);
      uniqueX.push(t.x);
    }
    xIndex[i] = k;
  });
  return { x, tx, T, weight, xIndex, uniqueX, totalWeight };
}
