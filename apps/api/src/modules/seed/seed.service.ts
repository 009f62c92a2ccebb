import type { Database, DbHandle, Query } from "@ltvloop/db/client";
import { importRuns, ROLES, users as usersTable, type Role } from "@ltvloop/db/schema";
import { and, eq, inArray } from "drizzle-orm";
import { conflict } from "../../errors.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { seedDemoLoyalty } from "../loyalty/loyalty-demo.ts";
import { refreshRollups } from "../orders/rollups.service.ts";
import { getSettings } from "../settings/settings.service.ts";
import { generateDemoCustomers, type DemoCustomer, type DemoOptions } from "./demo-data.ts";
import { ACQUISITION_CHANNELS } from "./demo-names.ts";
import type { Progress } from "../../cli/progress.ts";

/** Customers written per statement pair; keeps each batch's arrays well under a few MB. */
const BATCH_CUSTOMERS = 2_000;

export interface SeedResult {
  customers: number;
  orders: number;
  users: { email: string; role: Role }[];
  seconds: number;
}

export const demoUserEmail = (role: Role) => `${role}@example.com`;

const DATA_TABLES = [
  "loyalty_stamp_cards",
  "loyalty_stamp_entries",
  "loyalty_point_entries",
  "loyalty_stamp_rules",
  "loyalty_point_rules",
  "loyalty_programmes",
  "campaign_events",
  "campaign_results",
  "campaign_assignments",
  "campaigns",
  "segment_members",
  "segments",
  "customer_scores",
  "snapshots",
  "customer_day_activity",
  "customer_rollups",
  "orders",
  "customers",
  "channel_spend",
  // What earlier imports covered describes orders a reset deletes.
  "import_runs",
];

/** How the demo data appears in the import history (where a file's name would be). */
export const DEMO_IMPORT_LABEL = "ltvloop seed (demo data)";

export async function countCustomers(query: Query): Promise<number> {
  const [row] = await query<{ n: number }>("select count(*)::int as n from customers");
  return row?.n ?? 0;
}

/** Creates or updates one user per role with the demo password. */
export async function seedDemoUsers(query: Query, password: string): Promise<SeedResult["users"]> {
  const passwordHash = await hashPassword(password);
  const users = ROLES.map((role) => ({ email: demoUserEmail(role), role }));
  await query(
    `insert into users (email, name, password_hash, role)
     select e, n, $3, r from unnest($1::text[], $2::text[], $4::text[]) as t(e, r, n)
     on conflict (email) do update set password_hash = excluded.password_hash, role = excluded.role, is_active = true`,
    [users.map((u) => u.email), users.map((u) => u.role), passwordHash, users.map((u) => `Demo ${u.role}`)],
  );
  return users;
}

/**
 * The demo users that can still sign in with the demo password (active, password unchanged), in
 * role order: what the server prints at each start of an embedded demo.
 */
export async function demoSignIns(db: Database, password: string): Promise<SeedResult["users"]> {
  const rows = await db
    .select({ email: usersTable.email, role: usersTable.role, passwordHash: usersTable.passwordHash })
    .from(usersTable)
    .where(and(inArray(usersTable.email, ROLES.map(demoUserEmail)), eq(usersTable.isActive, true)));
  const usable = await Promise.all(rows.map(async (row) => ((await verifyPassword(row.passwordHash, password)) ? row : undefined)));
  return ROLES.flatMap((role) => usable.filter((row) => row?.role === role).map((row) => ({ email: row!.email, role })));
}

async function writeBatch(query: Query, batch: DemoCustomer[]): Promise<number> {
  const ids = await query<{ id: number; external_id: string }>(
    `insert into customers (external_id, name, email, attributes, acquisition_channel, acquisition_cost,
                            acquired_at, email_opt_in, line_opt_in, sms_opt_in, dm_opt_in, created_at, updated_at)
     select t.*, now(), now()
       from unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::numeric[], $7::timestamptz[],
                   $8::boolean[], $9::boolean[], $10::boolean[], $11::boolean[]) as t
     returning id, external_id`,
    [
      batch.map((c) => c.externalId),
      batch.map((c) => c.name),
      batch.map((c) => c.email),
      batch.map((c) => JSON.stringify(c.attributes)),
      batch.map((c) => c.acquisitionChannel),
      batch.map((c) => c.acquisitionCost),
      batch.map((c) => c.acquiredAt.toISOString()),
      batch.map((c) => c.emailOptIn),
      batch.map((c) => c.lineOptIn),
      batch.map((c) => c.smsOptIn),
      batch.map((c) => c.dmOptIn),
    ],
  );
  const idByExternal = new Map(ids.map((r) => [r.external_id, r.id]));
  const columns = {
    externalId: [] as string[],
    customerId: [] as number[],
    orderedAt: [] as string[],
    amount: [] as number[],
    status: [] as string[],
    channel: [] as string[],
    items: [] as number[],
  };
  for (const customer of batch) {
    const customerId = idByExternal.get(customer.externalId) as number;
    for (const order of customer.orders) {
      columns.externalId.push(order.externalId);
      columns.customerId.push(customerId);
      columns.orderedAt.push(order.orderedAt.toISOString());
      columns.amount.push(order.amount);
      columns.status.push(order.status);
      columns.channel.push(order.channel);
      columns.items.push(order.items);
    }
  }
  await query(
    `insert into orders (external_id, customer_id, ordered_at, amount, status, channel, items)
     select * from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::numeric[], $5::text[], $6::text[], $7::int[])`,
    Object.values(columns),
  );
  return columns.externalId.length;
}

