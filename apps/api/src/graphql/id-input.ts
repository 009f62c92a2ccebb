// Every ID in this API is a database id: a positive whole number below 2^53. An ID argument that
// is anything else ("x", "1.5", 2^53) is refused while the request is validated, with
// BAD_USER_INPUT, instead of reaching SQL (where it failed as an internal error).
import { GraphQLError, GraphQLID, Kind, type ValueNode } from "graphql";

export class InvalidIdError extends Error {
  override name = "InvalidIdError";
}

const ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** The id as a number, or throws InvalidIdError saying what an id looks like. */
export function parseId(value: unknown): number {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : null;
  const id = text !== null && ID_PATTERN.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id)) {
    const shown = typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
    throw new InvalidIdError(`${shown} is not an id: ids are whole numbers from 1 to ${Number.MAX_SAFE_INTEGER}, as the API returns them.`);
  }
  return id;
}

const originalParseValue = GraphQLID.parseValue.bind(GraphQLID);
const originalParseLiteral = GraphQLID.parseLiteral.bind(GraphQLID);

/**
 * Makes the ID scalar check its inputs (literals and variables). GraphQLID is graphql-js's shared
 * instance, which type-graphql puts in the schema as is; it is adjusted once per process, and
 * its output (ids as strings) is unchanged.
 */
export function validateIdInputs(): void {
  if ((GraphQLID as { checked?: boolean }).checked) return;
  Object.assign(GraphQLID, {
    checked: true,
    parseValue: (value: unknown) => String(parseId(originalParseValue(value))),
    parseLiteral: (node: ValueNode, variables?: Record<string, unknown> | null) => {
      if (node.kind !== Kind.STRING && node.kind !== Kind.INT) return originalParseLiteral(node, variables);
      return String(parseId(node.value));
    },
  });
}

/** Whether a GraphQL error came from an invalid ID (its chain of original errors). */
export function isInvalidIdError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof InvalidIdError) return true;
    e = e instanceof GraphQLError || e instanceof Error ? (e as { originalError?: unknown }).originalError : undefined;
  }
  return false;
}
