// The Citus layout (docs/scaling.md): which tables are distributed by customer, which are
// replicated reference tables, and the rules Citus imposes on their keys, checked against the
// live catalog (pg_constraint, pg_index) so a migration that breaks them fails a test.
// Every table not listed stays a local table on the coordinator.
import type { Query } from "./client.ts";

/** Distributed tables and their distribution column (all co-located: the customer's id). */
export const DISTRIBUTED_TABLES: Readonly<Record<string, string>> = {
  customers: "id",
  orders: "customer_id",
  customer_rollups: "customer_id",
  customer_day_activity: "customer_id",
  customer_scores: "customer_id",
  segment_members: "customer_id",
  campaign_assignments: "customer_id",
  campaign_deliveries: "customer_id",
  loyalty_point_entries: "customer_id",
  loyalty_stamp_entries: "customer_id",
  loyalty_stamp_cards: "customer_id",
};

/** Small, read-everywhere tables copied to every node; distributed tables may refer to them. */
export const REFERENCE_TABLES: readonly string[] = [
  "users",
  "settings",
  "segments",
  "snapshots",
  "segment_stats",
  "campaigns",
  "campaign_results",
  "campaign_events",
  "channel_spend",
  "import_runs",
  "loyalty_programmes",
  "loyalty_point_rules",
  "loyalty_stamp_rules",
];

/**
 * Unique keys of distributed tables that cannot include the customer: shop-wide external ids,
 * which imports look up and upsert by. Under Citus each moves to a lookup table distributed by the
 * external id (docs/scaling.md#global-keys); until then they are the documented exceptions, and
 * any other unique key without the distribution column fails the check.
 */
export const GLOBAL_KEY_EXCEPTIONS: Readonly<Record<string, string>> = {
  customers_external_id_unique: "a customer's id in the shop's systems is unique across customers; imports upsert by it",
  orders_external_id_unique: "an order's id is unique across the shop; a re-import may move an order to another customer",
};

export type TableClass = "distributed" | "reference" | "local";

export function tableClass(table: string): TableClass {
  if (table in DISTRIBUTED_TABLES) return "distributed";
  if (REFERENCE_TABLES.includes(table)) return "reference";
  return "local";
}

export interface CitusProblem {
  table: string;
  constraint: string;
  problem: string;
}

interface UniqueRow {
  table: string;
  name: string;
  columns: string[];
}

interface ForeignKeyRow {
  table: string;
  name: string;
  columns: string[];
  referenced: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

/** Unique indexes (primary keys and unique constraints included) of top-level tables in the current schema. */
async function uniqueKeys(query: Query): Promise<UniqueRow[]> {
  return query<UniqueRow>(
    `select t.relname as "table", i.relname as name,
            array(select coalesce(a.attname, '(expression)') from unnest(x.indkey) with ordinality k(attnum, n)
                  left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n) as columns
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
      where x.indisunique and t.relnamespace = to_regnamespace(current_schema())::oid and not t.relispartition
      order by 1, 2`,
  );
}

async function foreignKeys(query: Query): Promise<ForeignKeyRow[]> {
  return query<ForeignKeyRow>(
    `select t.relname as "table", c.conname as name, r.relname as referenced,
            array(select a.attname from unnest(c.conkey) with ordinality k(attnum, n) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum order by k.n) as columns,
            array(select a.attname from unnest(c.confkey) with ordinality k(attnum, n) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.attnum order by k.n) as "referencedColumns",
            c.confdeltype as "onDelete", c.confupdtype as "onUpdate"
       from pg_constraint c
       join pg_class t on t.oid = c.conrelid
       join pg_class r on r.oid = c.confrelid
      where c.contype = 'f' and t.relnamespace = to_regnamespace(current_schema())::oid and not t.relispartition
        and c.conparentid = 0
      order by 1, 2`,
  );
}

/**
 * What Citus would refuse in the current schema: a unique key of a distributed table without its
 * distribution column; a foreign key between distributed tables that does not join on the
 * distribution columns; one from a distributed or reference table to a local table, or from a
 * reference or local table to a distributed one; SET NULL / SET DEFAULT on a distribution column.
 */
export async function citusProblems(query: Query): Promise<CitusProblem[]> {
  const problems: CitusProblem[] = [];
  for (const key of await uniqueKeys(query)) {
    const column = DISTRIBUTED_TABLES[key.table];
    if (!column || key.columns.includes(column) || key.name in GLOBAL_KEY_EXCEPTIONS) continue;
    problems.push({
      table: key.table,
      constraint: key.name,
      problem: `unique key (${key.columns.join(", ")}) of a table distributed by ${column} lacks ${column}: add it, or move the key to a lookup table`,
    });
  }
  for (const fk of await foreignKeys(query)) {
    const from = tableClass(fk.table);
    const to = tableClass(fk.referenced);
    const say = (problem: string) => problems.push({ table: fk.table, constraint: fk.name, problem });
    if (from === "distributed" && to === "distributed") {
      const i = fk.columns.indexOf(DISTRIBUTED_TABLES[fk.table] as string);
      if (i < 0 || fk.referencedColumns[i] !== DISTRIBUTED_TABLES[fk.referenced]) {
        say(`foreign key (${fk.columns.join(", ")}) → ${fk.referenced}(${fk.referencedColumns.join(", ")}) does not join the distribution columns, so Citus cannot enforce it across shards`);
      }
    } else if (from !== "local" && to === "local") {
      say(`a ${from} table refers to the local table ${fk.referenced}: make ${fk.referenced} a reference table or drop the key`);
    } else if (from !== "distributed" && to === "distributed") {
      say(`a ${from} table refers to the distributed table ${fk.referenced}: Citus supports foreign keys into distributed tables only from co-located distributed tables`);
    }
    const distributionColumn = DISTRIBUTED_TABLES[fk.table];
    if (distributionColumn && fk.columns.includes(distributionColumn) && (["n", "d"].includes(fk.onDelete) || ["n", "d"].includes(fk.onUpdate))) {
      say(`ON DELETE/UPDATE SET NULL or SET DEFAULT on the distribution column ${distributionColumn} is not supported by Citus`);
    }
  }
  return problems;
}

/** The statements that distribute this schema on a Citus coordinator (docs/scaling.md prints them). */
export function citusDistributionSql(): string[] {
  const [first, ...rest] = Object.entries(DISTRIBUTED_TABLES);
  return [
    ...REFERENCE_TABLES.map((t) => `SELECT create_reference_table('${t}');`),
    `SELECT create_distributed_table('${first?.[0]}', '${first?.[1]}');`,
    ...rest.map(([t, c]) => `SELECT create_distributed_table('${t}', '${c}', colocate_with => '${first?.[0]}');`),
  ];
}
