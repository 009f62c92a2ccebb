// Every reason the API gives for refusing a request, outside file imports (those are in
// modules/import/problems.ts), as stable codes with parameters. Clients word them themselves:
// the admin has Japanese and English wording for each code. Two lists:
//  - ERROR_REASON_CODES: why the request as a whole was refused (`extensions.reason`);
//  - FIELD_PROBLEM_CODES: what is wrong with one field (`extensions.problems[].reason`), with
//    the English `message` the API and the CLI show rendered here, in one place.
// This file imports nothing, so the admin's tests can read the lists.

export const ERROR_REASON_CODES = [
  // Sign-in, sessions and roles.
  "WRONG_CREDENTIALS",
  "TOO_MANY_SIGN_INS",
  "INVALID_API_KEY",
  "SIGN_IN_REQUIRED",
  "ROLE_NOT_ALLOWED",
  "SESSION_REQUIRED",
  // Any form: the fields listed in `problems` say what to fix.
  "INVALID_FIELDS",
  "NOT_AN_ID",
  "BAD_VALUE",
  "UNKNOWN_CURSOR",
  "BAD_PAGE_SIZE",
  "BAD_RANGE",
  // The database stopped the request: its statement timeout (params: seconds, when the server
  // set the limit) or a cancel from elsewhere (an administrator's pg_cancel_backend).
  "STATEMENT_TIMEOUT",
  "QUERY_CANCELLED",
  // Things that do not exist (params: id).
  "USER_NOT_FOUND",
  "API_KEY_NOT_FOUND",
  "CUSTOMER_NOT_FOUND",
  "SEGMENT_NOT_FOUND",
  "SNAPSHOT_NOT_FOUND",
  "CAMPAIGN_NOT_FOUND",
  "SAVED_VIEW_NOT_FOUND",
  "NO_SNAPSHOT_YET",
  // Users and passwords.
  "EMAIL_TAKEN",
  "WRONG_PASSWORD",
  // Snapshots.
  "SNAPSHOT_BUSY",
  "SNAPSHOT_NOT_PENDING",
  "SNAPSHOT_NOT_CANCELLABLE",
  "SNAPSHOT_NOT_SUCCEEDED",
  // Segments and saved views.
  "SEGMENT_ARCHIVED",
  "SAME_SNAPSHOT",
  "TOO_MANY_VIEWS",
  // Settings, scheduler, data quality.
  "NOTHING_TO_CHANGE",
  // A time-zone change is queued or running (params: id, from, to); none is (cancel).
  "TIME_ZONE_CHANGE_BUSY",
  "TIME_ZONE_CHANGE_NOT_ACTIVE",
  // Files sent in a request body (delivery results, channel spend, loyalty entries).
  "FILE_TOO_LARGE",
  // Campaigns.
  "CAMPAIGN_NOT_LAUNCHED",
  "CAMPAIGN_ALREADY_LAUNCHED",
  "IDEMPOTENCY_KEY_USED",
  "CAMPAIGN_WITHOUT_SNAPSHOT",
  "CAMPAIGN_HAS_ROSTER",
  "CAMPAIGN_NOT_MEASURABLE",
  "CAMPAIGN_WRONG_STATE",
  "GROUPS_TOO_SMALL",
  "SEGMENT_EMPTY",
  "ALL_OPTED_OUT",
  "LOYALTY_PROGRAMME_MISSING",
  "LOYALTY_PROGRAMME_EMPTY",
  "DEMO_ALREADY_PLANTED",
  // Loyalty.
  "ENTRY_ID_REUSED",
  "BALANCE_TOO_LOW",
  "NO_POINTS_PROGRAMME",
  // Command-line model fits and seeding (no screen shows these, but they keep the one scheme).
  "NO_TRANSACTIONS",
  "CALIBRATION_BEFORE_DATA",
  "DATABASE_NOT_EMPTY",
  // The HTTP import endpoint (POST /imports/:kind).
  "IMPORT_ROLE",
  "IMPORT_CONTENT_TYPE",
  "IMPORT_MODE",
  "IMPORT_ENCODING",
  "IMPORT_TOO_LARGE",
  "IMPORT_REJECTED",
] as const;

