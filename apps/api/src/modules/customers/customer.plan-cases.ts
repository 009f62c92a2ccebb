// The lists the API offers, each with the index that must serve it as a top-N. One list of cases
// serves the plan test (small data, planner pushed towards indexes) and `pnpm bench:plans`
// (EXPLAIN ANALYZE on a large database, planner left alone).
import type { Query } from "@ltvloop/db/client";
import { ServingCache } from "../../serving-cache.ts";
import { CustomerSortField, SortDirection } from "./customer.input.ts";
import { builtInRfmMemoKey, listCustomers } from "./customer.service.ts";
import { listOrders, ordersForCustomers } from "./order.service.ts";

export interface PlanContext {
  snapshot: { id: number; asOf: Date };
  /** A segment of the snapshot (its members are listed). */
  segmentId: number;
  /** A few customer ids that have orders. */
  customerIds: number[];
  /** A search a person would type: one customer's external id. */
  search: string;
  /**
   * A new server cache that already knows the built-in segments of these RFM segments (looked up
   * with real statements: an explained lookup would find nothing). New for each list, because an
   * explained count would be remembered as 0.
   */
  cacheFor: (rfmSegments: string[]) => Promise<ServingCache>;
}

export interface PlanCase {
  name: string;
  run: (query: Query, ctx: PlanContext) => Promise<unknown>;
  /** The index the page must read (null: only the absence of a big sort is required). */
  index: string | null;
  /** Its copy on a partition, for partitioned tables. */
  partitionPattern?: RegExp;
  /** Whether the statement also counts all matches (`totalCount` selected). */
  counts: boolean;
}

const CLV_INDEX_ON_PARTITION = /^customer_scores_\d+_coalesce_customer_id_idx$/;
const MEMBERS_CLV_INDEX_ON_PARTITION = /^segment_members_\d+_segment_id_coalesce_customer_id_idx$/;
const byClv = { field: CustomerSortField.PREDICTED_CLV, direction: SortDirection.DESC };
const threeSegments = { rfmSegments: ["at_risk", "loyal", "champions"] };

