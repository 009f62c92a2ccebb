// Cursor connections (DESIGN §7): `first` ≤ 100, `after`, `totalCount`, stable order.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from "graphql";
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { badInput } from "../errors.ts";
import { fieldProblem } from "../reasons.ts";
import { LIMITS } from "./limits.ts";

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: "Pass as `after` to get the next page." })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: "Page size, 1–100." })
  first!: number;

  @Field(() => String, { nullable: true, description: "The `endCursor` of the previous page." })
  after?: string | null;
}

export interface ConnectionShape<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares `<Name>Connection` and `<Name>Edge` for an object type. */
export function Connection<T extends object>(Node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => Node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Node])
    nodes!: T[];

    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "All matches, not just this page." })
    totalCount!: number;
  }
  return ConnectionType;
}

/** Validates `first`. */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > LIMITS.maxPageSize) {
    throw badInput(`first must be from 1 to ${LIMITS.maxPageSize}; got ${first}. Page through larger lists with after.`, [
      fieldProblem("first", "OUT_OF_RANGE", { min: 1, max: LIMITS.maxPageSize }),
    ], "BAD_PAGE_SIZE", { max: LIMITS.maxPageSize });
  }
  return first;
}

/** A cursor is the sort key of the last row: opaque to clients, checked on the way back in. */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | null | undefined, length: number): (string | number | null)[] | null {
  if (!cursor) return null;
  if (cursor.length > 500) {
    throw badInput("The cursor in after is too long to be one this list gave out. Start again without after.", [fieldProblem("after", "UNKNOWN_CURSOR")], "UNKNOWN_CURSOR");
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === length && value.every((v) => v === null || ["string", "number"].includes(typeof v))) {
      return value as (string | number | null)[];
    }
  } catch {
    // fall through to the error below
  }
  throw badInput("The cursor in after is not one this list gave out. Start again without after.", [fieldProblem("after", "UNKNOWN_CURSOR")], "UNKNOWN_CURSOR");
}

/** Builds the connection from `first + 1` fetched rows. */
export function toConnection<Row, T>(
  rows: Row[],
  first: number,
  totalCount: number,
  toNode: (row: Row) => T,
  keyOf: (row: Row) => (string | number | null)[],
): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const nodes = page.map(toNode);
  // Cursors are made when a client reads them (edges, endCursor): most pages only ask for nodes.
  let edges: { cursor: string; node: T }[] | undefined;
  const last = page.at(-1);
  return {
    nodes,
    get edges() {
      edges ??= page.map((row, i) => ({ cursor: encodeCursor(keyOf(row)), node: nodes[i] as T }));
      return edges;
    },
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return last === undefined ? null : encodeCursor(keyOf(last));
      },
    },
    totalCount,
  };
}

/**
 * The names of the fields the client selected at `path` below the field being resolved (through
 * fragments and inline fragments; fields under @skip/@include are counted, so the set is never
 * smaller than what is read): `["nodes"]` gives the fields of a connection's nodes.
 */
export function selectedFieldsAt(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (depth === path.length) found.add(selection.name.value);
        else if (selection.name.value === path[depth]) visit(selection.selectionSet, depth + 1, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, depth, seen);
      } else if (!seen.has(`${selection.name.value}@${depth}`)) {
        seen.add(`${selection.name.value}@${depth}`);
        visit(info.fragments[selection.name.value]?.selectionSet, depth, seen);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet, 0, new Set());
  return found;
}

/**
 * Whether the client asked for `field` directly under the field being resolved (through
 * fragments too): lists count their matches only when `totalCount` is selected.
 */
export function selectsField(info: GraphQLResolveInfo, field: string): boolean {
  return selectedFieldsAt(info, []).has(field);
}
