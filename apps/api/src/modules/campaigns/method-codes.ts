// Stable codes for the method texts a measurement stores. The texts stay as they were stored (an
// auditor reads them), and a client that words methods in its own language uses the code. Codes
// are derived from the text when a result is read, so results stored before the codes existed
// get them too; a text no version ever wrote has no code (null), and a client shows the text.
import { MONEY_METHOD, MONEY_METHOD_CODE } from "@ltvloop/scoring/lift/money";
import { DELIVERY_METHODS } from "./campaign-measure.delivery.ts";
import { METHODS } from "./campaign-measure.lift.ts";
import { LOYALTY_LIABILITY_METHOD } from "./campaign-measure.loyalty.ts";

/** Texts of results measured before lift-2 (see campaign-result.map.ts). */
export const LEGACY_METHODS = {
  relative: "delta method (normal approximation; measured before lift-2, may disagree with the test)",
  difference: "interval stored with the test",
  money: "measured before lift-2: no interval of the ROI",
} as const;

const EXACT = new Map<string, string>([
  [METHODS.proportionTest, "TWO_PROPORTION_Z"],
  [METHODS.proportionDifference, "WALD_UNPOOLED"],
  [METHODS.welchTest, "WELCH_T"],
  [METHODS.cupedTest, "CUPED_WELCH_T"],
  [METHODS.welchDifference, "WELCH_T_INTERVAL"],
  [METHODS.fieller, "FIELLER"],
  [METHODS.sequentialDifference, "CONFIDENCE_SEQUENCE_PLANNED"],
  [METHODS.sequentialDifferenceNoPlan, "CONFIDENCE_SEQUENCE_AT_LOOK"],
  [METHODS.sequentialRelative, "FIELLER_SEQUENTIAL"],
  [METHODS.sequentialTest, "MIXTURE_SPRT_P"],
  [DELIVERY_METHODS.cace, "CACE_WALD_IV_FIELLER"],
  [LOYALTY_LIABILITY_METHOD, "LOYALTY_LIABILITY"],
  [MONEY_METHOD, MONEY_METHOD_CODE],
  [LEGACY_METHODS.relative, "LEGACY_DELTA"],
  [LEGACY_METHODS.difference, "LEGACY_STORED_INTERVAL"],
  [LEGACY_METHODS.money, "LEGACY_NO_ROI_INTERVAL"],
]);

const WINSORIZED = /^Welch t-test on revenue capped at the pooled \d+(?:\.\d+)?th percentile$/;
/** A sequential look names its fixed-horizon test in brackets after the SPRT's p-value. */
const SEQUENTIAL_PREFIX = `${METHODS.sequentialTest} (fixed-horizon test: `;

/** Every code a method text can have (the admin has a wording for each; a test checks it). */
export const METHOD_CODES = [...new Set([...EXACT.values(), "WELCH_T_WINSORIZED"])];

/**
 * Why a measurement is provisional, as stored (English, with instants) and as a code: the window
 * had not ended (WINDOW_OPEN), or the orders were complete only up to an earlier time, per an
 * admin's watermark or the imports (ORDERS_INCOMPLETE_WATERMARK / _IMPORTS). The result's
 * windowTo, countedUntil and ordersCompleteUntil carry the instants a client words.
 */
export const PROVISIONAL_REASONS = {
  windowOpen: (windowTo: Date, now: Date) => `The outcome window runs until ${windowTo.toISOString()}; orders are counted up to the measurement time ${now.toISOString()}.`,
  ordersIncomplete: (complete: Date, source: "admin" | "import") =>
    `Orders are complete only up to ${complete.toISOString()} (${source === "admin" ? "set by an admin" : "the latest order an import covered"}), before the window's end; ` +
    "import the newer orders (or, for an incremental feed, have an admin set the watermark) and measure again.",
  /** Results stored before the reasons were written out. */
  legacy: "Measured before the outcome window ended.",
} as const;

/** The code of a stored provisional reason; OTHER for a text no version wrote. */
export function provisionalReasonCode(text: string): string {
  if (text === PROVISIONAL_REASONS.legacy || text.startsWith("The outcome window runs until ")) return "WINDOW_OPEN";
  if (text.startsWith("Orders are complete only up to ")) return text.includes("(set by an admin)") ? "ORDERS_INCOMPLETE_WATERMARK" : "ORDERS_INCOMPLETE_IMPORTS";
  return "OTHER";
}

/** The code of a stored method text, or null when no version of the measurement wrote it. */
export function methodCode(text: string | null | undefined): string | null {
  if (!text) return null;
  const exact = EXACT.get(text);
  if (exact) return exact;
  if (WINSORIZED.test(text)) return "WELCH_T_WINSORIZED";
  // The always-valid p-value is the test a sequential look decides by; the fixed-horizon test
  // it names is reported apart (fixedHorizon), so the code is the SPRT's.
  if (text.startsWith(SEQUENTIAL_PREFIX) && text.endsWith(")")) return "MIXTURE_SPRT_P";
  return null;
}
