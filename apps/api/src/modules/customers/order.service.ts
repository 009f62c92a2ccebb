// Orders as the API reads them: one customer's or many customers' newest orders, and the
// orders list with its count.
import type { Query } from "@ltvloop/db/client";
import { badInput, type FieldProblem } from "../../errors.ts";
import { checkId, checkList } from "../../graphql/bounds.ts";
import { decodeCursor, toConnection, type ConnectionShape } from "../../graphql/connection.ts";
import type { Order } from "./customer.type.ts";
import type { OrderFilter } from "./customer.input.ts";
import { MAINTAINED_COUNT, num, ORDER_COLUMNS, type Row } from "./customer.sql.ts";

export function toOrder(row: Row): Order {
  return {
    id: row.id as number,
    externalId: row.external_id as string,
    customerId: row.customer_id as number,
    orderedAt: row.ordered_at as Date,
    amount: Number(row.amount),
    currency: row.currency as string,
    grossMargin: num(row.gross_margin),
    status: row.status as Order["status"],
    channel: (row.channel as string | null) ?? null,
    items: row.items as number,
  };
}

/**
 * Orders of many customers at once, newest first, `first + 1` per customer after the cursor:
 * one statement for a whole page of customers, each a top-N over (customer_id, ordered_at).
 */
export async function ordersForCustomers(query: Query, customerIds: readonly number[], first: number, after: string | null | undefined): Promise<Row[]> {
  const cursor = decodeCursor(after, 2);
  return query(
    `select o.* from unnest($1::bigint[]) as k(customer_id)
       cross join lateral (
         select ${ORDER_COLUMNS} from orders o
          where o.customer_id = k.customer_id
            ${cursor ? "and (o.ordered_at, o.id) < ($3::timestamptz, $4::bigint)" : ""}
          order by o.ordered_at desc, o.id desc limit $2
       ) o
      order by o.customer_id, o.ordered_at desc, o.id desc`,
    cursor ? [customerIds, first + 1, cursor[0], cursor[1]] : [customerIds, first + 1],
  );
}

export async function orderCounts(query: Query, customerIds: readonly number[]): Promise<Map<number, number>> {
  const rows = await query<{ customer_id: number; n: number }>(
    "select customer_id, count(*)::int as n from orders where customer_id = any($1::bigint[]) group by customer_id",
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, r.n]));
}

/** Orders newest first (a top-N over `orders_ordered_at_idx` or the customer's index), with the count when asked for: one statement. */
export async function listOrders(
  query: Query,
  first: number,
  after: string | null | undefined,
  filter: OrderFilter | null | undefined,
  withCount = true,
): Promise<ConnectionShape<Order>> {
  const problems: FieldProblem[] = [];
  const customerId = checkId(problems, "filter.customerId", filter?.customerId);
  checkList(problems, "filter.statuses", filter?.statuses);
  if (problems.length > 0) throw badInput("The order filter is invalid; fix the fields listed.", problems);
  const params: unknown[] = [];
  const conditions: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (customerId !== null) conditions.push(`o.customer_id = ${p(customerId)}`);
  if (filter?.from) conditions.push(`o.ordered_at >= ${p(filter.from.toISOString())}::timestamptz`);
  if (filter?.to) conditions.push(`o.ordered_at < ${p(filter.to.toISOString())}::timestamptz`);
  if (filter?.statuses?.length) conditions.push(`o.status = any(${p(filter.statuses)}::text[])`);
  // Unfiltered, the count is the one triggers maintain (migration 0006), not a scan of every order.
  const countSql = conditions.length
    ? `select count(*)::int as total_count from orders o where ${conditions.join(" and ")}`
    : MAINTAINED_COUNT("orders");
  const cursor = decodeCursor(after, 2);
  if (cursor) conditions.push(`(o.ordered_at, o.id) < (${p(cursor[0])}::timestamptz, ${p(cursor[1])}::bigint)`);
  const pageSql = `select ${ORDER_COLUMNS} from orders o ${conditions.length ? `where ${conditions.join(" and ")}` : ""}
      order by o.ordered_at desc, o.id desc limit ${p(first + 1)}`;
  let rows: Row[];
  let total = 0;
  if (withCount) {
    const joined = await query(
      `select t.total_count, p.* from (${countSql}) t left join lateral (${pageSql}) p on true order by p.ordered_at desc, p.id desc`,
      params,
    );
    total = Number(joined[0]?.total_count ?? 0);
    rows = joined.filter((r) => r.id !== null && r.id !== undefined);
  } else {
    rows = await query(pageSql, params);
  }
  return toConnection(rows, first, total, toOrder, (r) => [(r.ordered_at as Date).toISOString(), r.id as number]);
}
