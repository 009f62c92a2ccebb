// The direct path for plain GraphQL POSTs: a query string (optionally variables and an
// operation name, nothing else) whose document parses and validates is executed on a document
// parsed and validated once per query text (by graphql-js the first time, then by the operation
// graphql-jit compiled from it), and its answer is written exactly as Apollo Server would write
// it (same status, content type, body and error formatting).
//
// Everything else goes to Apollo, which then produces its own answer: documents that do not
// parse or validate, operations the limits refuse (cost, anonymous introspection), variables
// that do not coerce (nothing has run yet then), `extensions` (persisted queries), batches,
// accept headers other than the common ones. So errors before execution are always Apollo's;
// the direct path only formats errors raised while resolving, the way Apollo does
// (graphql-direct.test.ts sends the same requests through both and compares the answers).
//
// Why: Apollo's per-request pipeline (plugin hooks, a SHA-256 of the query text for its
// document cache, content negotiation, CSRF parsing) costs more than `{ __typename }` itself.
// graphql-jit: graphql-js walks the selection for every field of every row (a list of 50
// customers with scores is some 600 field executions); the compiled operation is straight-line
// code for that selection, which took the CPU per list request down by a tenth to a fifth.
import { GraphQLError, execute, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions, type ValidationRule } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { Context } from "../context.ts";
import { checkOperation, errorsForAnonymous } from "../graphql/limits.ts";

/** A GraphQL answer ready to write. */
export interface DirectResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

export interface DirectOptions {
  schema: GraphQLSchema;
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  includeStacktraceInErrorResponses: boolean;
  /** Parsed and validated documents kept (by query text); the oldest go first. */
  maxDocuments?: number;
}

/** A plain request: what the direct path takes. */
export interface PlainRequest {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
}

/** Query text kept in the document cache, at most (characters). */
const MAX_CACHED_TEXT = 1_000_000;

const JSON_TYPE = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json; charset=utf-8";

/**
 * The response content type Apollo picks for these `accept` headers (what curl, browsers'
 * fetch, scripts and Apollo Client send); any other header goes to Apollo's own negotiation.
 */
const CONTENT_TYPES = new Map<string | undefined, string>([
  [undefined, JSON_TYPE],
  ["*/*", JSON_TYPE],
  ["application/json", JSON_TYPE],
  ["application/json, */*", JSON_TYPE],
  ["application/graphql-response+json", GRAPHQL_RESPONSE_TYPE],
  ["application/graphql-response+json,application/json;q=0.9", GRAPHQL_RESPONSE_TYPE],
  ["application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE_TYPE],
]);

/** The body's parts when it is a plain request (Apollo's reading of the same body), else null. */
export function plainRequest(body: unknown): PlainRequest | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  for (const key in body) if (key !== "query" && key !== "variables" && key !== "operationName" && key !== "extensions") return null; // Apollo decides
  const { query, variables, operationName, extensions } = body as Record<string, unknown>;
  if (typeof query !== "string" || query === "") return null;
  if (extensions !== undefined && extensions !== null) return null;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return null;
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: (operationName ?? undefined) as string | undefined,
  };
}

/** Status and headers the errors ask for (Apollo's `extensions.http`); later ones win. */
interface Head {
  status?: number;
  headers: Map<string, string>;
}

function isHttpHead(value: unknown): value is { status?: number; headers?: Map<string, string> } {
  return (
    !!value &&
    typeof value === "object" &&
    (!("status" in value) || typeof value.status === "number") &&
    (!("headers" in value) || value.headers instanceof Map)
  );
}

/**
 * Query text → its validated document (null: it does not parse or validate), bounded by count
 * and by total query text (the parsed documents are some 10–20 times larger); the least recently
 * used go first, so a flood of one-off queries does not push out the ones in daily use. A text
 * longer than a tenth of the bound is not kept.
 */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode | null>();
  private text = 0;

  constructor(
    private readonly maxDocuments: number,
    private readonly maxText: number,
  ) {}

  get(query: string): DocumentNode | null | undefined {
    const document = this.entries.get(query);
    if (document !== undefined) {
      // Most recently used last: the Map keeps insertion order.
      this.entries.delete(query);
      this.entries.set(query, document);
    }
    return document;
  }

  set(query: string, document: DocumentNode | null): void {
    if (query.length > this.maxText / 10 || this.entries.has(query)) return;
    this.entries.set(query, document);
    this.text += query.length;
    while (this.entries.size > this.maxDocuments || this.text > this.maxText) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.text -= oldest.length;
    }
  }

  /** Documents kept and the characters of their query texts. */
  get size(): { documents: number; text: number } {
    return { documents: this.entries.size, text: this.text };
  }
}

