// Rule-based segments: a JSON rule tree over score fields and customer attributes, validated
// with the path of every problem and compiled to a parameterised SQL condition.
import { RFM_SEGMENT_LABELS } from "@ltvloop/scoring/rfm";
import { badInput, type FieldProblem } from "../../errors.ts";
import { fieldProblem } from "../../reasons.ts";

type FieldKind = "number" | "integer" | "text" | "boolean" | "date" | "rfmSegment";

/** The as-of of the snapshot being segmented (`s` is its customer_scores row). */
const AS_OF = "(select sn.as_of from snapshots sn where sn.id = s.snapshot_id)";

/** The fields a rule may test; `sql` reads from `s` (customer_scores) and `c` (customers). */
export const RULE_FIELDS: Record<string, { sql: string; kind: FieldKind; description: string }> = {
  recencyDays: { sql: "s.recency_days", kind: "integer", description: "days since the last purchase" },
  frequency: { sql: "s.frequency", kind: "integer", description: "purchase days in the look-back window" },
  monetary: { sql: "s.monetary", kind: "number", description: "revenue in the look-back window" },
  rScore: { sql: "s.r_score", kind: "integer", description: "R score 1–5" },
  fScore: { sql: "s.f_score", kind: "integer", description: "F score 1–5" },
  mScore: { sql: "s.m_score", kind: "integer", description: "M score 1–5" },
  rfmSegment: { sql: "s.rfm_segment", kind: "rfmSegment", description: "RFM segment key" },
  decile: { sql: "s.decile", kind: "integer", description: "revenue decile 1 (top) – 10" },
  repeatPurchases: { sql: "s.btyd_x", kind: "integer", description: "repeat purchase days (BTYD x)" },
  pAlive: { sql: "s.p_alive", kind: "number", description: "probability alive 0–1" },
  expectedPurchases: { sql: "s.expected_purchases", kind: "number", description: "expected purchases over the horizon" },
  expectedSpend: { sql: "s.expected_spend", kind: "number", description: "expected spend per purchase" },
  predictedClv: { sql: "s.predicted_clv", kind: "number", description: "predicted CLV" },
  historicalClv: { sql: "s.historical_clv", kind: "number", description: "historical CLTV" },
  prefecture: { sql: "(c.attributes->>'prefecture')", kind: "text", description: "prefecture, e.g. 東京都" },
  gender: { sql: "(c.attributes->>'gender')", kind: "text", description: "gender" },
  birthYear: { sql: "(c.attributes->>'birthYear')::int", kind: "integer", description: "birth year" },
  acquisitionChannel: { sql: "c.acquisition_channel", kind: "text", description: "acquisition channel" },
  acquiredAt: { sql: "c.acquired_at", kind: "date", description: "acquisition date" },
  emailOptIn: { sql: "c.email_opt_in", kind: "boolean", description: "e-mail opt-in" },
  lineOptIn: { sql: "c.line_opt_in", kind: "boolean", description: "LINE opt-in" },
  smsOptIn: { sql: "c.sms_opt_in", kind: "boolean", description: "SMS opt-in" },
  dmOptIn: { sql: "c.dm_opt_in", kind: "boolean", description: "direct mail opt-in" },
  // Loyalty, as of the snapshot's as-of: the points balance (the sum of the ledger), the unused
  // points that expire within 30 days (earliest-expiring used first), stamps still needed on the
  // open card (null without one).
  pointsBalance: { sql: `(select coalesce(sum(e.points), 0) from loyalty_point_entries e where e.customer_id = c.id and e.occurred_at <= ${AS_OF})`, kind: "number", description: "points balance" },
  pointsExpiringIn30Days: {
    sql: `(select greatest(0, coalesce(sum(e.points) filter (where e.points > 0 and e.expires_at <= ${AS_OF} + interval '30 days'), 0)
                            + coalesce(sum(e.points) filter (where e.points < 0), 0))
             from loyalty_point_entries e where e.customer_id = c.id and e.occurred_at <= ${AS_OF})`,
    kind: "number",
    description: "unused points expiring within 30 days",
  },
  stampsToReward: {
    sql: `(select min(k.card_size - k.stamps) from loyalty_stamp_cards k where k.customer_id = c.id and k.completed_at is null
             and k.started_at <= ${AS_OF} and (k.expires_at is null or k.expires_at > ${AS_OF}))`,
    kind: "integer",
    description: "stamps still needed for the next reward",
  },
};