export type ErrorReasonCode = (typeof ERROR_REASON_CODES)[number];

export const FIELD_PROBLEM_CODES = [
  // Any field.
  "REQUIRED",
  "BLANK",
  "TOO_SHORT",
  "TOO_LONG",
  "LENGTH",
  "TOO_MANY_ITEMS",
  "ITEM_COUNT",
  "EMPTY",
  "NOT_AN_ID",
  "BAD_VALUE",
  "NOT_A_DATE",
  "IN_FUTURE",
  "NOT_AFTER",
  "MIN_ABOVE_MAX",
  "OUT_OF_RANGE",
  "WHOLE_NUMBER",
  "AT_LEAST",
  "RATIO",
  "TOO_MANY_DECIMALS",
  "DAYS",
  "MONTHS",
  "ONE_OF",
  "NOT_APPLICABLE",
  "CANNOT_CLEAR",
  "SAME_VALUE",
  "UNKNOWN_CURSOR",
  "TOO_MANY_PERIODS",
  "FILE_TOO_LARGE",
  "NOT_EMAIL",
  "TIME_OF_DAY",
  "TIME_ZONE",
  "CURRENCY_CODE",
  "COLOR",
  // Users and passwords.
  "EMAIL_TAKEN",
  "SAME_AS_CURRENT",
  "WRONG_PASSWORD",
  "SELF_DEACTIVATE",
  "SELF_DEMOTE",
  // Snapshots and things that refer to them.
  "SNAPSHOT_NOT_SUCCEEDED",
  "NO_SUCH_CAMPAIGN",
  // Segment rules (the path names the place in the rule).
  "RULE_VALUE_TYPE",
  "RULE_TOO_DEEP",
  "RULE_NODE",
  "RULE_EXTRA_KEYS",
  "RULE_EMPTY_GROUP",
  "RULE_TOO_MANY_CONDITIONS",
  "RULE_UNKNOWN_KEYS",
  "RULE_UNKNOWN_FIELD",
  "RULE_BAD_OPERATOR",
  "RULE_BETWEEN",
  "LOW_ABOVE_HIGH",
  "RULE_LIST_SIZE",
  // Segment definitions.
  "RF_CELL",
  "REPEATED_CELL",
  "SEGMENT_DEFINITION",
  "MANUAL_IDS",
  "NO_SUCH_CUSTOMER",
  "BUILTIN_DEFINITION",
  "SEGMENT_EMPTY",
  "ALL_OPTED_OUT",
  // Settings and saved views.
  "RFM_THRESHOLDS",
  "RF_MAP_SHAPE",
  "RF_MAP_UNKNOWN_SEGMENT",
  "RF_MAP_CONFLICT",
  "UNKNOWN_LIST",
  "TOO_MANY_VIEWS",
  // Loyalty rules and campaign offers.
  "EFFECTIVE_IN_PAST",
  "EFFECTIVE_BEFORE_LATEST",
  "EXPIRY_DAYS_NEEDED",
  "EXPIRY_DATE_NEEDED",
  "REDEEM_NOT_POSITIVE",
  "ADJUST_ZERO",
  "MULTIPLIER_KEY",
  "MULTIPLIER_RANGE",
  "HOLDOUT_RATIO",
  "EXPECTED_LIFT",
  "PROGRAMME_MISSING",
  "PROGRAMME_EMPTY",
] as const;

export type FieldProblemCode = (typeof FIELD_PROBLEM_CODES)[number];
export type ReasonParams = Record<string, string | number>;

type Params = Record<string, string | number | undefined>;
const s = (p: Params, key: string) => String(p[key] ?? "");