export function createDirectExecutor(options: DirectOptions) {
  const { schema, parseOptions, formatError, includeStacktraceInErrorResponses } = options;
  const rules = [...specifiedRules, ...options.validationRules];
  const documents = new DocumentCache(options.maxDocuments ?? 1000, MAX_CACHED_TEXT);

  /** The query's parsed and validated document, or null when it does not parse or validate. */
  function documentFor(query: string): DocumentNode | null {
    const known = documents.get(query);
    if (known !== undefined) return known;
    let document: DocumentNode | null;
    try {
      document = parse(query, parseOptions);
      if (validate(schema, document, rules).length > 0) document = null;
    } catch {
      document = null;
    }
    documents.set(query, document);
    return document;
  }

  /**
   * The operation compiled by graphql-jit (null: it cannot be compiled, graphql-js runs it), from
   * its second request on: compiling costs a few plain executions, which a query sent once would
   * never earn back. Kept beside its document, so the document cache bounds both.
   */
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null | "seen">>();
  function compiledFor(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? "";
    const known = byName.get(key);
    if (known === undefined) {
      byName.set(key, "seen");
      return null;
    }
    if (known !== "seen") return known;
    const made = compileQuery(schema, document, operationName);
    const query = isCompiledQuery(made) ? made : null;
    byName.set(key, query);
    return query;
  }

  /** Apollo's error formatting (normalise, http extension → status/headers, stack, formatError). */
  function formatErrors(errors: readonly GraphQLError[], head: Head): GraphQLFormattedError[] {
    const enrich = (error: unknown): GraphQLFormattedError => {
      const graphqlError =
        error instanceof GraphQLError
          ? error
          : error instanceof Error
            ? new GraphQLError(error.message, { originalError: error })
            : new GraphQLError(`Unexpected error value: ${String(error)}`);
      const extensions: Record<string, unknown> = { ...graphqlError.extensions, code: graphqlError.extensions?.code ?? "INTERNAL_SERVER_ERROR" };
      if (isHttpHead(extensions.http)) {
        if (extensions.http.status) head.status = extensions.http.status;
        for (const [name, value] of extensions.http.headers ?? []) head.headers.set(name.toLowerCase(), value);
        delete extensions.http;
      }
      if (includeStacktraceInErrorResponses) extensions.stacktrace = graphqlError.stack?.split("\n");
      return { ...graphqlError.toJSON(), extensions };
    };
    return errors.map((error) => {
      try {
        return formatError(enrich(error), error);
      } catch (formattingError) {
        if (includeStacktraceInErrorResponses) return enrich(formattingError);
        return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
      }
    });
  }

  /**
   * Runs a plain request with `context`, or returns null when Apollo must answer it (nothing
   * has run then: no resolver was called).
   */
  const run = async (request: PlainRequest, accept: string | undefined, context: Context): Promise<DirectResponse | null> => {
    const contentType = CONTENT_TYPES.get(accept);
    if (!contentType) return null;
    const document = documentFor(request.query);
    if (!document) return null;
    const operation = getOperationAST(document, request.operationName);
    if (!operation) return null;
    try {
      checkOperation({ schema, document, operation, source: request.query, variables: request.variables, context });
    } catch {
      return null;
    }
    const jit = compiledFor(document, request.operationName);
    const result = jit
      ? await jit.query(undefined, context, request.variables ?? {})
      : await execute({ schema, document, contextValue: context, variableValues: request.variables, operationName: request.operationName });
    // No data: the request failed before any resolver ran (variables that do not coerce).
    if (result.errors && result.data === undefined) return null;
    const head: Head = { headers: new Map() };
    let errors = result.errors ? formatErrors(result.errors, head) : undefined;
    const shown = errorsForAnonymous(errors, context.viewer);
    if (shown) {
      if (shown.status) head.status = shown.status;
      errors = shown.errors;
    }
    const body = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
    run.answered += 1;
    if (jit) run.compiled += 1;
    return { status: head.status ?? 200, headers: [["content-type", contentType], ...head.headers], body };
  };
  run.answered = 0;
  run.compiled = 0;
  return run;
}

export type DirectExecutor = ReturnType<typeof createDirectExecutor>;
