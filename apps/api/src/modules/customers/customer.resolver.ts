import { Kind, getArgumentValues, getNamedType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.ts";
import { PageArgs, pageSize, selectedFieldsAt, selectsField, toConnection } from "../../graphql/connection.ts";
import { LIMITS } from "../../graphql/limits.ts";
import { groupBy, loader } from "../../graphql/loaders.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { getSnapshot } from "../snapshots/snapshot.service.ts";
import { badInput } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { CustomerFilter, CustomerOrderBy, OrderFilter } from "./customer.input.ts";
import { columnGroupsFor, type ColumnGroup } from "./customer.columns.ts";
import * as customers from "./customer.service.ts";
import * as history from "./customer-history.service.ts";
import * as orderReads from "./order.service.ts";
import {
  CampaignExposure,
  Customer,
  CustomerConnection,
  CustomerScore,
  OrderConnection,
  SegmentMembershipEntry,
} from "./customer.type.ts";

/** The snapshot whose scores a read joins: the given one, else the latest (cached); null before any. */
export async function snapshotFor(ctx: Context, snapshotId: string | null | undefined): Promise<{ id: number; asOf: Date } | null> {
  if (snapshotId) {
    if (!/^\d{1,15}$/.test(snapshotId)) throw badInput(`"${snapshotId}" is not a snapshot id.`, [fieldProblem("snapshotId", "NOT_AN_ID")], "NOT_AN_ID");
    const snapshot = await getSnapshot(ctx.query, Number(snapshotId));
    if (snapshot.status !== "succeeded") {
      throw badInput(`Snapshot ${snapshotId} is ${snapshot.status}; pick a succeeded snapshot.`, [fieldProblem("snapshotId", "SNAPSHOT_NOT_SUCCEEDED", { id: snapshot.id, status: snapshot.status })], "SNAPSHOT_NOT_SUCCEEDED", { id: snapshot.id, status: snapshot.status });
    }
    return { id: snapshot.id, asOf: snapshot.asOf };
  }
  return ctx.cache.latestSnapshot();
}

/** The newest `size` orders (+1) of customers after `after`, batched per request. */
function ordersLoader(ctx: Context, size: number, after: string | null | undefined) {
  return loader<number, Record<string, unknown>[]>(ctx, `orders:${size}:${after ?? ""}`, async (ids) =>
    groupBy(ids, await orderReads.ordersForCustomers(ctx.query, ids, size, after), (r) => r.customer_id as number),
  );
}

/** The column groups a customer list's nodes need (under `nodes` or `edges { node }`). */
export function listColumnGroups(info: GraphQLResolveInfo): ReadonlySet<ColumnGroup> {
  return columnGroupsFor(
    [...selectedFieldsAt(info, ["nodes"]), ...selectedFieldsAt(info, ["edges", "node"])],
    [...selectedFieldsAt(info, ["nodes", "score"]), ...selectedFieldsAt(info, ["edges", "node", "score"])],
  );
}

/** `first` of a sub-field selected without `after` (a first page), or null when it is not selected so. */
function firstPageArgs(info: GraphQLResolveInfo, field: string): { first: number } | null {
  const node = info.fieldNodes[0]?.selectionSet?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === field);
  const definition = (getNamedType(info.returnType) as GraphQLObjectType).getFields()[field];
  if (!node || !definition) return null;
  const args = getArgumentValues(definition, node, info.variableValues) as { first?: number; after?: string | null };
  return args.after ? null : { first: args.first ?? LIMITS.defaultPageSize };
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(...ALLOW.read)
  @Query(() => CustomerConnection, { description: "Customers with their scores; filter and sort by score fields and attributes." })
  async customers(
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("filter", () => CustomerFilter, { nullable: true }) filter: CustomerFilter | null,
    @Arg("orderBy", () => CustomerOrderBy, { nullable: true }) orderBy: CustomerOrderBy | null,
    @Arg("snapshotId", () => ID, { nullable: true, description: "Default: the latest snapshot." }) snapshotId: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return customers.listCustomers(ctx.query, {
      first: pageSize(first),
      after,
      filter,
      orderBy,
      snapshot: await snapshotFor(ctx, snapshotId),
      withCount: selectsField(info, "totalCount"),
      cache: ctx.cache,
      columns: listColumnGroups(info),
    });
  }

  @Authorized(...ALLOW.read)
  @Query(() => Customer)
  async customer(
    @Arg("id", () => ID) id: string,
    @Arg("snapshotId", () => ID, { nullable: true }) snapshotId: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Customer> {
    if (!/^\d{1,15}$/.test(id)) throw badInput(`"${id}" is not a customer id.`, [fieldProblem("id", "NOT_AN_ID")], "NOT_AN_ID");
    // A detail page asks for the customer's newest orders: read them in the same statement and
    // hand them to the `orders` field through its loader.
    const recent = firstPageArgs(info, "orders");
    const size = recent ? pageSize(recent.first) : undefined;
    const columns = columnGroupsFor(selectedFieldsAt(info, []), selectedFieldsAt(info, ["score"]));
    const { customer, orders } = await customers.getCustomer(ctx.query, Number(id), await snapshotFor(ctx, snapshotId), size, columns);
    if (orders && size !== undefined) ordersLoader(ctx, size, null).prime(customer.id, orders);
    return customer;
  }

  @Authorized(...ALLOW.read)
  @Query(() => OrderConnection, { description: "Orders, newest first." })
  orders(
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("filter", () => OrderFilter, { nullable: true }) filter: OrderFilter | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return orderReads.listOrders(ctx.query, pageSize(first), after, filter, selectsField(info, "totalCount"));
  }

  @FieldResolver(() => OrderConnection, { name: "orders", description: "The customer's orders, newest first (all statuses)." })
  async customerOrders(
    @Root() customer: Customer,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const size = pageSize(first);
    const orders = ordersLoader(ctx, size, after).load(customer.id);
    // Counted only when asked for (and then for the whole page of customers at once).
    const count = selectsField(info, "totalCount")
      ? loader<number, number>(ctx, "orderCounts", async (ids) => {
          const counts = await orderReads.orderCounts(ctx.query, ids);
          return ids.map((id) => counts.get(id) ?? 0);
        }).load(customer.id)
      : Promise.resolve(0);
    const [rows, total] = await Promise.all([orders, count]);
    return toConnection(rows, size, total, orderReads.toOrder, (r) => [(r.ordered_at as Date).toISOString(), r.id as number]);
  }

  @FieldResolver(() => [CustomerScore], { description: "Scores in every succeeded snapshot, oldest first." })
  async scoreHistory(@Root() customer: Customer, @Ctx() ctx: Context): Promise<CustomerScore[]> {
    const rows = await loader<number, Record<string, unknown>[]>(ctx, "scoreHistory", async (ids) =>
      groupBy(ids, await history.scoreHistory(ctx.query, ids), (r) => r.customer_id as number),
    ).load(customer.id);
    return rows.map((r) => customers.toScore(r, r.as_of as Date) as CustomerScore);
  }

  @FieldResolver(() => [SegmentMembershipEntry], { description: "Segment memberships per snapshot, oldest first." })
  async segmentHistory(@Root() customer: Customer, @Ctx() ctx: Context): Promise<SegmentMembershipEntry[]> {
    const rows = await loader<number, Record<string, unknown>[]>(ctx, "segmentHistory", async (ids) =>
      groupBy(ids, await history.segmentHistory(ctx.query, ids), (r) => r.customer_id as number),
    ).load(customer.id);
    return rows.map((r) => ({
      snapshotId: r.snapshot_id as number,
      asOf: r.as_of as Date,
      segmentId: r.segment_id as number,
      segmentName: r.name as string,
      segmentKey: (r.key as string | null) ?? null,
      color: r.color as string,
    }));
  }

  @FieldResolver(() => [CampaignExposure], { description: "Campaigns the customer was assigned to, newest first." })
  async campaignExposures(@Root() customer: Customer, @Ctx() ctx: Context): Promise<CampaignExposure[]> {
    const rows = await loader<number, Record<string, unknown>[]>(ctx, "campaignExposures", async (ids) =>
      groupBy(ids, await history.campaignExposures(ctx.query, ids), (r) => r.customer_id as number),
    ).load(customer.id);
    return rows.map((r) => ({
      campaignId: r.campaign_id as number,
      campaignName: r.name as string,
      group: r.group as string,
      status: r.status as string,
      assignedAt: r.assigned_at as Date,
    }));
  }
}

