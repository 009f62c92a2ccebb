/** What the UI needs from an API error: its code, field problems and raw message. */
export type ApiErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT" | "STATEMENT_TIMEOUT" | "QUERY_CANCELLED" | "NETWORK" | "UNKNOWN";

export type ReasonParams = Record<string, string | number>;

export interface FieldProblem {
  path: string;
  message: string;
  /** A stable code the UI words itself (e.g. TOO_SHORT), with its parameters. */
  reason?: string;
  params?: ReasonParams;
  /** Problems of an imported file: the line (the header is 1) and the column; `reason` is then an import problem code. */
  line?: number;
  column?: string;
}

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
  problems: FieldProblem[];
  /** Why, as a stable code (WRONG_CREDENTIALS, INVALID_API_KEY, …), when the server gives one. */
  reason?: string;
  params?: ReasonParams;
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

const KNOWN: ApiErrorCode[] = ["UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "STATEMENT_TIMEOUT", "QUERY_CANCELLED"];

function isProblem(value: unknown): value is FieldProblem {
  return typeof value === "object" && value !== null && "path" in value && "message" in value;
}

function readParams(value: unknown): ReasonParams | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const out: ReasonParams = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[k] = v;
  return out;
}

function readProblem(p: FieldProblem): FieldProblem {
  const out: FieldProblem = { path: String(p.path), message: String(p.message) };
  if (typeof p.reason === "string") out.reason = p.reason;
  const params = readParams(p.params);
  if (params) out.params = params;
  if (typeof p.line === "number") out.line = p.line;
  if (typeof p.column === "string") out.column = p.column;
  return out;
}

/**
 * The GraphQL errors an HTTP error response carried: the API answers a request it refuses
 * before running it (an ID variable that is not an id, a wrong type) with HTTP 400 and a
 * GraphQL body, which Apollo Client hands over as a network error with the body as `result`.
 */
function bodyErrors(networkError: unknown): readonly GraphQLErrorLike[] | undefined {
  if (typeof networkError !== "object" || networkError === null) return undefined;
  const result = (networkError as { result?: unknown }).result;
  if (typeof result !== "object" || result === null) return undefined;
  const errors = (result as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  const list = errors.filter((x): x is GraphQLErrorLike => typeof x === "object" && x !== null && typeof (x as { message?: unknown }).message === "string");
  return list.length ? list : undefined;
}

/** The HTTP status of a network error that got an answer (Apollo's ServerError / ServerParseError). */
function httpStatus(networkError: unknown): number | undefined {
  if (typeof networkError !== "object" || networkError === null) return undefined;
  const status = (networkError as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Reads `extensions.code` and `extensions.problems` from an Apollo error: from its GraphQL
 * errors, or from the GraphQL body of an HTTP error response. NETWORK only when the server
 * could not be reached (no answer, or a gateway's 502/503/504 in front of it); another HTTP
 * error without a GraphQL body is UNKNOWN, with its message.
 */
export function toApiError(error: unknown): ApiErrorInfo | null {
  if (!error) return null;
  const e = error as ApolloErrorLike;
  const first = e.graphQLErrors?.[0] ?? bodyErrors(e.networkError)?.[0];
  if (first) {
    const raw = first.extensions?.["code"];
    const code = KNOWN.includes(raw as ApiErrorCode) ? (raw as ApiErrorCode) : "UNKNOWN";
    const problemsRaw = first.extensions?.["problems"];
    const problems = Array.isArray(problemsRaw)
      ? problemsRaw.filter(isProblem).map(readProblem)
      : [];
    const info: ApiErrorInfo = { code, message: first.message, problems };
    const reason = first.extensions?.["reason"];
    if (typeof reason === "string") info.reason = reason;
    const params = readParams(first.extensions?.["params"]);
    if (params) info.params = params;
    return info;
  }
  if (e.networkError) {
    const status = httpStatus(e.networkError);
    if (status === undefined || status === 502 || status === 503 || status === 504) return { code: "NETWORK", message: e.message ?? "", problems: [] };
    return { code: "UNKNOWN", message: e.message ?? `HTTP ${status}`, problems: [] };
  }
  return { code: "UNKNOWN", message: e.message ?? String(error), problems: [] };
}

/**
 * An error about something that is not there: NOT_FOUND, or a refused id (NOT_AN_ID, e.g.
 * /customers/abc). The UI words both as "not found", lists no field problems and offers no retry.
 */
export function isNotFound(info: Pick<ApiErrorInfo, "code" | "reason"> | null): boolean {
  return info?.code === "NOT_FOUND" || info?.reason === "NOT_AN_ID";
}

/** Codes that trying the same request again cannot change: what is missing, refused input, a role's limits. */
const FINAL: ApiErrorCode[] = ["NOT_FOUND", "BAD_USER_INPUT", "FORBIDDEN"];

/** Whether a retry button can help: transient errors (network, timeouts, unknown) keep it. */
export function canRetry(info: Pick<ApiErrorInfo, "code" | "reason"> | null): boolean {
  return !!info && !isNotFound(info) && !FINAL.includes(info.code);
}

interface Translator {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
}

/**
 * The problem for one input field (its path's last segments match), if any, in the page's
 * language: worded from its code (errors.problems.<CODE>); the API's English only for a code this
 * UI does not know yet (a newer server).
 */
export function problemFor(info: ApiErrorInfo | null, field: string, i18n: Translator): string | undefined {
  const problem = info?.problems.find((p) => p.path === field || p.path.endsWith(`.${field}`) || p.path.startsWith(`${field}.`));
  return problem ? (problemText(i18n, problem) ?? problem.message) : undefined;
}

/** The error's reason in the page's language (`errors.reasons.<REASON>`), or null when the UI has no wording for it. */
export function reasonText(i18n: Translator, info: Pick<ApiErrorInfo, "reason" | "params"> | null): string | null {
  if (!info?.reason) return null;
  const key = `errors.reasons.${info.reason}`;
  return i18n.te(key) ? i18n.t(key, info.params ?? {}) : null;
}

/** A field problem in the page's language when its reason is known; null otherwise. */
export function problemText(i18n: Translator, problem: Pick<FieldProblem, "reason" | "params">): string | null {
  const key = problemKey(i18n, problem.reason, problem.params);
  return key ? i18n.t(key, problem.params ?? {}) : null;
}

/** Codes worded per value of one parameter (`errors.problems.<CODE>.<value>`, else `.other`). */
export const FIELD_PROBLEM_VARIANTS: Record<string, string> = { RULE_VALUE_TYPE: "kind", PROGRAMME_MISSING: "programme", PROGRAMME_EMPTY: "programme" };

/** The catalogue key of a field problem's code (with its variant), or null when the UI has no wording for it. */
export function problemKey(i18n: Pick<Translator, "te">, reason: string | undefined, params: ReasonParams = {}): string | null {
  if (!reason || !/^[A-Z][A-Z0-9_]*$/.test(reason)) return null;
  const base = `errors.problems.${reason}`;
  const variant = FIELD_PROBLEM_VARIANTS[reason];
  if (variant) {
    const value = String(params[variant] ?? "");
    if (/^[A-Za-z0-9_]+$/.test(value) && i18n.te(`${base}.${value}`)) return `${base}.${value}`;
    return i18n.te(`${base}.other`) ? `${base}.other` : null;
  }
  return i18n.te(base) ? base : null;
}
