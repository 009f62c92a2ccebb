import type { DatabaseKind, Query } from "@ltvloop/db/client";

export interface HealthReport {
  status: "ok";
  database: DatabaseKind;
  counts: { customers: number; orders: number };
}

/** Answers from the database itself, so a health check fails when the database does. */
export async function checkHealth(query: Query, database: DatabaseKind): Promise<HealthReport> {
  const [row] = await query<{ customers: number; orders: number }>(
    "select (select count(*) from customers)::int as customers, (select count(*) from orders)::int as orders",
  );
  return { status: "ok", database, counts: { customers: row?.customers ?? 0, orders: row?.orders ?? 0 } };
}
