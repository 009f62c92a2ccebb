/**
 * Machine-readable reasons a scoring function refuses its input or cannot produce a result.
 * Callers (the API) map these to `BAD_USER_INPUT` and show the message.
 */
export type ScoringErrorCode =
  | "INVALID_INPUT"
  | "INVALID_DATE"
  | "NEGATIVE_AMOUNT"
  | "EMPTY_INPUT"
  | "NO_REPEAT_BUYERS"
  | "NO_POSITIVE_SPEND"
  | "INVALID_PARAMETERS"
  | "NOT_CONVERGED"
  | "NOT_IDENTIFIABLE";

/**
 * The one error type thrown by `@ltvloop/scoring`. `code` is stable; `message` says what was
 * wrong and how to fix it.
 */
export class ScoringError extends Error {
  readonly code: ScoringErrorCode;

  constructor(code: ScoringErrorCode, message: string) {
    super(message);
    this.name = "ScoringError";
    this.code = code;
  }
}

/** Throws `INVALID_INPUT` unless `value` is a finite number (optionally ≥ 0 / > 0). */
export function assertFinite(value: number, name: string, bound?: "nonNegative" | "positive"): void {
  if (!Number.isFinite(value)) {
    throw new ScoringError("INVALID_INPUT", `${name} must be a finite number, got ${String(value)}.`);
  }
  if (bound === "nonNegative" && value < 0) {
    throw new ScoringError("INVALID_INPUT", `${name} must be ≥ 0, got ${value}.`);
  }
  if (bound === "positive" && value <= 0) {
    throw new ScoringError("INVALID_INPUT", `${name} must be > 0, got ${value}.`);
  }
}
