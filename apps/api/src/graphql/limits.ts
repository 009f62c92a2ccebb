// Abuse limits: depth and aliases as validation rules, a page-size-aware cost in a plugin
// (it needs the request's variables), tokens through the parser's maxTokens.
import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLFormattedError,
  type ASTVisitor,
  type DocumentNode,
  type OperationDefinitionNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";
import type { Context } from "../context.ts";

export const LIMITS = {
  maxDepth: 12,
  maxAliases: 30,
  maxTokens: 5_000,
  /** Roughly: objects the server may have to produce for one operation. */
  maxCost: 25_000,
  maxPageSize: 100,
  /** The page size assumed for a list field whose `first` is not given. */
  defaultPageSize: 20,
} as const;

/** The request itself is refused: HTTP 400, like any other invalid query. */
const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: "QUERY_TOO_COMPLEX", http: { status: 400 } } });

export function depthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
      if (!set) return 0;
      let deepest = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith("__")) continue;
          deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, seen));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, seen));
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || seen.has(name)) continue;
          deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...seen, name])));
        }
      }
      return deepest;
    };
    return {
      OperationDefinition(node) {
        const depth = depthOf(node.selectionSet, new Set());
        if (depth > maxDepth) {
          context.reportError(tooComplex(`The query is ${depth} levels deep; the limit is ${maxDepth}. Split it into several queries.`));
        }
      },
    };
  };
}

export function aliasLimitRule(maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) {
            context.reportError(tooComplex(`The query uses ${aliases} aliases; the limit is ${maxAliases}. Ask for fewer fields at once.`));
          }
        },
      },
    };
  };
}

function argumentNumber(field: FieldNode, name: string, variables: Record<string, unknown>): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const read = (value: ValueNode): unknown => {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) return variables[value.name.value];
    return undefined;
  };
  const value = read(arg.value);
  return typeof value === "number" ? value : undefined;
}

/**
 * Cost = every field counts 1; a list field multiplies what is below it by its page size
 * (`first`, or `defaultPageSize` for lists without one), so
 * `customers(first: 100) { nodes { orders(first: 100) { … } } }` costs what it produces. The
 * `nodes`/`edges` lists of a connection are already counted by the connection's `first`.
 */
export function operationCost(
  schema: GraphQLSchema,
  parentType: GraphQLObjectType | null,
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  seen: Set<string> = new Set(),
): number {
  if (!set) return 0;
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      const definition = parentType?.getFields()[selection.name.value];
      const named = definition ? getNamedType(definition.type) : null;
      const childType = named && isObjectType(named) ? named : null;
      const isList = definition ? isListType(getNullableType(definition.type)) : false;
      const first = argumentNumber(selection, "first", variables);
      const insideConnection = parentType?.name.endsWith("Connection") ?? false;
      const multiplier = first ?? (isList && !insideConnection ? LIMITS.defaultPageSize : 1);
      cost += 1 + Math.max(1, multiplier) * operationCost(schema, childType, selection.selectionSet, fragments, variables, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const typeName = selection.typeCondition?.name.value;
      const type = typeName ? schema.getType(typeName) : parentType;
      cost += operationCost(schema, type && isObjectType(type) ? type : parentType, selection.selectionSet, fragments, variables, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (fragment && !seen.has(name)) {
        const type = schema.getType(fragment.typeCondition.name.value);
        cost += operationCost(schema, type && isObjectType(type) ? type : parentType, fragment.selectionSet, fragments, variables, new Set([...seen, name]));
      }
    }
  }
  return cost;
}

const SUGGESTION = / Did you mean .*\?$/;

/**
 * What the limits plugin checks once the operation is known: introspection only for signed-in
 * callers, and the cost limit. Throws the GraphQL error the caller gets. Shared by Apollo's
 * pipeline (the plugin below) and the direct path for plain POSTs (http/graphql-direct.ts).
 */
export function checkOperation(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode | null | undefined;
  source: string | undefined;
  variables: Record<string, unknown> | undefined;
  context: Pick<Context, "viewer" | "credentialProblem">;
}): void {
  const { schema, document, operation, context } = args;
  if (!context.viewer) {
    const text = args.source ?? "";
    if (/\b__schema\b|\b__type\b/.test(text)) {
      if (context.credentialProblem === "INVALID_API_KEY") {
        throw new GraphQLError("This API key is invalid or has been revoked. Check the key you sent as `Authorization: Bearer …`, or create a new one under Settings → API keys.", {
          extensions: { code: "UNAUTHENTICATED", reason: "INVALID_API_KEY", http: { status: 401 } },
        });
      }
      throw new GraphQLError("Introspection is for signed-in users: log in or send an API key first.", {
        extensions: { code: "UNAUTHENTICATED", reason: "SIGN_IN_REQUIRED", http: { status: 401 } },
      });
    }
  }
  if (!operation) return;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  const cost = operationCost(schema, root ?? null, operation.selectionSet, fragments, args.variables ?? {});
  if (cost > LIMITS.maxCost) {
    throw tooComplex(`The query's estimated cost is ${cost}; the limit is ${LIMITS.maxCost}. Ask for smaller pages (first) or fewer nested lists.`);
  }
}

/**
 * The errors an anonymous caller is shown: validation messages name the schema's types and
 * fields, so they become one "sign in first" (HTTP 401); other messages lose their "Did you
 * mean …?" suggestions. Returns null when nothing changes (signed-in callers, no errors).
 */
export function errorsForAnonymous(
  errors: readonly GraphQLFormattedError[] | undefined,
  viewer: Context["viewer"],
): { status?: number; errors: GraphQLFormattedError[] } | null {
  if (viewer || !errors) return null;
  if (errors.some((e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED")) {
    return {
      status: 401,
      errors: [{ message: "Sign in first: log in (the `login` mutation) or send an API key as `Authorization: Bearer …`.", extensions: { code: "UNAUTHENTICATED" } }],
    };
  }
  return { errors: errors.map((e) => (SUGGESTION.test(e.message) ? { ...e, message: e.message.replace(SUGGESTION, "") } : e)) };
}

/** Cost limit, and schema privacy for anonymous clients (no introspection, no suggestions). */
export function limitsPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue, schema }) {
          checkOperation({ schema, document, operation, source: request.query, variables: request.variables, context: contextValue });
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          const shown = errorsForAnonymous(response.body.singleResult.errors, contextValue.viewer);
          if (!shown) return;
          if (shown.status) response.http.status = shown.status;
          response.body.singleResult.errors = shown.errors;
        },
      };
    },
  };
}
