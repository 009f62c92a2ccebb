import type { GraphQLResolveInfo } from "graphql";
import { GraphQLJSON } from "graphql-scalars";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.ts";
import { badInput, notFound } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";
import { PageArgs, decodeCursor, pageSize, selectsField, toConnection } from "../../graphql/connection.ts";
import { loader } from "../../graphql/loaders.ts";
import { ALLOW } from "../../graphql/roles.ts";
import { CustomerOrderBy } from "../customers/customer.input.ts";
import { listColumnGroups, snapshotFor } from "../customers/customer.resolver.ts";
import { listCustomers } from "../customers/customer.service.ts";
import { CustomerConnection } from "../customers/customer.type.ts";
import { RF_CELLS_PREFIX, rfCellsOf } from "./segment-members.service.ts";
import { CreateSegmentInput, UpdateSegmentInput } from "./segment.input.ts";
import * as segments from "./segment.service.ts";
import { Segment, SegmentConnection, SegmentKindEnum, SegmentMigration, SegmentStats } from "./segment.type.ts";

const toId = (raw: string | null | undefined, path: string): number | null => {
  if (raw === null || raw === undefined) return null;
  if (!/^\d{1,15}$/.test(raw)) throw badInput(`${path} "${raw}" is not an id.`, [fieldProblem(path, "NOT_AN_ID")], "NOT_AN_ID");
  return Number(raw);
};

/** A built-in segment's generated description: "RF cells: " and its cells as the map was when it was written. */
const GENERATED_DESCRIPTION = /^RF cells: R[1-5]F[1-5]( R[1-5]F[1-5])*$/;

/**
 * The RF map the built-in segments' members follow: the latest snapshot's (its memberships were
 * drawn with it); before the first snapshot, the settings' map for the next one. Once per request.
 */
function rfMap(ctx: Context): Promise<readonly (readonly string[])[]> {
  return loader<number, readonly (readonly string[])[]>(ctx, "segmentRfMap", async (keys) => {
    const map = await segments.rfMapOfMembers(ctx.query, await ctx.cache.latestSnapshot());
    return keys.map(() => map);
  }).load(0);
}

/** An RFM segment's cells: a built-in one's from the map its members follow, an RF-cell segment's from its definition. */
async function cellsOfSegment(segment: Segment, ctx: Context): Promise<string[]> {
  if (segment.kind !== SegmentKindEnum.RFM) return [];
  const definition = segment.definition as { rfmSegment?: unknown; cells?: unknown };
  if (typeof definition?.rfmSegment === "string") return rfCellsOf(await rfMap(ctx), definition.rfmSegment);
  if (Array.isArray(definition?.cells)) return (definition.cells as { r: number; f: number }[]).map((c) => `R${c.r}F${c.f}`);
  return [];
}

@Resolver(() => Segment)
export class SegmentResolver {
  @Authorized(...ALLOW.read)
  @Query(() => SegmentConnection, { description: "Segments, oldest first: the built-in RFM segments, then your own." })
  async segments(
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("includeArchived", () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, 1);
    const afterId = cursor ? Number(cursor[0]) : null;
    if (afterId !== null && !Number.isSafeInteger(afterId)) throw badInput("The cursor in after is not one this list gave out. Start again without after.", [fieldProblem("after", "UNKNOWN_CURSOR")], "UNKNOWN_CURSOR");
    const { rows, total } = await segments.listSegments(ctx.query, size + 1, afterId, includeArchived, selectsField(info, "totalCount"));
    return toConnection(rows, size, total, (r) => r, (r) => [r.id]);
  }

