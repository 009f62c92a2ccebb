// The explorer's fetcher: same-origin POST to /graphql with the session cookie. Apollo Server's
// CSRF prevention refuses "simple" requests, so every request says `content-type:
// application/json` (a non-simple header the browser would preflight cross-origin).

/** What GraphiQL hands the fetcher (a subset of @graphiql/toolkit's FetcherParams). */
export interface ExplorerRequest {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

export interface ExplorerResult {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface SessionFetcherOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  /** Called when the server says the session is gone (not when the user sent their own Authorization header). */
  onUnauthenticated?: () => void;
  /** Called when the server refuses schema introspection (docs and autocomplete then have no schema). */
  onIntrospectionRefused?: () => void;
}

/** Headers typed into GraphiQL's header editor, minus any that would break the request. */
export function requestHeaders(userHeaders: Record<string, unknown> | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/graphql-response+json, application/json" };
  for (const [name, value] of Object.entries(userHeaders ?? {})) {
    if (value === undefined || value === null) continue;
    if (name.toLowerCase() === "content-type") continue;
    headers[name] = String(value);
  }
  headers["content-type"] = "application/json";
  return headers;
}

/** Apollo Server's answer to introspection when it is switched off (`introspection: false`). */
export function isIntrospectionRefusal(result: ExplorerResult): boolean {
  return Boolean(result.errors?.some((e) => e.extensions?.["validationErrorCode"] === "INTROSPECTION_DISABLED"));
}

const hasAuthorization = (headers: Record<string, string>) => Object.keys(headers).some((h) => h.toLowerCase() === "authorization");

/** Reads a response body as a GraphQL result; anything else becomes a readable error. */
export async function readResult(response: Response): Promise<ExplorerResult> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === "object" && ("data" in body || "errors" in body)) return body as ExplorerResult;
  } catch {
    // not JSON: reported below
  }
  const excerpt = text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
  return { errors: [{ message: `HTTP ${response.status} ${response.statusText}: the server did not answer with GraphQL JSON. ${excerpt}`.trim() }] };
}

export function createSessionFetcher(options: SessionFetcherOptions = {}) {
  const endpoint = options.endpoint ?? "/graphql";
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async (request: ExplorerRequest, opts?: { headers?: Record<string, unknown> }): Promise<ExplorerResult> => {
    const headers = requestHeaders(opts?.headers);
    let response: Response;
    try {
      response = await doFetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers,
        body: JSON.stringify({ query: request.query, operationName: request.operationName ?? undefined, variables: request.variables ?? undefined }),
      });
    } catch (e) {
      return { errors: [{ message: `Cannot reach the server (${e instanceof Error ? e.message : String(e)}). Check that it is running, then run the query again.` }] };
    }
    const result = await readResult(response);
    const unauthenticated = result.errors?.some((e) => e.extensions?.["code"] === "UNAUTHENTICATED");
    if (unauthenticated && !hasAuthorization(headers)) options.onUnauthenticated?.();
    if (isIntrospectionRefusal(result)) options.onIntrospectionRefused?.();
    return result;
  };
}
