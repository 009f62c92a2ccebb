/** What the UI needs from an API error: its code, field problems and raw message. */
export type ApiErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "NETWORK" | "UNKNOWN";

export interface FieldProblem {
  path: string;
  message: string;
}

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
  problems: FieldProblem[];
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

interface ApolloErrorLike {
  message?: string;
  graphQLErrors?: readonly GraphQLErrorLike[];
  networkError?: unknown;
}

const KNOWN: ApiErrorCode[] = ["UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "CONFLICT"];

function isProblem(value: unknown): value is FieldProblem {
  return typeof value === "object" && value !== null && "path" in value && "message" in value;
}

/** Reads `extensions.code` and `extensions.problems` from an Apollo error. */
export function toApiError(error: unknown): ApiErrorInfo | null {
  if (!error) return null;
  const e = error as ApolloErrorLike;
  const first = e.graphQLErrors?.[0];
  if (first) {
    const raw = first.extensions?.["code"];
    const code = KNOWN.includes(raw as ApiErrorCode) ? (raw as ApiErrorCode) : "UNKNOWN";
    const problemsRaw = first.extensions?.["problems"];
    const problems = Array.isArray(problemsRaw)
      ? problemsRaw.filter(isProblem).map((p) => ({ path: String(p.path), message: String(p.message) }))
      : [];
    return { code, message: first.message, problems };
  }
  if (e.networkError) return { code: "NETWORK", message: e.message ?? "", problems: [] };
  return { code: "UNKNOWN", message: e.message ?? String(error), problems: [] };
}

/** The problem for one input field (its path's last segments match), if any. */
export function problemFor(info: ApiErrorInfo | null, field: string): string | undefined {
  return info?.problems.find((p) => p.path === field || p.path.endsWith(`.${field}`) || p.path.startsWith(`${field}.`))?.message;
}
