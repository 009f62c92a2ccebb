import { unwrapResolverError } from "@apollo/server/errors";
import { isCancelledByRequest } from "@ltvloop/db/client";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError } from "../errors.ts";
import { isInvalidIdError } from "./id-input.ts";

const PASS_THROUGH_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "OPERATION_RESOLUTION_FAILURE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "QUERY_TOO_COMPLEX",
]);

/**
 * The one place errors become GraphQL errors: domain errors keep their code, message and
 * field problems; anything unexpected is logged and shown as a generic internal error
 * without a stack trace.
 */
export function createFormatError(isProduction: boolean, statementTimeoutMs = 0) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if ((original as { code?: unknown } | null)?.code === "57014") {
      // PostgreSQL's query_canceled: the per-request statement timeout fired, or someone else
      // cancelled the statement (an administrator's pg_cancel_backend).
      const where = formatted.path ? { path: formatted.path } : {};
      if (!isCancelledByRequest(original)) {
        const limit = statementTimeoutMs > 0 ? ` of ${statementTimeoutMs / 1000} s` : "";
        return {
          message: `The database stopped this request: it ran longer than the server's limit${limit} (LTVLOOP_STATEMENT_TIMEOUT_MS). Narrow it (filters, smaller pages) and try again.`,
          ...where,
          // The reason (worded by clients with the limit) only when the limit is the server's own.
          extensions: { code: "STATEMENT_TIMEOUT", ...(statementTimeoutMs > 0 ? { reason: "STATEMENT_TIMEOUT", params: { seconds: statementTimeoutMs / 1000 } } : {}) },
        };
      }
      return {
        message: "The database cancelled this request before it finished (an administrator or another process stopped it). Try again; if it happens again, ask an administrator what is cancelling queries.",
        ...where,
        extensions: { code: "QUERY_CANCELLED", reason: "QUERY_CANCELLED" },
      };
    }
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: {
          code: original.code,
          ...(original.detail ? { reason: original.detail.reason, ...(original.detail.params ? { params: original.detail.params } : {}) } : {}),
          ...(original.problems.length > 0 ? { problems: original.problems } : {}),
        },
      };
    }
    if (isInvalidIdError(error)) {
      // An ID argument that is not a database id, refused before any SQL ran.
      const where = formatted.message.match(/ at "([^"]+)"/)?.[1] ?? formatted.message.match(/^Variable "\$([^"]+)"/)?.[1] ?? "id";
      const problem = formatted.message.replace(/^.*?; /, "");
      return {
        message: formatted.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: "BAD_USER_INPUT", reason: "NOT_AN_ID", problems: [{ path: where, message: problem, reason: "NOT_AN_ID" }] },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && PASS_THROUGH_CODES.has(code)) {
      if (!isProduction) return formatted;
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && original.extensions?.code === undefined && !original.originalError) {
      // Input coercion errors (bad enum value, wrong type in variables) come without a code.
      const where = formatted.message.match(/ at "([^"]+)"/)?.[1] ?? formatted.message.match(/^Variable "\$([^"]+)"/)?.[1] ?? "id";
      const problem = formatted.message.replace(/^.*?; /, "");
      return {
        message: formatted.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: { code: "BAD_USER_INPUT", reason: "BAD_VALUE", problems: [{ path: where, message: problem, reason: "BAD_VALUE" }] },
      };
    }
    process.stderr.write(`[graphql] internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}\n`);
    return {
      message: isProduction ? "Internal server error. The server log has the details." : (formatted.message ?? "Internal server error"),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}
