import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { DomainError } from "../errors.ts";

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
export function createFormatError(isProduction: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
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
    const code = formatted.extensions?.code;
    if (typeof code === "string" && PASS_THROUGH_CODES.has(code)) {
      if (!isProduction) return formatted;
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (original instanceof GraphQLError && original.extensions?.code === undefined && !original.originalError) {
      // Input coercion errors (bad enum value, wrong type in variables) come without a code.
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code: "BAD_USER_INPUT" } };
    }
    process.stderr.write(`[graphql] internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}\n`);
    return {
      message: isProduction ? "Internal server error. The server log has the details." : (formatted.message ?? "Internal server error"),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}