const OPS_BY_KIND: Record<FieldKind, readonly string[]> = {
  number: ["eq", "neq", "lt", "lte", "gt", "gte", "between", "isNull", "isNotNull"],
  integer: ["eq", "neq", "lt", "lte", "gt", "gte", "between", "in", "notIn", "isNull", "isNotNull"],
  text: ["eq", "neq", "in", "notIn", "contains", "isNull", "isNotNull"],
  boolean: ["eq", "neq"],
  date: ["lt", "lte", "gt", "gte", "between", "isNull", "isNotNull"],
  rfmSegment: ["eq", "neq", "in", "notIn"],
};

const MAX_DEPTH = 8;
const MAX_CONDITIONS = 100;

export type RuleNode =
  | { all: RuleNode[] }
  | { any: RuleNode[] }
  | { not: RuleNode }
  | { field: string; op: string; value?: unknown };

export interface CompiledRule {
  sql: string;
  params: unknown[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Validates `rule` and compiles it to a SQL condition over `s` (customer_scores) and `c`
 * (customers), with parameters numbered from `$firstParam`. Every problem is reported with
 * its JSON path (e.g. `definition.all[1].op`), all at once.
 */
export function compileRule(rule: unknown, firstParam = 1, root = "definition"): CompiledRule {
  const problems: FieldProblem[] = [];
  const params: unknown[] = [];
  let conditions = 0;
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };

  const compileValue = (kind: FieldKind, value: unknown, path: string): unknown => {
    const fail = (expected: string) => {
      problems.push(fieldProblem(path, "RULE_VALUE_TYPE", { kind, expected, value: String(JSON.stringify(value) ?? "undefined").slice(0, 80) }));
      return null;
    };
    switch (kind) {
      case "number":
        return typeof value === "number" && Number.isFinite(value) ? value : fail("a number");
      case "integer":
        return Number.isInteger(value) ? value : fail("a whole number");
      case "text":
        return typeof value === "string" && value.length <= 200 ? value : fail("a string of at most 200 characters");
      case "boolean":
        return typeof value === "boolean" ? value : fail("true or false");
      case "date":
        return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : fail("a date such as 2024-04-01");
      case "rfmSegment":
        return typeof value === "string" && value in RFM_SEGMENT_LABELS
          ? value
          : fail(`one of ${Object.keys(RFM_SEGMENT_LABELS).join(", ")}`);
    }
  };

  const walk = (node: unknown, path: string, depth: number): string => {
    if (depth > MAX_DEPTH) {
      problems.push(fieldProblem(path, "RULE_TOO_DEEP", { max: MAX_DEPTH }));
      return "false";
    }
    if (!isObject(node)) {
      problems.push(fieldProblem(path, "RULE_NODE"));
      return "false";
    }
    const keys = Object.keys(node);
    for (const group of ["all", "any"] as const) {
      if (group in node) {
        if (keys.length !== 1) problems.push(fieldProblem(path, "RULE_EXTRA_KEYS", { node: group, keys: keys.join(", ") }));
        const children = node[group];
        if (!Array.isArray(children) || children.length === 0) {
          problems.push(fieldProblem(`${path}.${group}`, "RULE_EMPTY_GROUP"));
          return "false";
        }
        const parts = children.map((child, i) => walk(child, `${path}.${group}[${i}]`, depth + 1));
        return `(${parts.join(group === "all" ? " and " : " or ")})`;
      }
    }
    if ("not" in node) {
      if (keys.length !== 1) problems.push(fieldProblem(path, "RULE_EXTRA_KEYS", { node: "not", keys: keys.join(", ") }));
      return `(not coalesce(${walk(node.not, `${path}.not`, depth + 1)}, false))`;
    }
    conditions += 1;
    if (conditions > MAX_CONDITIONS) {
      if (conditions === MAX_CONDITIONS + 1) problems.push(fieldProblem(path, "RULE_TOO_MANY_CONDITIONS", { max: MAX_CONDITIONS }));
      return "false";
    }
    const unknownKeys = keys.filter((k) => !["field", "op", "value"].includes(k));
    if (unknownKeys.length > 0) problems.push(fieldProblem(path, "RULE_UNKNOWN_KEYS", { keys: unknownKeys.join(", ") }));
    const fieldName = node.field;
    const field = typeof fieldName === "string" ? RULE_FIELDS[fieldName] : undefined;
    if (!field) {
      problems.push(fieldProblem(`${path}.field`, "RULE_UNKNOWN_FIELD", { value: String(JSON.stringify(fieldName) ?? "undefined").slice(0, 80), allowed: Object.keys(RULE_FIELDS).join(", ") }));
      return "false";
    }
    const op = node.op;
    const allowed = OPS_BY_KIND[field.kind];
    if (typeof op !== "string" || !allowed.includes(op)) {
      problems.push(fieldProblem(`${path}.op`, "RULE_BAD_OPERATOR", { op: String(JSON.stringify(op) ?? "undefined").slice(0, 80), field: String(fieldName), allowed: allowed.join(", ") }));
      return "false";
    }
    const valuePath = `${path}.value`;
    const col = field.sql;
    const cast = field.kind === "date" ? "::timestamptz" : field.kind === "number" ? "::numeric" : "";
    switch (op) {
      case "isNull":
        return `(${col} is null)`;
      case "isNotNull":
        return `(${col} is not null)`;
      case "between": {
        const value = node.value;
        if (!Array.isArray(value) || value.length !== 2) {
          problems.push(fieldProblem(valuePath, "RULE_BETWEEN"));
          return "false";
        }
        const low = compileValue(field.kind, value[0], `${valuePath}[0]`);
        const high = compileValue(field.kind, value[1], `${valuePath}[1]`);
        if (typeof low === "number" && typeof high === "number" && low > high) {
          problems.push(fieldProblem(valuePath, "LOW_ABOVE_HIGH", { low, high }));
        }
        return `(${col} between ${param(low)}${cast} and ${param(high)}${cast})`;
      }
      case "in":
      case "notIn": {
        const value = node.value;
        if (!Array.isArray(value) || value.length === 0 || value.length > 1000) {
          problems.push(fieldProblem(valuePath, "RULE_LIST_SIZE", { op, max: 1000 }));
          return "false";
        }
        const values = value.map((v, i) => compileValue(field.kind, v, `${valuePath}[${i}]`));
        const arrayType = field.kind === "integer" ? "int[]" : "text[]";
        return op === "in" ? `(${col} = any(${param(values)}::${arrayType}))` : `(not (${col} = any(${param(values)}::${arrayType})))`;
      }
      case "contains": {
        const value = compileValue("text", node.value, valuePath);
        return `(${col} ilike '%' || ${param(String(value).replace(/[\\%_]/g, "\\$&"))} || '%')`;
      }
      default: {
        const sqlOp = { eq: "=", neq: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" }[op] as string;
        const value = compileValue(field.kind, node.value, valuePath);
        return `(${col} ${sqlOp} ${param(value)}${cast})`;
      }
    }
  };

  const sql = walk(rule, root, 1);
  if (problems.length > 0) {
    throw badInput(`The segment rule has ${problems.length} problem(s); each names its place in the rule.`, problems);
  }
  return { sql, params };
}
