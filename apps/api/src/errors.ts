// One domain error type; the GraphQL layer and the CLI map its codes in one place each. Every
// error carries a reason code (reasons.ts) and every field problem a problem code (reasons.ts,
// or modules/import/problems.ts for files), so clients word them in their own language.
import type { ImportProblemCode } from "./modules/import/problems.ts";
import type { ErrorReasonCode, FieldProblemCode } from "./reasons.ts";

export type DomainErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND" | "CONFLICT";

export interface FieldProblem {
  /** Where the problem is: a field path, or `line 12, column amount` for files. */
  path: string;
  message: string;
  /** A stable code for clients that word the problem themselves (e.g. `TOO_LONG`), with its parameters. */
  reason: FieldProblemCode | ImportProblemCode;
  params?: Record<string, string | number>;
  /** Files: the physical line (the header is 1) and the column name, when the problem has them. */
  line?: number;
  column?: string;
}

/** What a client needs to word an error itself: a stable reason code and its parameters. */
export interface ErrorDetail {
  reason: ErrorReasonCode;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  override name = "DomainError";
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly problems: FieldProblem[],
    readonly detail: ErrorDetail,
  ) {
    super(message);
  }
}

type Params = Record<string, string | number>;
const detailOf = (reason: ErrorReasonCode, params?: Params): ErrorDetail => ({ reason, ...(params && Object.keys(params).length > 0 ? { params } : {}) });

/** Bad input: the English message for API and CLI users, the field problems, and the reason code for clients. */
export const badInput = (message: string, problems: FieldProblem[], reason: ErrorReasonCode = "INVALID_FIELDS", params?: Params) =>
  new DomainError("BAD_USER_INPUT", message, problems, detailOf(reason, params));
export const notFound = (message: string, reason: ErrorReasonCode, params?: Params) => new DomainError("NOT_FOUND", message, [], detailOf(reason, params));
export const conflict = (message: string, reason: ErrorReasonCode, params?: Params, problems: FieldProblem[] = []) =>
  new DomainError("CONFLICT", message, problems, detailOf(reason, params));
/** A file (or a row of it) refused: its problems carry the import problem codes of modules/import/problems.ts. */
export const fileRejected = (message: string, problems: FieldProblem[]) => badInput(message, problems, "IMPORT_REJECTED");
