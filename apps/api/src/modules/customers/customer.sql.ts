// Pieces of SQL and row handling the customer and order reads share.

/** A row as the database driver returns it. */
export type Row = Record<string, unknown>;

/** A nullable numeric column as a number (PostgreSQL numerics arrive as text). */
export const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The row count triggers keep for `table` (migration 0006), as a one-row `total_count`: no scan of every row. */
export const MAINTAINED_COUNT = (table: "customers" | "orders") =>
  `select coalesce(sum(delta), 0)::int as total_count from row_count_deltas where table_name = '${table}'`;

/** The order columns every order read selects (alias `o`). */
export const ORDER_COLUMNS = "o.id, o.external_id, o.customer_id, o.ordered_at, o.amount, o.currency, o.gross_margin, o.status, o.channel, o.items";
