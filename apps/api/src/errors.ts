// One domain error type; the GraphQL layer and the CLI map its codes in one place each.

export type DomainErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT";

export interface FieldProblem {
  /** Where the problem is: a field path, or `line 12, column amount` for files. */
  path: string;
  message: string;
  /** A stable code for clients that word the problem themselves (e.g. `ABOVE_MAX`), with its parameters. */
  reason?: string;
  params?: Record<string, string | number>;
  /** Files: the physical line (the header is 1) and the column name, when the problem has them. */
  line?: number;
  column?: string;
}

/** What a client needs to word an error itself: a stable reason code and its parameters. */
export interface ErrorDetail {
  reason: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: FieldProblem[] = [],
    readonly detail?: ErrorDetail,
  ) {
    super(message);
  }
}

export const badInput = (message: string, problems: FieldProblem[] = []) =>
  new DomainError("BAD_USER_INPUT", message, problems);
export const notFound = (message: string) => new DomainError("NOT_FOUND", message);
export const conflict = (message: string) => new DomainError("CONFLICT", message);