/** Field problems in English, said of the field the path names (e.g. `name: must be at most 100 characters`). */
const ENGLISH: Record<FieldProblemCode, (p: Params) => string> = {
  REQUIRED: () => "is required",
  BLANK: () => "must not be blank",
  TOO_SHORT: (p) => `must be at least ${s(p, "min")} characters`,
  TOO_LONG: (p) => `must be at most ${s(p, "max")} characters`,
  LENGTH: (p) => `must be ${s(p, "min")}–${s(p, "max")} characters`,
  TOO_MANY_ITEMS: (p) => `must have at most ${s(p, "max")} items; split the request`,
  ITEM_COUNT: (p) => `must list ${s(p, "min")}–${s(p, "max")} items`,
  EMPTY: () => "is empty",
  NOT_AN_ID: () => "is not an id (a positive whole number)",
  BAD_VALUE: () => "is not a value of the expected type",
  NOT_A_DATE: () => "is not a valid date",
  IN_FUTURE: () => "is in the future",
  NOT_AFTER: (p) => `must be after ${s(p, "other")}`,
  MIN_ABOVE_MAX: (p) => `is above ${s(p, "other")}`,
  OUT_OF_RANGE: (p) => `must be ${s(p, "min")}–${s(p, "max")}`,
  WHOLE_NUMBER: (p) => `must be a whole number from ${s(p, "min")} to ${s(p, "max")}`,
  AT_LEAST: (p) => `must be ${s(p, "min")} or more`,
  RATIO: () => "must be a ratio from 0 to 1 (0.3 for 30%)",
  TOO_MANY_DECIMALS: (p) => `may have at most ${s(p, "max")} decimals`,
  MONTHS: (p) => `must be ${s(p, "min")}–${s(p, "max")} months`,
  DAYS: (p) => `must be a whole number of days from ${s(p, "min")} to ${s(p, "max")}`,
  ONE_OF: (p) => `must be one of ${s(p, "allowed")}`,
  NOT_APPLICABLE: (p) => (p.appliesTo ? `applies only to ${s(p, "appliesTo")}; leave it empty` : "does not apply to this choice; leave it empty"),
  CANNOT_CLEAR: () => "cannot be cleared",
  SAME_VALUE: (p) => `equals ${s(p, "other")}`,
  UNKNOWN_CURSOR: () => "is not a cursor this list gave out; start again without it",
  TOO_MANY_PERIODS: (p) => `at most ${s(p, "max")} periods per range`,
  FILE_TOO_LARGE: (p) => `at most ${s(p, "max")} characters`,
  NOT_EMAIL: () => "is not an e-mail address",
  TIME_OF_DAY: () => "must be HH:MM, 00:00–23:59",
  TIME_ZONE: () => "is not an IANA time zone such as Asia/Tokyo",
  CURRENCY_CODE: () => "must be a 3-letter ISO 4217 code such as JPY",
  COLOR: () => "must be #rrggbb, e.g. #d95f02",
  EMAIL_TAKEN: () => "another user has this e-mail address",
  SAME_AS_CURRENT: () => "must differ from the current password",
  WRONG_PASSWORD: () => "is wrong",
  SELF_DEACTIVATE: () => "you cannot deactivate yourself; another admin can do it",
  SELF_DEMOTE: () => "you cannot remove your own admin role; another admin can do it",
  SNAPSHOT_NOT_SUCCEEDED: (p) => `is ${s(p, "status")}; pick a succeeded snapshot`,
  NO_SUCH_CAMPAIGN: (p) => `no campaign ${s(p, "id")}`,
  RULE_VALUE_TYPE: (p) => `expected ${s(p, "expected")}, got ${s(p, "value")}`,
  RULE_TOO_DEEP: (p) => `rules may nest at most ${s(p, "max")} levels`,
  RULE_NODE: () => "expected an object: { all: [...] }, { any: [...] }, { not: {...} } or { field, op, value }",
  RULE_EXTRA_KEYS: (p) => `a "${s(p, "node")}" node takes no other keys; found ${s(p, "keys")}`,
  RULE_EMPTY_GROUP: () => "expected a non-empty list of rules",
  RULE_TOO_MANY_CONDITIONS: (p) => `a rule may have at most ${s(p, "max")} conditions`,
  RULE_UNKNOWN_KEYS: (p) => `unknown keys ${s(p, "keys")}; a condition has field, op and value`,
  RULE_UNKNOWN_FIELD: (p) => `unknown field ${s(p, "value")}; use one of ${s(p, "allowed")}`,
  RULE_BAD_OPERATOR: (p) => `operator ${s(p, "op")} does not apply to ${s(p, "field")}; use one of ${s(p, "allowed")}`,
  RULE_BETWEEN: () => "between takes [low, high]",
  LOW_ABOVE_HIGH: (p) => `low (${s(p, "low")}) is above high (${s(p, "high")})`,
  RULE_LIST_SIZE: (p) => `${s(p, "op")} takes a list of 1–${s(p, "max")} values`,
  RF_CELL: () => "expected { r: 1–5, f: 1–5 }",
  REPEATED_CELL: () => "repeats an earlier cell",
  SEGMENT_DEFINITION: () => 'expected { "cells": [{ "r": 1–5, "f": 1–5 }, …] } (1–25 cells) or { "rfmSegment": "<key>" }',
  MANUAL_IDS: (p) => `expected a list of 1–${s(p, "max")} customer external ids`,
  NO_SUCH_CUSTOMER: (p) => `no customer has external id ${s(p, "value")}`,
  BUILTIN_DEFINITION: () => "built-in RFM segments follow the RF segment map in Settings; rename or recolour them instead",
  SEGMENT_EMPTY: () => "has no members in the snapshot",
  ALL_OPTED_OUT: () => "every member opted out",
  RFM_THRESHOLDS: () => "needs four strictly ascending numbers ≥ 0",
  RF_MAP_SHAPE: (p) => (p.row ? "needs 5 cells (F1 to F5)" : "needs 5 rows (R1 to R5) of 5 cells (F1 to F5)"),
  RF_MAP_UNKNOWN_SEGMENT: (p) => `"${s(p, "value")}" is not a segment; use one of ${s(p, "allowed")}`,
  RF_MAP_CONFLICT: () => "give either a map or the reset, not both",
  UNKNOWN_LIST: (p) => `use ${s(p, "allowed")}`,
  TOO_MANY_VIEWS: () => "too many views",
  EFFECTIVE_IN_PAST: () => "a rule change takes effect from now or later, never in the past (orders already earned keep their points)",
  EFFECTIVE_BEFORE_LATEST: (p) => `a version already takes effect at ${s(p, "latest")}: the new one must start after it`,
  EXPIRY_DAYS_NEEDED: (p) => `rolling expiry needs the days a point lasts (1–${s(p, "max")})`,
  EXPIRY_DATE_NEEDED: () => "fixed expiry needs a date after the effective date",
  REDEEM_NOT_POSITIVE: () => "a redemption takes a positive number of points (e.g. 500)",
  ADJUST_ZERO: () => "an adjustment must change the balance: write a positive or negative number of points",
  MULTIPLIER_KEY: () => "a multiplier needs a non-empty key",
  MULTIPLIER_RANGE: (p) => `must be above 1 and at most ${s(p, "max")} (e.g. 2 for double points)`,
  HOLDOUT_RATIO: () => "must be between 0 and 1, exclusive (e.g. 0.1 for a 10% control group)",
  EXPECTED_LIFT: () => "must be a relative lift above 0 (0.1 = +10%)",
  PROGRAMME_MISSING: (p) => `needs an active ${p.programme === "stamps" ? "stamp card" : "points programme"}`,
  PROGRAMME_EMPTY: (p) => `the ${p.programme === "stamps" ? "stamp card" : "points programme"} has no rules`,
};

/** The English words for a field problem: what the API's `message` and the CLI show. */
export function fieldProblemMessage(code: FieldProblemCode, params: ReasonParams = {}): string {
  return ENGLISH[code](params);
}

/** A field problem with its code, parameters and English message (`extensions.problems[]`). */
export function fieldProblem(path: string, reason: FieldProblemCode, params?: ReasonParams): { path: string; message: string; reason: FieldProblemCode; params?: ReasonParams } {
  return { path, message: fieldProblemMessage(reason, params), reason, ...(params && Object.keys(params).length > 0 ? { params } : {}) };
}