export const PLAN_CASES: PlanCase[] = [
  {
    name: "customers of 3 RFM segments by predicted CLV",
    run: async (query, { snapshot, cacheFor }) =>
      listCustomers(query, { first: 50, filter: threeSegments, orderBy: byClv, snapshot, cache: await cacheFor(threeSegments.rfmSegments), withCount: false }),
    index: "segment_members_clv_idx",
    partitionPattern: MEMBERS_CLV_INDEX_ON_PARTITION,
    counts: false,
  },
  {
    name: "the same list with totalCount",
    run: async (query, { snapshot, cacheFor }) =>
      listCustomers(query, { first: 50, filter: threeSegments, orderBy: byClv, snapshot, cache: await cacheFor(threeSegments.rfmSegments), withCount: true }),
    index: "segment_members_clv_idx",
    partitionPattern: MEMBERS_CLV_INDEX_ON_PARTITION,
    counts: true,
  },
  {
    name: "customers of the top five deciles by predicted CLV",
    run: (query, { snapshot }) => listCustomers(query, { first: 50, filter: { decileMax: 5 }, orderBy: byClv, snapshot, withCount: false }),
    index: "customer_scores_clv_idx",
    partitionPattern: CLV_INDEX_ON_PARTITION,
    counts: false,
  },
  {
    name: "customers of one RFM segment by predicted CLV",
    run: async (query, { snapshot, cacheFor }) =>
      listCustomers(query, { first: 50, filter: { rfmSegments: ["at_risk"] }, orderBy: byClv, snapshot, cache: await cacheFor(["at_risk"]), withCount: false }),
    index: "segment_members_clv_idx",
    partitionPattern: MEMBERS_CLV_INDEX_ON_PARTITION,
    counts: false,
  },
  {
    name: "a segment's members by predicted CLV",
    run: (query, { snapshot, segmentId }) => listCustomers(query, { first: 50, orderBy: byClv, snapshot, segmentId, withCount: false }),
    index: "segment_members_clv_idx",
    partitionPattern: MEMBERS_CLV_INDEX_ON_PARTITION,
    counts: false,
  },
  {
    name: "the same members with totalCount",
    run: (query, { snapshot, segmentId }) => listCustomers(query, { first: 50, orderBy: byClv, snapshot, segmentId, withCount: true }),
    index: "segment_members_clv_idx",
    partitionPattern: MEMBERS_CLV_INDEX_ON_PARTITION,
    counts: true,
  },
  {
    name: "all customers by external id",
    run: (query, { snapshot }) => listCustomers(query, { first: 50, snapshot, withCount: false }),
    index: "customers_external_id_unique",
    counts: false,
  },
  {
    name: "all customers by name",
    run: (query, { snapshot }) =>
      listCustomers(query, { first: 50, snapshot, orderBy: { field: CustomerSortField.NAME, direction: SortDirection.ASC }, withCount: false }),
    index: "customers_name_idx",
    counts: false,
  },
  {
    name: "search by text, with totalCount",
    run: (query, { snapshot, search }) => listCustomers(query, { first: 50, filter: { search }, snapshot, withCount: true }),
    index: "customers_external_id_trgm_idx",
    counts: true,
  },
  {
    name: "orders newest first",
    run: (query) => listOrders(query, 20, null, null, false),
    index: "orders_ordered_at_idx",
    counts: false,
  },
  {
    name: "one customer's orders newest first",
    run: (query, { customerIds }) => listOrders(query, 20, null, { customerId: String(customerIds[0]) }, false),
    index: "orders_customer_ordered_at_idx",
    counts: false,
  },
  {
    name: "last orders of a page of customers",
    run: (query, { customerIds }) => ordersForCustomers(query, customerIds, 10, null),
    index: "orders_customer_ordered_at_idx",
    counts: false,
  },
];

/**
 * The context on a database with at least one succeeded snapshot. The segment is the largest of
 * the snapshot, which for RFM segments is the lowest in CLV ("lost"): the hardest list to serve
 * from the top of an index over all scores.
 */
export async function planContext(query: Query): Promise<PlanContext> {
  const [snap] = await query<{ id: number; as_of: Date }>(
    "select id, as_of from snapshots where status = 'succeeded' order by id desc limit 1",
  );
  if (!snap) throw new Error("The database has no succeeded snapshot: run `ltvloop snapshot` (or seed the demo) first.");
  const [segment] = await query<{ id: number }>(
    "select segment_id as id from segment_stats where snapshot_id = $1 order by customers desc, segment_id limit 1",
    [snap.id],
  );
  const customers = await query<{ id: number; external_id: string }>(
    `select r.customer_id as id, c.external_id from customer_rollups r join customers c on c.id = r.customer_id
      where r.order_count > 0 order by r.customer_id limit 3`,
  );
  if (!segment || customers.length === 0) throw new Error("The snapshot has no segment members or the database no orders.");
  const snapshot = { id: Number(snap.id), asOf: new Date(snap.as_of) };
  // The built-in segments are looked up here, outside any transaction (PGlite has one
  // connection: a lookup from inside the explaining transaction would wait for it forever).
  const known = new ServingCache(query);
  for (const keys of [threeSegments.rfmSegments, ["at_risk"]]) {
    await listCustomers(query, { first: 1, filter: { rfmSegments: keys }, orderBy: byClv, snapshot, cache: known, withCount: false });
  }
  const cacheFor = async (rfmSegments: string[]) => {
    const cache = new ServingCache(query);
    const key = builtInRfmMemoKey(snapshot.id, rfmSegments);
    cache.storeCount(key, known.count(key), cache.snapshotGenerationNow());
    return cache;
  };
  return {
    snapshot,
    cacheFor,
    segmentId: Number(segment.id),
    customerIds: customers.map((c) => Number(c.id)),
    search: customers[0]?.external_id as string,
  };
}