export interface SeedOptions extends DemoOptions {
  /** Demo users' password; users are created when given. */
  demoPassword?: string | undefined;
  /** Delete all customers, orders, scores, segments and campaigns first. */
  reset?: boolean;
  /** Run the demo points programme and stamp card over the history (default true; slow at a million customers). */
  loyalty?: boolean;
  /**
   * Record the demo population in the import history as a customers and an orders run, the
   * orders covering their first order to the as-of (the generator wrote every order up to it):
   * "orders complete up to" is then the as-of instead of unknown, so the scheduler takes final
   * measurements and a later import extends the coverage as any import does. The CLI's demo
   * does; off by default, since a history ending at the as-of makes every measurement of a
   * campaign launched "now" provisional.
   */
  importHistory?: boolean;
  progress: Progress;
}

/**
 * The monthly-spend channels' acquisition cost becomes what ad platforms report: spend per business-time-zone
 * month (the sum of what their customers cost), with no cost on the customers themselves.
 */
async function writeMonthlySpend(query: Query, timeZone: string): Promise<void> {
  const channels = ACQUISITION_CHANNELS.filter((c) => c.isMonthlySpend).map((c) => c.key);
  await query(
    `insert into channel_spend (channel, month, amount, currency)
     select acquisition_channel, date_trunc('month', acquired_at at time zone $2::text)::date, sum(acquisition_cost), 'JPY'
       from customers where acquisition_channel = any($1::text[]) group by 1, 2`,
    [channels, timeZone],
  );
  await query("update customers set acquisition_cost = null where acquisition_channel = any($1::text[])", [channels]);
}

/**
 * Writes the demo population in one transaction, in batches, never holding more than one
 * batch in memory; then rebuilds the rollups. Refuses to mix demo data into a database that
 * already has customers unless `reset` is set.
 */
export async function seedDemoData(handle: DbHandle, options: SeedOptions): Promise<SeedResult> {
  const startedAt = performance.now();
  const result = await handle.transaction(async ({ db, query }) => {
    if (options.reset) {
      await query(`truncate ${DATA_TABLES.join(", ")} restart identity cascade`);
    } else {
      const existing = await countCustomers(query);
      if (existing > 0) {
        throw conflict(
          `The database already has ${existing} customers. Seed an empty database, or pass --reset to delete all customers, orders, scores, segments and campaigns first.`,
          "DATABASE_NOT_EMPTY",
          { customers: existing },
        );
      }
    }
    const settings = await getSettings(query);
    options.progress.start(options.customers, "Seeding customers");
    let customers = 0;
    let orders = 0;
    let firstOrderAt: Date | null = null;
    let batch: DemoCustomer[] = [];
    for (const customer of generateDemoCustomers(options)) {
      const first = customer.orders[0]?.orderedAt;
      if (first && (!firstOrderAt || first < firstOrderAt)) firstOrderAt = first;
      batch.push(customer);
      if (batch.length === BATCH_CUSTOMERS) {
        orders += await writeBatch(query, batch);
        customers += batch.length;
        batch = [];
        options.progress.update(customers);
      }
    }
    if (batch.length > 0) {
      orders += await writeBatch(query, batch);
      customers += batch.length;
      options.progress.update(customers);
    }
    options.progress.stop();
    await writeMonthlySpend(query, settings.timeZone);
    // Every customer is new: both rollup tables are written in bulk, their keys and indexes built once.
    await refreshRollups(query, settings.timeZone, undefined, { bulk: true });
    // The points programme and stamp card, run from the start of the history.
    if (options.loyalty !== false) await seedDemoLoyalty(query, { asOf: options.asOf, years: options.years, timeZone: settings.timeZone });
    const users = options.demoPassword ? await seedDemoUsers(query, options.demoPassword) : [];
    if (options.importHistory) {
      const now = new Date();
      await db.insert(importRuns).values([
        { kind: "customers", rows: customers, inserted: customers, label: DEMO_IMPORT_LABEL, importedAt: now },
        { kind: "orders", rows: orders, inserted: orders, label: DEMO_IMPORT_LABEL, importedAt: now, coveredFrom: firstOrderAt, coveredTo: options.asOf },
      ]);
    }
    await query(
      `insert into audit_log (actor_kind, operation, target_type, details) values ('cli', 'seed.demo', 'customers', $1::jsonb)`,
      [JSON.stringify({ seed: options.seed, customers, orders, asOf: options.asOf.toISOString() })],
    );
    return { customers, orders, users, seconds: (performance.now() - startedAt) / 1000 };
  });
  // Planner statistics for the new rows (PGlite has no autovacuum to gather them).
  await handle.query("analyze customers, orders, customer_rollups, customer_day_activity");
  return result;
}
