import type { DatabaseKind, Query } from "@ltvloop/db/client";

export interface HealthReport {
  status: "ok";
  database: DatabaseKind;
  /** Only for signed-in callers. */
  counts?: { customers: number; orders: number };
}

/**
 * Answers from the database itself, so a health check fails when the database does. The row
 * counts come from `row_count_deltas`, kept by triggers on every insert and delete (migration
 * 0006) and compacted by rollup refreshes: a probe reads a handful of rows at any size, never
 * counts the tables.
 */
export async function checkHealth(query: Query, database: DatabaseKind, options: { counts: boolean }): Promise<HealthReport> {
  if (!options.counts) {
    await query("select 1");
    return { status: "ok", database };
  }
  return { status: "ok", database, counts: await rowCounts(query) };
}

export async function rowCounts(query: Query): Promise<{ customers: number; orders: number }> {
  const rows = await query<{ table_name: string; n: number }>(
    "select table_name, sum(delta)::float8 as n from row_count_deltas where table_name in ('customers', 'orders') group by table_name",
  );
  const of = (table: string) => Number(rows.find((r) => r.table_name === table)?.n ?? 0);
  return { customers: of("customers"), orders: of("orders") };
}

/**
 * Folds the count deltas into one row per table. Called from rollup refreshes (imports, seed),
 * so the table stays a few rows however many statements wrote orders; concurrent compactions
 * and writers stay correct because each only deletes committed rows it sums.
 */
export async function compactRowCounts(query: Query): Promise<void> {
  await query(
    `with folded as (delete from row_count_deltas returning table_name, delta)
     insert into row_count_deltas (table_name, delta) select table_name, sum(delta) from folded group by table_name`,
  );
}
