// Bulk writes: a write at least as large as the table it goes into (a first load, a re-load of
// everything, the rollups of a first load) drops the table's secondary indexes and its own
// foreign keys, writes, then rebuilds the indexes and re-checks the keys once: PostgreSQL builds
// an index from one sort in a fraction of the time a million single-row insertions take, and
// re-adding a foreign key checks every row with one join instead of one lookup per row. The
// primary key and unique keys stay (they decide insert or update, and other tables' keys point
// at them) unless the caller writes without ON CONFLICT (`dropUnique`): then the primary and
// unique keys no other table references are rebuilt too. The definitions are read from the catalog, so they come back
// exactly as the migrations made them, and everything runs in the caller's transaction: a
// failure puts them back as they were. The tables are locked for the rest of the transaction;
// when readers hold them longer than BULK_LOCK_TIMEOUT, the write goes row by row instead.
import type { Query } from "./client.ts";

/** How long bulk mode waits for readers of the tables before writing row by row instead. */
export const BULK_LOCK_TIMEOUT = "2s";

/** Takes `tables` for this transaction when readers let it within BULK_LOCK_TIMEOUT. */
export async function lockForBulk(query: Query, tables: readonly string[]): Promise<boolean> {
  await query("savepoint bulk_lock");
  try {
    const [was] = await query<{ timeout: string }>("select current_setting('lock_timeout') as timeout, set_config('lock_timeout', $1, true)", [BULK_LOCK_TIMEOUT]);
    await query(`lock table ${tables.join(", ")} in access exclusive mode`);
    await query("select set_config('lock_timeout', $1, true)", [was?.timeout ?? "0"]);
    await query("release savepoint bulk_lock");
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "55P03") throw error;
    await query("rollback to savepoint bulk_lock");
    await query("release savepoint bulk_lock");
    return false;
  }
}

/**
 * Drops the secondary indexes and foreign keys of `table` (with `dropUnique`, its unreferenced
 * primary and unique keys too) and returns the function that puts them back; the caller must hold the table
 * (lockForBulk) and write in between.
 */
export async function deferIndexesAndKeys(query: Query, table: string, { dropUnique = false } = {}): Promise<() => Promise<void>> {
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
          where k.conrelid = $1::regclass and k.contype in ('p', 'u')
            and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = k.conrelid and f.conindid = k.conindid)`,
        [table],
      )
    : [];
  for (const statement of [...foreignKeys, ...indexes, ...uniqueKeys]) await query(statement.drop_sql);
  return async () => {
    // Keys first: a duplicate (impossible after the checks, but never silently) fails here.
    for (const key of uniqueKeys) await query(key.add_sql);
    for (const index of indexes) await query(index.create_sql);
    for (const key of foreignKeys) await query(key.add_sql);
  };
}
