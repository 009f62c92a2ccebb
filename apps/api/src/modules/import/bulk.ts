// Bulk mode of the imports' writes. A load at least as large as the table it goes into (a
// first load, a re-load of everything) drops the table's secondary indexes and its own foreign
// keys, writes, then rebuilds the indexes and re-checks the keys once: PostgreSQL builds an
// index from one sort in a fraction of the time a million single-row insertions take (for the
// trigram GIN indexes of customers far more so), and re-adding a foreign key checks every row
// with one join instead of one lookup per row. The primary key and unique keys stay (they decide
// insert or update, and other tables' keys point at them) unless the caller writes without
// ON CONFLICT (`dropUnique`): then unique keys no other table references are rebuilt too. The definitions are read from the
// catalog, so they come back exactly as the migrations made them, and everything runs in the
// import's transaction: a failure puts them back as they were. The table is locked for the
// rest of the transaction; when readers hold it longer than BULK_LOCK_TIMEOUT, the write goes
// row by row instead.
import type { ImportContext } from "./staging.ts";

/** Smallest load written in bulk mode; smaller ones maintain the indexes row by row. */
export const BULK_MIN_ROWS = 50_000;
/** How long bulk mode waits for readers of the table before writing row by row instead. */
export const BULK_LOCK_TIMEOUT = "2s";

export type BulkTable = "orders" | "customers";

/** Takes `table` for this transaction when readers let it within BULK_LOCK_TIMEOUT. */
async function lockForBulk(ctx: ImportContext, table: BulkTable): Promise<boolean> {
  await ctx.query("savepoint import_bulk_load");
  try {
    const [was] = await ctx.query<{ timeout: string }>("select current_setting('lock_timeout') as timeout, set_config('lock_timeout', $1, true)", [BULK_LOCK_TIMEOUT]);
    await ctx.query(`lock table ${table} in access exclusive mode`);
    await ctx.query("select set_config('lock_timeout', $1, true)", [was?.timeout ?? "0"]);
    await ctx.query("release savepoint import_bulk_load");
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "55P03") throw error;
    await ctx.query("rollback to savepoint import_bulk_load");
    await ctx.query("release savepoint import_bulk_load");
    return false;
  }
}

/** Whether a load of `stagedRows` into `table` goes in bulk mode (see the file comment). */
async function choosesBulk(ctx: ImportContext, table: BulkTable, stagedRows: number): Promise<boolean> {
  if (stagedRows < (ctx.options.bulkMinRows ?? BULK_MIN_ROWS)) return false;
  // Counts at most stagedRows rows: cheap next to the load, exact where it matters.
  const [existing] = await ctx.query<{ n: number }>(`select count(*)::int as n from (select 1 from ${table} limit $1) t`, [stagedRows]);
  return (existing?.n ?? 0) < stagedRows && (await lockForBulk(ctx, table));
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
  { dropUnique = false, prepare }: { dropUnique?: boolean; prepare?: () => Promise<void> } = {},
): Promise<{ result: T; isBulk: boolean }> {
  if (!(await choosesBulk(ctx, table, stagedRows))) return { result: await write(false), isBulk: false };
  const { query } = ctx;
  await prepare?.();
  const indexes = await query<{ create_sql: string; drop_sql: string }>(
    `select pg_get_indexdef(i.indexrelid) as create_sql, format('drop index %I.%I', n.nspname, c.relname) as drop_sql
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where i.indrelid = $1::regclass and not i.indisunique and not i.indisprimary`,
    [table],
  );
  const foreignKeys = await query<{ add_sql: string; drop_sql: string }>(
    `select format('alter table ${table} add constraint %I %s', conname, pg_get_constraintdef(oid)) as add_sql,
            format('alter table ${table} drop constraint %I', conname) as drop_sql
       from pg_constraint where conrelid = $1::regclass and contype = 'f'`,
    [table],
  );
  const uniqueKeys = dropUnique
    ? await query<{ add_sql: string; drop_sql: string }>(
        `select format('alter table ${table} add constraint %I %s', k.conname, pg_get_constraintdef(k.oid)) as add_sql,
                format('alter table ${table} drop constraint %I', k.conname) as drop_sql
           from pg_constraint k
          where k.conrelid = $1::regclass and k.contype = 'u'
            and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = k.conrelid and f.conindid = k.conindid)`,
        [table],
      )
    : [];
  for (const statement of [...foreignKeys, ...indexes, ...uniqueKeys]) await query(statement.drop_sql);
  const result = await write(true);
  // Unique keys first: a duplicate (impossible after the checks, but never silently) fails here.
  for (const key of uniqueKeys) await query(key.add_sql);
  for (const index of indexes) await query(index.create_sql);
  for (const key of foreignKeys) await query(key.add_sql);
  return { result, isBulk: true };
}
