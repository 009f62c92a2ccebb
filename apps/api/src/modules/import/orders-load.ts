// Writing validated, staged orders into `orders` with set-based statements: an upsert on
// external_id, or in bulk mode (a load at least as large as the table, see bulk.ts) an update
// of the orders that exist and an insert of the rest, with the table's indexes and keys rebuilt
// once afterwards.
import { writeTable } from "./bulk.ts";
import type { ImportContext } from "./staging.ts";

export interface LoadedOrders {
  inserted: number;
  updated: number;
  /** Customers whose orders changed, including those an order moved away from. */
  customerIds: number[];
  isBulk: boolean;
}

const CHANGED = (o: string, s: string) =>
  `(${o}.customer_id, ${o}.ordered_at, ${o}.amount, ${o}.currency, ${o}.gross_margin, ${o}.status, ${o}.channel, ${o}.items)
   is distinct from
   (${s}.customer_id, ${s}.ordered_at, ${s}.amount, ${s}.currency, ${s}.gross_margin, ${s}.status, ${s}.channel, ${s}.items)`;

interface Written {
  inserted: number;
  updated: number;
  ids: number[];
}

/** Row by row: one upsert; rows go in customer and time order, which keeps index insertions local. */
async function upsert(ctx: ImportContext, stage: string): Promise<Written> {
  const [merged] = await ctx.query<Written>(
    `with merged as (
       insert into orders as o (external_id, customer_id, ordered_at, amount, currency, gross_margin, status, channel, items)
       select s.external_id, c.id, s.ordered_at, s.amount, s.currency, s.gross_margin, s.status, s.channel, s.items
         from ${stage} s join customers c on c.external_id = s.customer_external_id
        order by c.id, s.ordered_at
       on conflict (external_id) do update set
         customer_id = excluded.customer_id, ordered_at = excluded.ordered_at, amount = excluded.amount,
         currency = excluded.currency, gross_margin = excluded.gross_margin, status = excluded.status,
         channel = excluded.channel, items = excluded.items
       where ${CHANGED("o", "excluded")}
       returning o.customer_id, (o.xmax = 0) as is_insert)
     select count(*) filter (where is_insert)::int as inserted, count(*) filter (where not is_insert)::int as updated,
            coalesce(array_agg(distinct customer_id), '{}') as ids
       from merged`,
  );
  return { inserted: merged?.inserted ?? 0, updated: merged?.updated ?? 0, ids: merged?.ids ?? [] };
}

/**
 * Bulk mode (no unique index to arbitrate): update the orders that exist, insert the others.
 * `existing` (staged line → stored order id, made while the indexes were there) drives both, so
 * no statement looks orders up by external_id while the table grows.
 */
async function updateThenInsert(ctx: ImportContext, stage: string, stagedRows: number, existing: string, existingRows: number): Promise<Written> {
  // A first load has no stored orders: a plain insert (an anti-join against an empty table is
  // planned as a nested loop over it, a scan per staged row).
  const [updated] = existingRows === 0 ? [] : await ctx.query<{ n: number; ids: number[] }>(
    `with changed as (
       update orders o set
         customer_id = s.customer_id, ordered_at = s.ordered_at, amount = s.amount, currency = s.currency,
         gross_margin = s.gross_margin, status = s.status, channel = s.channel, items = s.items
       from (select e.order_id, s.*, c.id as customer_id
               from ${existing} e join ${stage} s on s.line = e.line join customers c on c.external_id = s.customer_external_id) s
       where o.id = s.order_id and ${CHANGED("o", "s")}
       returning o.customer_id)
     select count(*)::int as n, coalesce(array_agg(distinct customer_id), '{}') as ids from changed`,
  );
  // No RETURNING: handing every inserted row back for its customer took as long as the insert.
  // Every staged row not in `existing` is inserted (unknown customers were refused or skipped),
  // and the customers are those of the staged rows (a superset when some rows were unchanged,
  // which the rollup refresh leaves as they are).
  await ctx.query(
    `insert into orders (external_id, customer_id, ordered_at, amount, currency, gross_margin, status, channel, items)
     select s.external_id, c.id, s.ordered_at, s.amount, s.currency, s.gross_margin, s.status, s.channel, s.items
       from ${stage} s join customers c on c.external_id = s.customer_external_id
      ${existingRows === 0 ? "" : `where not exists (select 1 from ${existing} e where e.line = s.line)`}`,
  );
  const inserted = stagedRows - existingRows;
  const [staged] = inserted === 0 ? [] : await ctx.query<{ ids: number[] }>(
    `select coalesce(array_agg(c.id), '{}') as ids from customers c where c.external_id in (select customer_external_id from ${stage})`,
  );
  return { inserted, updated: updated?.n ?? 0, ids: [...(updated?.ids ?? []), ...(staged?.ids ?? [])] };
}

