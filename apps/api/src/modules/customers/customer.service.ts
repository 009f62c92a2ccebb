import type { Query } from "@ltvloop/db/client";
import { badInput, notFound, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { BOUNDS, checkId, checkList, checkText } from "../../graphql/bounds.ts";
import { decodeCursor, toConnection, type ConnectionShape } from "../../graphql/connection.ts";
import type { ServingCache } from "../../serving-cache.ts";
import type { Customer, CustomerScore } from "./customer.type.ts";
import { ALL_COLUMN_GROUPS, customerColumns, type ColumnGroup } from "./customer.columns.ts";
import { MAINTAINED_COUNT, num, ORDER_COLUMNS, type Row } from "./customer.sql.ts";
import { CustomerSortField, SortDirection, type CustomerFilter, type CustomerOrderBy } from "./customer.input.ts";

/**
 * Sort expressions; `low`/`high` replace nulls so keyset pagination puts them last (columns
 * that are never null sort bare, so their indexes give the order). Served as a top-N over an
 * index: PREDICTED_CLV descending (`customer_scores_clv_idx`, lists filtered on scores or a
 * segment), EXTERNAL_ID and NAME (`customers_external_id_unique`, `customers_name_idx`); the
 * other orders sort the matching rows.
 */
const SORTS: Record<CustomerSortField, { expr: string; type: "numeric" | "timestamptz" | "text"; low: string; high: string; notNull?: boolean }> = {
  PREDICTED_CLV: { expr: "s.predicted_clv", type: "numeric", low: "-1e15", high: "1e15" },
  HISTORICAL_CLV: { expr: "s.historical_clv", type: "numeric", low: "-1e15", high: "1e15" },
  P_ALIVE: { expr: "s.p_alive::numeric", type: "numeric", low: "-1", high: "2" },
  MONETARY: { expr: "s.monetary", type: "numeric", low: "-1e15", high: "1e15" },
  REVENUE: { expr: "r.revenue", type: "numeric", low: "-1e15", high: "1e15" },
  ORDER_COUNT: { expr: "r.order_count::numeric", type: "numeric", low: "-1", high: "1e15" },
  RECENCY_DAYS: { expr: "s.recency_days::numeric", type: "numeric", low: "-1", high: "1e15" },
  LAST_ORDER_AT: { expr: "r.last_order_at", type: "timestamptz", low: "'-infinity'::timestamptz", high: "'infinity'::timestamptz" },
  ACQUIRED_AT: { expr: "c.acquired_at", type: "timestamptz", low: "'-infinity'::timestamptz", high: "'infinity'::timestamptz" },
  EXTERNAL_ID: { expr: "c.external_id", type: "text", low: "''", high: "'\uffff'", notNull: true },
  NAME: { expr: "c.name", type: "text", low: "''", high: "'\uffff'", notNull: true },
};

export function toScore(row: Row, asOf: Date): CustomerScore | null {
  if (row.s_snapshot_id === null || row.s_snapshot_id === undefined) return null;
  return {
    snapshotId: row.s_snapshot_id as number,
    asOf,
    recencyDays: row.s_recency_days as number,
    frequency: row.s_frequency as number,
    monetary: Number(row.s_monetary),
    rScore: row.s_r as number,
    fScore: row.s_f as number,
    mScore: row.s_m as number,
    rfmSegment: row.s_rfm_segment as string,
    decile: row.s_decile as number,
    repeatPurchases: row.s_x as number,
    recencyT: row.s_tx as number,
    ageT: row.s_t as number,
    pAlive: num(row.s_p_alive),
    expectedPurchases: num(row.s_expected_purchases),
    expectedSpend: num(row.s_expected_spend),
    predictedClv: num(row.s_predicted_clv),
    historicalClv: num(row.s_historical_clv),
    revenue: Number(row.s_revenue),
    orderCount: row.s_order_count as number,
  };
}

/**
 * A customer from its row. Fields whose column group the read left out (customerColumns) come
 * back empty; they are the fields the GraphQL selection did not ask for, so nothing reads them.
 */
export function toCustomer(row: Row, asOf: Date | null): Customer {
  const attributes = (row.attributes as Record<string, unknown>) ?? {};
  return {
    id: row.id as number,
    externalId: row.external_id as string,
    name: row.name as string,
    email: (row.email as string | null) ?? null,
    attributes,
    prefecture: typeof attributes.prefecture === "string" ? attributes.prefecture : null,
    acquisitionChannel: (row.acquisition_channel as string | null) ?? null,
    acquisitionCost: num(row.acquisition_cost),
    acquiredAt: (row.acquired_at as Date | null) ?? null,
    emailOptIn: row.email_opt_in as boolean,
    lineOptIn: row.line_opt_in as boolean,
    smsOptIn: row.sms_opt_in as boolean,
    dmOptIn: row.dm_opt_in as boolean,
    firstOrderAt: (row.first_order_at as Date | null) ?? null,
    lastOrderAt: (row.last_order_at as Date | null) ?? null,
    orderCount: Number(row.order_count),
    revenue: Number(row.revenue),
    score: asOf ? toScore(row, asOf) : null,
  };
}

/** Which table a filter condition reads: lists join only what their conditions need. */
export type ConditionSource = "score" | "segment" | "customer" | "rollup";
export interface Condition {
  sql: string;
  on: ConditionSource;
  /** The segment condition's parameter (`$n`), for lists that read the segment's members first. */
  segmentParam?: string;
  /** The RFM segment keys' parameter (`$n`), for counts from the kept segment stats. */
  rfmParam?: string;
}

/** Builds the WHERE conditions of a customer filter; parameters are appended to `params`. */
export function filterConditions(filter: CustomerFilter | null | undefined, params: unknown[]): Condition[] {
  const conditions: Condition[] = [];
  if (!filter) return conditions;
  const problems: FieldProblem[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const add = (on: ConditionSource, sql: string) => conditions.push({ on, sql });
  const range = (name: string, min: number | null | undefined, max: number | null | undefined) => {
    if (min !== null && min !== undefined && max !== null && max !== undefined && min > max) {
      problems.push(fieldProblem(`filter.${name}Min`, "MIN_ABOVE_MAX", { other: `${name}Max`, field: name, min, max }));
    }
  };
  checkText(problems, "filter.search", filter.search, BOUNDS.searchLength);
  checkList(problems, "filter.rfmSegments", filter.rfmSegments);
  checkList(problems, "filter.prefectures", filter.prefectures);
  checkList(problems, "filter.acquisitionChannels", filter.acquisitionChannels);
  const segmentId = checkId(problems, "filter.segmentId", filter.segmentId);
  if (problems.length > 0) throw badInput("The customer filter is invalid; fix the fields listed.", problems);

  if (segmentId !== null) {
    const param = p(segmentId);
    conditions.push({
      on: "segment",
      segmentParam: param,
      sql: `exists (select 1 from segment_members m where m.segment_id = ${param} and m.snapshot_id = s.snapshot_id and m.customer_id = s.customer_id)`,
    });
  }
  if (filter.rfmSegments?.length) {
    const param = p(filter.rfmSegments);
    conditions.push({ on: "score", rfmParam: param, sql: `s.rfm_segment = any(${param}::text[])` });
  }
  range("decile", filter.decileMin, filter.decileMax);
  if (filter.decileMin != null) add("score", `s.decile >= ${p(filter.decileMin)}`);
  if (filter.decileMax != null) add("score", `s.decile <= ${p(filter.decileMax)}`);
  range("predictedClv", filter.predictedClvMin, filter.predictedClvMax);
  if (filter.predictedClvMin != null) add("score", `s.predicted_clv >= ${p(filter.predictedClvMin)}`);
  if (filter.predictedClvMax != null) add("score", `s.predicted_clv <= ${p(filter.predictedClvMax)}`);
  range("pAlive", filter.pAliveMin, filter.pAliveMax);
  if (filter.pAliveMin != null) add("score", `s.p_alive >= ${p(filter.pAliveMin)}`);
  if (filter.pAliveMax != null) add("score", `s.p_alive <= ${p(filter.pAliveMax)}`);
  if (filter.lastPurchaseFrom) add("rollup", `r.last_order_at >= ${p(filter.lastPurchaseFrom.toISOString())}::timestamptz`);
  if (filter.lastPurchaseTo) add("rollup", `r.last_order_at < ${p(filter.lastPurchaseTo.toISOString())}::timestamptz`);
  if (filter.prefectures?.length) add("customer", `(c.attributes->>'prefecture') = any(${p(filter.prefectures)}::text[])`);
  if (filter.acquisitionChannels?.length) add("customer", `c.acquisition_channel = any(${p(filter.acquisitionChannels)}::text[])`);
  if (filter.search?.trim()) {
    // Served by the trigram indexes of migration 0006 (three characters or more).
    const pattern = p(`%${filter.search.trim().replace(/[\\%_]/g, "\\$&")}%`);
    add("customer", `(c.name ilike ${pattern} or c.email ilike ${pattern} or c.external_id ilike ${pattern})`);
  }
  if (problems.length > 0) throw badInput("The customer filter is invalid; fix the fields listed.", problems);
  return conditions;
}

export interface ListCustomersArgs {
  first: number;
  after?: string | null;
  filter?: CustomerFilter | null;
  orderBy?: CustomerOrderBy | null;
  /** Snapshot whose scores are joined (and filtered on); null = no scores. */
  snapshot: { id: number; asOf: Date } | null;
  /** Only members of this segment in the snapshot. */
  segmentId?: number;
  /** Count all matches (`totalCount` was selected); otherwise only the page is read. */
  withCount?: boolean;
  /** Remembers counts over a snapshot's scores, which never change once published. */
  cache?: ServingCache;
  /** The column groups to read (default all): see columnGroupsFor. */
  columns?: ReadonlySet<ColumnGroup>;
}

/**
 * A page of customers with their scores, and the count of all matches when asked for: one
 * statement. Lists filtered on scores start from the snapshot's scores, so a list by predicted
 * CLV reads the top of `customer_scores_clv_idx` instead of sorting the snapshot; counts that
 * depend only on the snapshot's scores are counted once per process (see serving-cache.ts).
 */
export async function listCustomers(query: Query, args: ListCustomersArgs): Promise<ConnectionShape<Customer>> {
  const orderBy = args.orderBy ?? { field: CustomerSortField.EXTERNAL_ID, direction: SortDirection.ASC };
  const sort = SORTS[orderBy.field];
  const desc = orderBy.direction === SortDirection.DESC;
  const dir = desc ? "desc" : "asc";
  const params: unknown[] = [args.snapshot?.id ?? null];
  // Whole RFM segments by predicted CLV are read from their built-in segments' members (see
  // builtInRfmSegments): one segment as a segment; several, when nothing else filters, merged
  // from the top of each one's members.
  const builtIns = orderBy.field === CustomerSortField.PREDICTED_CLV && desc ? await builtInRfmSegments(query, args) : null;
  const single = builtIns?.length === 1 ? builtIns[0] : undefined;
  const filter = single !== undefined ? { ...args.filter, rfmSegments: undefined, segmentId: String(single) } : args.filter;
  const filtered = filterConditions({ ...filter, ...(args.segmentId ? { segmentId: String(args.segmentId) } : {}) }, params);
  const merged = builtIns && builtIns.length > 1 && filtered.length === 1 && filtered[0]?.rfmParam ? builtIns : null;
  const onScores = filtered.some((c) => c.on === "score" || c.on === "segment");
  if (args.snapshot === null && onScores) {
    // Score filters without a snapshot would silently match nothing.
    throw badInput("Score filters need a snapshot, and none has been computed yet. Create one with `createSnapshot`.", [], "NO_SNAPSHOT_YET");
  }
  // A segment's members by predicted CLV, highest first, start from the members: their copy of
  // the CLV puts the page at the top of `segment_members_clv_idx` (walking every score by CLV
  // and probing membership reads most of the snapshot for a large, low-CLV segment).
  const segment = filtered.find((c) => c.segmentParam !== undefined);
  const byMembers = segment !== undefined && orderBy.field === CustomerSortField.PREDICTED_CLV && desc;
  const conditions = byMembers ? filtered.filter((c) => c !== segment) : filtered;
  const sortExpr =
    byMembers || merged ? "coalesce(m.predicted_clv, -1e15)" : sort.notNull ? sort.expr : `coalesce(${sort.expr}, ${desc ? sort.low : sort.high})`;
  const needs = (on: ConditionSource) => conditions.some((c) => c.on === on);
  // Score-filtered lists hold only scored customers, so they start from the snapshot's scores.
  const idColumn = byMembers || merged ? "m.customer_id" : onScores ? "s.customer_id" : "c.id";
  const members = "segment_members m";
  const scoresOfMembers = "join customer_scores s on s.snapshot_id = m.snapshot_id and s.customer_id = m.customer_id";
  const ofMembers = `${scoresOfMembers} join customers c on c.id = m.customer_id left join customer_rollups r on r.customer_id = m.customer_id`;
  const pageFrom = merged
    ? `from (${MERGED_MEMBERS}) m ${ofMembers}`
    : byMembers
    ? `from ${members} ${ofMembers}`
    : onScores
      ? `from customer_scores s join customers c on c.id = s.customer_id left join customer_rollups r on r.customer_id = s.customer_id`
      : `from customers c left join customer_rollups r on r.customer_id = c.id left join customer_scores s on s.customer_id = c.id and s.snapshot_id = $1`;
  const countFrom = byMembers
    ? `from ${members} ${needs("score") ? scoresOfMembers : ""} ${needs("customer") ? "join customers c on c.id = m.customer_id" : ""} ${needs("rollup") ? "left join customer_rollups r on r.customer_id = m.customer_id" : ""}`
    : onScores
      ? `from customer_scores s ${needs("customer") ? "join customers c on c.id = s.customer_id" : ""} ${needs("rollup") ? "left join customer_rollups r on r.customer_id = s.customer_id" : ""}`
      : `from customers c ${needs("rollup") ? "left join customer_rollups r on r.customer_id = c.id" : ""}`;
  const where = [
    ...(byMembers ? [`m.segment_id = ${segment?.segmentParam}`, "m.snapshot_id = $1"] : onScores ? ["s.snapshot_id = $1"] : []),
    ...conditions.map((c) => c.sql),
  ];
  const counted = `select count(*)::int as total_count ${countFrom} where ${where.join(" and ")}`;
  // A whole segment's count, and the count of whole RFM segments, are kept with the members
  // (segment_stats, for each built-in RFM segment too); counted when they are not kept.
  const rfm = conditions.length === 1 && !byMembers ? conditions[0]?.rfmParam : undefined;
  const countSql = !where.length
    ? MAINTAINED_COUNT("customers")
    : byMembers && conditions.length === 0
      ? `select coalesce((select st.customers from segment_stats st where st.segment_id = ${segment?.segmentParam} and st.snapshot_id = $1),
                         (${counted.replace(" as total_count", "")})) as total_count`
      : rfm
        ? `select coalesce((select sum(st.customers)::int from segments g join segment_stats st on st.segment_id = g.id and st.snapshot_id = $1
                             where g.kind = 'rfm' and g.definition->>'rfmSegment' = any(${rfm}::text[])
                            having count(*) = cardinality(${rfm}::text[])),
                           (${counted.replace(" as total_count", "")})) as total_count`
        : counted;

  // A snapshot's scores never change once published: such counts are remembered.
  const memoKey = onScores && filtered.every((c) => c.on === "score") ? `customers:${countSql}:${JSON.stringify(params)}` : null;
  const generation = args.cache?.snapshotGenerationNow() ?? 0;
  let total = memoKey ? args.cache?.count(memoKey) : undefined;
  const count = args.withCount !== false && total === undefined;

  // Merged members are taken from their segments inside each branch; the RFM condition, true
  // of all of them, stays outside (it also types its parameter when the count is remembered).
  const pageWhere = merged ? conditions.map((c) => c.sql) : [...where];
  const cursor = decodeCursor(args.after, 2);
  let after = "";
  if (cursor) {
    params.push(cursor[0], cursor[1]);
    after = `(${sortExpr}, ${idColumn}) ${desc ? "<" : ">"} ($${params.length - 1}::${sort.type}, $${params.length}::bigint)`;
    pageWhere.push(after);
  }
  params.push(args.first + 1);
  const limit = `$${params.length}`;
  // Each segment's top `limit` members from its index, merged: the page is among them.
  const branches = (merged ?? []).map(
    (id) => `(select m.segment_id, m.snapshot_id, m.customer_id, m.predicted_clv from segment_members m
               where m.segment_id = ${Number(id)} and m.snapshot_id = $1 ${after ? `and ${after}` : ""}
               order by ${sortExpr} desc, m.customer_id desc limit ${limit})`,
  );
  // The page's members are picked before anything is joined to them: joined first, the scores of
  // every branch's rows (3 × 51) were matched by a hash join over a scan of the snapshot's scores
  // (the demo's 20k rows: 5 ms a request) where the page's 51 need 51 index probes.
  const mergedPage = `select * from (${branches.join(" union all ")}) m order by ${sortExpr} desc, m.customer_id desc limit ${limit}`;
  const pageSql = `select ${customerColumns(args.columns)}, ${sortExpr} as sort_value, ${sortExpr}::text as sort_key ${pageFrom.replace(MERGED_MEMBERS, mergedPage)}
      ${pageWhere.length ? `where ${pageWhere.join(" and ")}` : ""}
      order by ${sortExpr} ${dir}, ${idColumn} ${dir}
      limit ${limit}`;
  let rows: Row[];
  if (count) {
    // One statement: the count, and the page beside it (a row of nulls when the page is empty).
    const joined = await query(
      `select t.total_count, p.* from (${countSql}) t left join lateral (${pageSql}) p on true
        order by p.sort_value ${dir}, p.id ${dir}`,
      params,
    );
    total = Number(joined[0]?.total_count ?? 0);
    rows = joined.filter((r) => r.id !== null && r.id !== undefined);
    if (memoKey) args.cache?.storeCount(memoKey, total, generation);
  } else {
    rows = await query(pageSql, params);
  }
  const asOf = args.snapshot?.asOf ?? null;
  return toConnection(rows, args.first, total ?? 0, (row) => toCustomer(row, asOf), (row) => [row.sort_key as string, row.id as number]);
}

const MERGED_MEMBERS = "%merged members%";

/** Where the serving cache remembers the built-in segments of these RFM segments in a snapshot. */
export const builtInRfmMemoKey = (snapshotId: number, rfmSegments: readonly string[]) =>
  `rfm-built-in:${snapshotId}:${JSON.stringify([...new Set(rfmSegments)].sort())}`;

/**
 * The built-in segments of a list filtered on RFM segments, when each one's members were written
 * for the snapshot (it was not archived then): the same customers, whose members are listed by
 * CLV from the top of `segment_members_clv_idx`, where the scores' CLV index would be walked past
 * every other segment's customers (at 1M customers: 3.2 s for "at_risk" alone, 2 s for three
 * segments after a snapshot in which they hold few of the highest CLVs). Remembered per snapshot.
 */
async function builtInRfmSegments(query: Query, args: ListCustomersArgs): Promise<number[] | null> {
  const keys = [...new Set(args.filter?.rfmSegments ?? [])].sort();
  if (!args.snapshot || args.segmentId || args.filter?.segmentId || keys.length === 0) return null;
  const memo = builtInRfmMemoKey(args.snapshot.id, keys);
  const known = args.cache?.count<number[] | null>(memo);
  if (known !== undefined) return known;
  const generation = args.cache?.snapshotGenerationNow() ?? 0;
  const rows = await query<{ id: number; key: string }>(
    `select g.id, g.definition->>'rfmSegment' as key from segments g join segment_stats st on st.segment_id = g.id and st.snapshot_id = $1
      where g.kind = 'rfm' and g.definition->>'rfmSegment' = any($2::text[]) order by g.id`,
    [args.snapshot.id, keys],
  );
  const oneEach = rows.length === keys.length && new Set(rows.map((r) => r.key)).size === keys.length;
  const ids = oneEach ? rows.map((r) => Number(r.id)) : null;
  args.cache?.storeCount(memo, ids, generation);
  return ids;
}

/**
 * One customer with its scores in the snapshot; with `recentOrders`, also that many of its
 * newest orders (plus one, to tell whether there are more) in the same statement, so a detail
 * page with the last orders is one round trip.
 */
export async function getCustomer(
  query: Query,
  id: number,
  snapshot: { id: number; asOf: Date } | null,
  recentOrders?: number,
  columns: ReadonlySet<ColumnGroup> = ALL_COLUMN_GROUPS,
): Promise<{ customer: Customer; orders: Row[] | null }> {
  const withOrders = recentOrders !== undefined;
  // Only the tables the selected fields read are joined.
  const params: unknown[] = [id];
  const param = (value: unknown) => `$${params.push(value)}`;
  const scores = columns.has("score") ? `left join customer_scores s on s.customer_id = c.id and s.snapshot_id = ${param(snapshot?.id ?? null)}` : "";
  const recent = withOrders
    ? `, (select coalesce(json_agg(o order by o.ordered_at desc, o.id desc), '[]'::json)
         from (select ${ORDER_COLUMNS} from orders o where o.customer_id = c.id
                order by o.ordered_at desc, o.id desc limit ${param(recentOrders + 1)}) o) as recent_orders`
    : "";
  const [row] = await query(
    `select ${customerColumns(columns)} ${recent}
       from customers c
       ${columns.has("rollup") ? "left join customer_rollups r on r.customer_id = c.id" : ""}
       ${scores}
      where c.id = $1`,
    params,
  );
  if (!row) throw notFound(`Customer ${id} does not exist. Search customers with \`customers(filter: { search: … })\`.`, "CUSTOMER_NOT_FOUND", { id });
  const orders = withOrders
    ? (row.recent_orders as Row[]).map((o) => ({ ...o, ordered_at: new Date(o.ordered_at as string) }))
    : null;
  return { customer: toCustomer(row, snapshot?.asOf ?? null), orders };
}
