import { ScoringError } from "./errors.ts";

/** Per-customer revenue and order count in the analysis window. */
export interface DecileInput {
  customerId: string;
  /** Revenue (currency units). */
  revenue: number;
  /** Number of orders (for mean order value). */
  orders: number;
}

/** One decile of the table. */
export interface DecileRow {
  /** 1 = top 10% by revenue. */
  decile: number;
  customers: number;
  revenue: number;
  /** Share of total revenue (0 when total is 0). */
  share: number;
  /** Share of deciles 1..this one. */
  cumulativeShare: number;
  orders: number;
  /** revenue / orders (0 without orders). */
  meanOrderValue: number;
  minRevenue: number;
  maxRevenue: number;
}

function ranked(rows: readonly DecileInput[]): DecileInput[] {
  for (const row of rows) {
    if (!Number.isFinite(row.revenue) || !Number.isFinite(row.orders) || row.orders < 0) {
      throw new ScoringError("INVALID_INPUT", `Customer ${row.customerId}: revenue must be finite and orders ≥ 0.`);
    }
  }
  // Ties broken by customer id so the split is deterministic.
  return [...rows].sort((p, q) => q.revenue - p.revenue || (p.customerId < q.customerId ? -1 : p.customerId > q.customerId ? 1 : 0));
}

/** Decile (1–10) of each position in a ranked list of n: ten groups whose sizes differ by at most one, larger groups first. */
function decileOf(index: number, n: number): number {
  const base = Math.floor(n / 10);
  const extra = n % 10;
  const bigBlock = extra * (base + 1);
  return index < bigBlock ? Math.floor(index / (base + 1)) + 1 : extra + Math.floor((index - bigBlock) / Math.max(base, 1)) + 1;
}

/**
 * Decile of every customer: ranked by revenue (highest first, ties by customer id) into ten
 * groups of equal size (sizes differ by at most one; with fewer than ten customers some
 * deciles are empty). Output in ranked order.
 */
export function assignDeciles(rows: readonly DecileInput[]): { customerId: string; decile: number }[] {
  const sorted = ranked(rows);
  return sorted.map((row, i) => ({ customerId: row.customerId, decile: decileOf(i, sorted.length) }));
}

/**
 * デシル分析: the ten-row table of customers, revenue, share, cumulative share and mean order
 * value per revenue decile.
 *
 * @see Hughes (1994), "Strategic Database Marketing" (decile analysis).
 */
export function decileTable(rows: readonly DecileInput[]): DecileRow[] {
  const sorted = ranked(rows);
  const table: DecileRow[] = Array.from({ length: 10 }, (_, i) => ({
    decile: i + 1,
    customers: 0,
    revenue: 0,
    share: 0,
    cumulativeShare: 0,
    orders: 0,
    meanOrderValue: 0,
    minRevenue: 0,
    maxRevenue: 0,
  }));
  let total = 0;
  sorted.forEach((row, i) => {
    const d = table[decileOf(i, sorted.length) - 1];
    if (d === undefined) return;
    if (d.customers === 0) d.maxRevenue = row.revenue;
    d.minRevenue = row.revenue;
    d.customers += 1;
    d.revenue += row.revenue;
    d.orders += row.orders;
    total += row.revenue;
  });
  let cumulative = 0;
  for (const d of table) {
    cumulative += d.revenue;
    d.share = total !== 0 ? d.revenue / total : 0;
    d.cumulativeShare = total !== 0 ? cumulative / total : 0;
    d.meanOrderValue = d.orders > 0 ? d.revenue / d.orders : 0;
  }
  return table;
}
