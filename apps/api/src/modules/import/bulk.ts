// Bulk mode of the imports' writes: a load at least as large as the table it goes into (a
// first load, a re-load of everything) rebuilds the table's indexes and keys once instead of
// maintaining them per row (see @ltvloop/db/bulk for what is dropped and how it comes back).
// The table is locked for the rest of the transaction; when readers hold it longer than
// BULK_LOCK_TIMEOUT, the write goes row by row instead.
import { deferIndexesAndKeys, lockForBulk } from "@ltvloop/db/bulk";
import type { ImportContext } from "./staging.ts";

export { BULK_LOCK_TIMEOUT } from "@ltvloop/db/bulk";

export type BulkTable = "orders" | "customers";

/**
 * Smallest load written in bulk mode, per table; smaller ones maintain the indexes row by row.
 * Measured on first loads into PostgreSQL (`bench/import-trace.ts`, BULK_MIN=N): orders break
 * even between 750 and 4,000 rows (16k rows: 0.40 s in bulk vs 0.75 s row by row; 40k: 0.78 vs
 * 1.65 s), customers near 5,000 (30k: 1.08 vs 1.36 s; 500: 0.13 vs 0.10 s), where each row
 * updates the name and e-mail trigram indexes. The thresholds sit above break-even, where bulk
 * mode is clearly faster, because it also holds the table against readers until the commit.
 */
export const BULK_MIN_ROWS: Record<BulkTable, number> = { orders: 5_000, customers: 10_000 };

/** Whether a load of `stagedRows` into `table` goes in bulk mode (see the file comment). */
async function choosesBulk(ctx: ImportContext, table: BulkTable, stagedRows: number): Promise<boolean> {
  if (stagedRows < (ctx.options.bulkMinRows ?? BULK_MIN_ROWS[table])) return false;
  // Counts at most stagedRows rows: cheap next to the load, exact where it matters.
  const [existing] = await ctx.query<{ n: number }>(`select count(*)::int as n from (select 1 from ${table} limit $1) t`, [stagedRows]);
  return (existing?.n ?? 0) < stagedRows && (await lockForBulk(ctx.query, [table]));
}

/**
 * Runs `write` (the set-based statements that fill `table`; told whether it runs in bulk mode),
 * in bulk mode when it pays. With `dropUnique`, bulk mode rebuilds unreferenced unique keys
 * too, so `write` must not use ON CONFLICT (nor look rows up by those keys) when told it runs
 * in bulk; `prepare` runs in bulk mode before anything is dropped.
 */
export async function writeTable<T>(
  ctx: ImportContext,
  table: BulkTable,
  stagedRows: number,
  write: (isBulk: boolean) => Promise<T>,
  {
    dropUnique = false,
    prepare,
    inserted,
  }: { dropUnique?: boolean; prepare?: () => Promise<void>; /** Rows the bulk write inserted (else the table is counted before and after). */ inserted?: (result: T) => number } = {},
): Promise<{ result: T; isBulk: boolean }> {
  if (!(await choosesBulk(ctx, table, stagedRows))) return { result: await write(false), isBulk: false };
  await prepare?.();
  const restore = await deferIndexesAndKeys(ctx.query, table, { dropUnique });
  const result = await withRowCountOnce(ctx, table, () => write(true), inserted);
  await restore();
  return { result, isBulk: true };
}

/**
 * Runs `write` with the table's row-count trigger (migration 0006: a statement trigger with a
 * transition table, which keeps a copy of every inserted row — most of the time of a bulk
 * insert) switched off, and records the statement's net change itself, as the trigger does.
 */
async function withRowCountOnce<T>(ctx: ImportContext, table: BulkTable, write: () => Promise<T>, inserted?: (result: T) => number): Promise<T> {
  const { query } = ctx;
  const triggers = await query<{ name: string }>(
    `select tgname as name from pg_trigger where tgrelid = $1::regclass and tgfoid = 'row_count_inserted'::regproc and tgenabled <> 'D'`,
    [table],
  );
  if (triggers.length === 0) return write();
  const count = async () => (await query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]?.n ?? 0;
  for (const { name } of triggers) await query(`alter table ${table} disable trigger "${name}"`);
  const before = inserted ? 0 : await count();
  const result = await write();
  const delta = inserted ? inserted(result) : (await count()) - before;
  if (delta !== 0) await query("insert into row_count_deltas (table_name, delta) values ($1, $2)", [table, delta]);
  for (const { name } of triggers) await query(`alter table ${table} enable trigger "${name}"`);
  return result;
}