  @Authorized(...ALLOW.read)
  @Query(() => Segment)
  segment(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Segment> {
    return segments.getSegment(ctx.query, toId(id, "id") as number);
  }

  @Authorized(...ALLOW.read)
  @Query(() => SegmentStats, { description: "Size and value a definition would have, without saving it (live preview)." })
  segmentPreview(
    @Arg("kind", () => SegmentKindEnum) kind: SegmentKindEnum,
    @Arg("definition", () => GraphQLJSON) definition: unknown,
    @Arg("snapshotId", () => ID, { nullable: true }) snapshotId: string | null,
    @Ctx() ctx: Context,
  ): Promise<SegmentStats> {
    return segments.previewSegment(ctx.query, kind, definition, toId(snapshotId, "snapshotId"));
  }

  @Authorized(...ALLOW.read)
  @Query(() => SegmentMigration, { description: "How customers moved between RFM segments from one snapshot to another." })
  segmentMigration(
    @Arg("fromSnapshotId", () => ID) fromSnapshotId: string,
    @Arg("toSnapshotId", () => ID) toSnapshotId: string,
    @Ctx() ctx: Context,
  ): Promise<SegmentMigration> {
    return segments.segmentMigration(ctx.query, toId(fromSnapshotId, "fromSnapshotId") as number, toId(toSnapshotId, "toSnapshotId") as number);
  }

  @Authorized(...ALLOW.manageSegments)
  @Mutation(() => Segment, { description: "Creates a segment and computes its members in the latest snapshot." })
  createSegment(@Arg("input", () => CreateSegmentInput) input: CreateSegmentInput, @Ctx() ctx: Context): Promise<Segment> {
    return segments.createSegment(ctx.handle, ctx.viewer, input);
  }

  @Authorized(...ALLOW.manageSegments)
  @Mutation(() => Segment)
  updateSegment(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateSegmentInput) input: UpdateSegmentInput,
    @Ctx() ctx: Context,
  ): Promise<Segment> {
    return segments.updateSegment(ctx.handle, ctx.viewer, toId(id, "id") as number, input);
  }

  @Authorized(...ALLOW.manageSegments)
  @Mutation(() => Segment, { description: "Archives (or with archived: false, restores) a segment. History is kept." })
  archiveSegment(
    @Arg("id", () => ID) id: string,
    @Arg("archived", () => Boolean, { defaultValue: true }) archived: boolean,
    @Ctx() ctx: Context,
  ): Promise<Segment> {
    return segments.archiveSegment(ctx.handle, ctx.viewer, toId(id, "id") as number, archived);
  }

  @FieldResolver(() => String, {
    description:
      "A built-in RFM segment's generated description (\"RF cells: R4F5 R5F4 …\") lists the cells of the RF map its members follow (the latest snapshot's), so it stays true when an admin changes the map; a description someone wrote is returned as written.",
  })
  async description(@Root() segment: Segment, @Ctx() ctx: Context): Promise<string> {
    if (segment.key == null || !GENERATED_DESCRIPTION.test(segment.description)) return segment.description;
    const cells = await cellsOfSegment(segment, ctx);
    return cells.length > 0 ? `${RF_CELLS_PREFIX}${cells.join(" ")}` : segment.description;
  }

  @FieldResolver(() => [String], {
    description: "The RF cells (R5F4, …) of an RFM segment: a built-in segment's in the RF map its members follow (the latest snapshot's; before the first, the settings'), an RF-cell segment's from its definition; empty for rule and manual segments.",
  })
  rfCells(@Root() segment: Segment, @Ctx() ctx: Context): Promise<string[]> {
    return cellsOfSegment(segment, ctx);
  }

  @FieldResolver(() => SegmentStats, { nullable: true, description: "Size and value in a snapshot (default the latest); null before the first snapshot." })
  async stats(
    @Root() segment: Segment,
    @Arg("snapshotId", () => ID, { nullable: true }) snapshotId: string | null,
    @Ctx() ctx: Context,
  ): Promise<SegmentStats | null> {
    const snapshot = await snapshotFor(ctx, snapshotId);
    if (!snapshot) return null;
    return loader<number, SegmentStats>(ctx, `segmentStats:${snapshot.id}`, (ids) => segments.segmentStats(ctx.query, snapshot.id, ids, ctx.cache)).load(segment.id);
  }

  @FieldResolver(() => CustomerConnection, { description: "Members in a snapshot (default the latest)." })
  async members(
    @Root() segment: Segment,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Arg("orderBy", () => CustomerOrderBy, { nullable: true }) orderBy: CustomerOrderBy | null,
    @Arg("snapshotId", () => ID, { nullable: true }) snapshotId: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    const snapshot = await snapshotFor(ctx, snapshotId);
    if (!snapshot) throw notFound("No snapshot has been computed yet, so segments have no members. Create one with `createSnapshot`.", "NO_SNAPSHOT_YET");
    return listCustomers(ctx.query, {
      first: pageSize(first),
      after,
      orderBy,
      snapshot,
      segmentId: segment.id,
      withCount: selectsField(info, "totalCount"),
      cache: ctx.cache,
      columns: listColumnGroups(info),
    });
  }
}