/**
 * Writes the staged orders (see the file comment). `refuseDuplicates`, when given, checks the
 * stage for external ids that appear twice and throws the rejection if there are any: the stage
 * has not been checked for them yet. Row by row it runs first; in bulk mode it runs only when
 * two staged rows match one stored order or rebuilding the unique key fails on two new ones
 * (the write is undone to a savepoint first), so a clean bulk load never pays for it.
 */
export async function loadOrders(ctx: ImportContext, stage: string, stagedRows: number, refuseDuplicates?: () => Promise<void>): Promise<LoadedOrders> {
  // An order moved to another customer changes the old customer's rollup too.
  const [moved] = await ctx.query<{ ids: number[] }>(
    `select coalesce(array_agg(distinct o.customer_id), '{}') as ids
       from ${stage} s
       join orders o on o.external_id = s.external_id
       join customers c on c.external_id = s.customer_external_id
      where o.customer_id <> c.id`,
  );
  const existing = ctx.tempName("existing");
  let existingRows = 0;
  const write = () =>
    writeTable(
      ctx,
      "orders",
      stagedRows,
      async (bulk) => {
        if (bulk) return updateThenInsert(ctx, stage, stagedRows, existing, existingRows);
        await refuseDuplicates?.();
        return upsert(ctx, stage);
      },
      {
        dropUnique: true,
        inserted: (written) => written.inserted,
        // Runs before the indexes go: which staged rows are stored orders already.
        prepare: async () => {
          await ctx.query(
            `create temp table ${existing} on commit drop as
             select s.line, o.id as order_id from ${stage} s join orders o on o.external_id = s.external_id`,
          );
          await ctx.query(`analyze ${existing}`);
          const [counted] = await ctx.query<{ n: number; twice: boolean }>(
            `select count(*)::int as n, count(*) > count(distinct order_id) as twice from ${existing}`,
          );
          existingRows = counted?.n ?? 0;
          if (counted?.twice) await refuseDuplicates?.();
        },
      },
    );
  const { result, isBulk } = refuseDuplicates ? await findingDuplicates(ctx, write, refuseDuplicates) : await write();
  const customerIds = [...new Set([...(moved?.ids ?? []), ...result.ids].map(Number))];
  return { inserted: result.inserted, updated: result.updated, customerIds, isBulk };
}

/** Runs `write` to a savepoint; a unique violation (two new rows with one id) is undone and refused with its lines. */
async function findingDuplicates<T>(ctx: ImportContext, write: () => Promise<T>, refuseDuplicates: () => Promise<void>): Promise<T> {
  await ctx.query("savepoint import_orders_write");
  try {
    const result = await write();
    await ctx.query("release savepoint import_orders_write");
    return result;
  } catch (error) {
    if ((error as { code?: string }).code !== "23505") throw error;
    await ctx.query("rollback to savepoint import_orders_write");
    await refuseDuplicates();
    throw error;
  }
}
