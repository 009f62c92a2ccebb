// Writing validated, staged orders into `orders` with one set-based upsert. A load at least as
// large as the table already is (a first load, a re-load of everything) is written in bulk
// mode: the secondary indexes are dropped and rebuilt and the foreign keys re-checked once,
// instead of maintaining each of them row by row (PostgreSQL builds an index from a sort in a
// fraction of the time a million single-row insertions take). The unique key on external_id
// stays: it decides insert or update. Everything is in the import's transaction, so a failure
// puts the indexes back as they were.
import type { ImportContext } from "./staging.ts";

/** Smallest load written in bulk mode; smaller ones maintain the indexes row by row. */
export const BULK_MIN_ROWS = 50_000;
/** How long bulk mode waits for readers of `orders` to finish before writing row by row instead. */
export const BULK_LOCK_TIMEOUT = "2s";

export interface LoadedOrders {
  inserted: number;
  updated: number;
  /** Customers whose orders changed, including those an order moved away from. */
  customerIds: number[];
  isBulk: boolean;
}

/** The upsert; rows go in customer and time order, which keeps index and key checks local. */
async function upsert(ctx: ImportContext, stage: string) {
  const [merged] = await ctx.query<{ inserted: number; updated: number; ids: number[] }>(
    `with merged as (
       insert into orders as o (external_id, customer_id, ordered_at, amount, currency, gross_margin, status, channel, items)
       select s.external_id, c.id, s.ordered_at, s.amount, s.currency, s.gross_margin, s.status, s.channel, s.items
         from ${stage} s join customers c on c.external_id = s.customer_external_id
        order by c.id, s.ordered_at
       on conflict (external_id) do update set
         customer_id = excluded.customer_id, ordered_at = excluded.ordered_at, amount = excluded.amount,
         currency = excluded.currency, gross_margin = excluded.gross_margin, status = excluded.status,
         channel = excluded.channel, items = excluded.items
       where (o.customer_id, o.ordered_at, o.amount, o.currency, o.gross_margin, o.status, o.channel, o.items)
             is distinct from
             (excluded.customer_id, excluded.ordered_at, excluded.amount, excluded.currency, excluded.gross_margin,
              excluded.status, excluded.channel, excluded.items)
       returning o.customer_id, (o.xmax = 0) as is_insert)
     select count(*) filter (where is_insert)::int as inserted, count(*) filter (where not is_insert)::int as updated,
            coalesce(array_agg(distinct customer_id), '{}') as ids
       from merged`,
  );
  return { inserted: merged?.inserted ?? 0, updated: merged?.updated ?? 0, ids: merged?.ids ?? [] };
}

/**
 * Takes `orders` for itself when readers let it within BULK_LOCK_TIMEOUT; false (and nothing
 * changed) when they do not.
 */
async function lockForBulk(ctx: ImportContext): Promise<boolean> {
  await ctx.query("savepoint orders_bulk_load");
  try {
    const [was] = await ctx.query<{ timeout: string }>("select current_setting('lock_timeout') as timeout, set_config('lock_timeout', $1, true)", [BULK_LOCK_TIMEOUT]);
    await ctx.query("lock table orders in access exclusive mode");
    await ctx.query("select set_config('lock_timeout', $1, true)", [was?.timeout ?? "0"]);
    await ctx.query("release savepoint orders_bulk_load");
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== "55P03") throw error;
    await ctx.query("rollback to savepoint orders_bulk_load");
    await ctx.query("release savepoint orders_bulk_load");
    return false;
  }
}

/** Writes the staged orders; see the file comment for bulk mode. */
export async function loadOrders(ctx: ImportContext, stage: string, stagedRows: number): Promise<LoadedOrders> {
  const { query } = ctx;
  // An order moved to another customer changes the old customer's rollup too.
  const [moved] = await query<{ ids: number[] }>(
    `select coalesce(array_agg(distinct o.customer_id), '{}') as ids
       from ${stage} s
       join orders o on o.external_id = s.external_id
       join customers c on c.external_id = s.customer_external_id
      where o.customer_id <> c.id`,
  );
  const [existing] = await query<{ n: number }>(`select count(*)::int as n from (select 1 from orders limit $1) o`, [stagedRows]);
  const isBulk = stagedRows >= BULK_MIN_ROWS && (existing?.n ?? 0) < stagedRows && (await lockForBulk(ctx));
  let merged: Awaited<ReturnType<typeof upsert>>;
  if (isBulk) {
    const indexes = await query<{ create_sql: string; drop_sql: string }>(
      `select pg_get_indexdef(i.indexrelid) as create_sql, format('drop index %I.%I', n.nspname, c.relname) as drop_sql
         from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
        where i.indrelid = 'orders'::regclass and not i.indisunique and not i.indisprimary`,
    );
    const foreignKeys = await query<{ add_sql: string; drop_sql: string }>(
      `select format('alter table orders add constraint %I %s', conname, pg_get_constraintdef(oid)) as add_sql,
              format('alter table orders drop constraint %I', conname) as drop_sql
         from pg_constraint where conrelid = 'orders'::regclass and contype = 'f'`,
    );
    for (const statement of [...foreignKeys, ...indexes]) await query(statement.drop_sql);
    merged = await upsert(ctx, stage);
    for (const index of indexes) await query(index.create_sql);
    // Validates every order's customer with one join (the rows came from a join to customers).
    for (const key of foreignKeys) await query(key.add_sql);
    // The rollup refresh that follows plans on these statistics, not on the empty table's.
    await query("analyze orders");
  } else {
    merged = await upsert(ctx, stage);
  }
  const customerIds = [...new Set([...(moved?.ids ?? []), ...merged.ids].map(Number))];
  return { inserted: merged.inserted, updated: merged.updated, customerIds, isBulk };
}
