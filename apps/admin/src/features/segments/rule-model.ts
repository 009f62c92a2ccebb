// The rule builder's model and its two-way mapping to the API's rule tree
// (apps/api/src/modules/segments/segment-rule.ts): `{ all: [...] }`, `{ any: [...] }`,
// `{ not: node }` and conditions `{ field, op, value }`. The builder edits nested groups of
// conditions; a negated group becomes `{ not: { all | any: [...] } }`.
import { PREFECTURES, RFM_SEGMENT_KEYS } from "../shared/segment-keys.ts";
import { businessDay, dayBoundary, isBusinessDay } from "../shared/zoned-date.ts";

export type FieldKind = "number" | "integer" | "text" | "boolean" | "date" | "rfmSegment";
export type RuleOp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "between" | "in" | "notIn" | "contains" | "isNull" | "isNotNull";
export type FieldCategory = "rfm" | "prediction" | "attribute" | "optIn" | "loyalty";
export type FieldUnit = "days" | "money" | "percent" | "count" | "score" | "year" | "purchases";

/** Operators per field kind, exactly as the API accepts them. */
export const OPS_BY_KIND: Record<FieldKind, readonly RuleOp[]> = {
  number: ["eq", "neq", "lt", "lte", "gt", "gte", "between", "isNull", "isNotNull"],
  integer: ["eq", "neq", "lt", "lte", "gt", "gte", "between", "in", "notIn", "isNull", "isNotNull"],
  text: ["eq", "neq", "in", "notIn", "contains", "isNull", "isNotNull"],
  boolean: ["eq", "neq"],
  date: ["lt", "lte", "gt", "gte", "between", "isNull", "isNotNull"],
  rfmSegment: ["eq", "neq", "in", "notIn"],
};

export interface RuleFieldSpec {
  kind: FieldKind;
  category: FieldCategory;
  unit?: FieldUnit;
  /** The builder shows value × scale: P(alive) 0–1 is entered as a percentage. */
  scale?: number;
  /** Bounds in the builder's units. */
  min?: number;
  max?: number;
  step?: number;
  /** The only values the field takes (scores, deciles, RFM segments). */
  choices?: readonly (string | number)[];
  /** Common values offered for free text; others may be typed. */
  suggestions?: readonly string[];
  defaultOp: RuleOp;
}

const SCORES = [1, 2, 3, 4, 5] as const;
const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/** The fields the API's rule validator knows (RULE_FIELDS there), grouped for the picker. */
export const RULE_FIELDS = {
  rfmSegment: { kind: "rfmSegment", category: "rfm", choices: RFM_SEGMENT_KEYS, defaultOp: "in" },
  rScore: { kind: "integer", category: "rfm", unit: "score", min: 1, max: 5, choices: SCORES, defaultOp: "gte" },
  fScore: { kind: "integer", category: "rfm", unit: "score", min: 1, max: 5, choices: SCORES, defaultOp: "gte" },
  mScore: { kind: "integer", category: "rfm", unit: "score", min: 1, max: 5, choices: SCORES, defaultOp: "gte" },
  recencyDays: { kind: "integer", category: "rfm", unit: "days", min: 0, defaultOp: "lte" },
  frequency: { kind: "integer", category: "rfm", unit: "purchases", min: 0, defaultOp: "gte" },
  monetary: { kind: "number", category: "rfm", unit: "money", min: 0, step: 1000, defaultOp: "gte" },
  decile: { kind: "integer", category: "rfm", min: 1, max: 10, choices: DECILES, defaultOp: "lte" },
  pAlive: { kind: "number", category: "prediction", unit: "percent", scale: 100, min: 0, max: 100, step: 5, defaultOp: "lt" },
  predictedClv: { kind: "number", category: "prediction", unit: "money", step: 1000, defaultOp: "gte" },
  expectedPurchases: { kind: "number", category: "prediction", unit: "purchases", min: 0, step: 0.5, defaultOp: "gte" },
  expectedSpend: { kind: "number", category: "prediction", unit: "money", min: 0, step: 500, defaultOp: "gte" },
  historicalClv: { kind: "number", category: "prediction", unit: "money", step: 1000, defaultOp: "gte" },
  repeatPurchases: { kind: "integer", category: "prediction", unit: "purchases", min: 0, defaultOp: "gte" },
  prefecture: { kind: "text", category: "attribute", suggestions: PREFECTURES, defaultOp: "in" },
  gender: { kind: "text", category: "attribute", suggestions: ["female", "male", "unspecified"], defaultOp: "eq" },
  birthYear: { kind: "integer", category: "attribute", unit: "year", min: 1900, max: 2100, defaultOp: "between" },
  acquisitionChannel: {
    kind: "text",
    category: "attribute",
    suggestions: ["organic_search", "paid_search", "social", "affiliate", "referral", "store"],
    defaultOp: "in",
  },
  acquiredAt: { kind: "date", category: "attribute", defaultOp: "gte" },
  emailOptIn: { kind: "boolean", category: "optIn", defaultOp: "eq" },
  lineOptIn: { kind: "boolean", category: "optIn", defaultOp: "eq" },
  smsOptIn: { kind: "boolean", category: "optIn", defaultOp: "eq" },
  dmOptIn: { kind: "boolean", category: "optIn", defaultOp: "eq" },
  pointsBalance: { kind: "number", category: "loyalty", unit: "count", min: 0, step: 100, defaultOp: "gte" },
  pointsExpiringIn30Days: { kind: "number", category: "loyalty", unit: "count", min: 0, step: 100, defaultOp: "gt" },
  stampsToReward: { kind: "integer", category: "loyalty", unit: "count", min: 1, max: 100, defaultOp: "lte" },
} as const satisfies Record<string, RuleFieldSpec>;

export type RuleField = keyof typeof RULE_FIELDS;
export const FIELD_NAMES = Object.keys(RULE_FIELDS) as RuleField[];
export const FIELD_CATEGORIES: readonly FieldCategory[] = ["rfm", "prediction", "attribute", "optIn", "loyalty"];
export const spec = (field: RuleField): RuleFieldSpec => RULE_FIELDS[field];
export const isRuleField = (v: unknown): v is RuleField => typeof v === "string" && Object.hasOwn(RULE_FIELDS, v);

/** The API's limits (MAX_DEPTH, MAX_CONDITIONS); the root group is depth 1. */
export const MAX_DEPTH = 8;
export const MAX_CONDITIONS = 100;
const MAX_TEXT = 200;
const MAX_LIST = 1000;

export interface RuleCondition {
  type: "condition";
  id: string;
  field: RuleField;
  op: RuleOp;
  /** Single number or the low end of `between`, in the builder's units (see `scale`). */
  num: number | null;
  /** The high end of `between`. */
  num2: number | null;
  text: string;
  /** Values of `in` / `notIn` (numbers for integer fields, strings otherwise). */
  list: (string | number)[];
  flag: boolean;
  /** Business day YYYY-MM-DD (low end of `between`). */
  date: string | null;
  date2: string | null;
}

export interface RuleGroup {
  type: "group";
  id: string;
  match: "all" | "any";
  negate: boolean;
  children: RuleNode[];
}

export type RuleNode = RuleCondition | RuleGroup;

let sequence = 0;
const nextId = () => `n${(sequence += 1)}`;

/** How the value of a condition is entered. */
export type ValueShape = "none" | "number" | "range" | "list" | "text" | "choice" | "boolean" | "date" | "dateRange";

export function valueShape(field: RuleField, op: RuleOp): ValueShape {
  const kind = spec(field).kind;
  if (op === "isNull" || op === "isNotNull") return "none";
  if (kind === "boolean") return "boolean";
  if (kind === "date") return op === "between" ? "dateRange" : "date";
  if (op === "in" || op === "notIn") return "list";
  if (op === "between") return "range";
  if (kind === "rfmSegment") return "choice";
  if (kind === "text") return "text";
  return "number";
}

export function newCondition(field: RuleField = "pAlive"): RuleCondition {
  return { type: "condition", id: nextId(), field, op: spec(field).defaultOp, num: null, num2: null, text: "", list: [], flag: true, date: null, date2: null };
}

export function newGroup(match: "all" | "any" = "all", children: RuleNode[] = []): RuleGroup {
  return { type: "group", id: nextId(), match, negate: false, children };
}

// ---------------------------------------------------------------------------------------------
// Editing (in place, on the reactive model)

/** The node with `id` and the group holding it (null for the root). */
export function findNode(root: RuleGroup, id: string): { node: RuleNode; parent: RuleGroup | null; depth: number } | null {
  if (root.id === id) return { node: root, parent: null, depth: 1 };
  const walk = (group: RuleGroup, depth: number): { node: RuleNode; parent: RuleGroup; depth: number } | null => {
    for (const child of group.children) {
      if (child.id === id) return { node: child, parent: group, depth: depth + 1 };
      if (child.type === "group") {
        const found = walk(child, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(root, 1);
}

export function countConditions(node: RuleNode): number {
  return node.type === "condition" ? 1 : node.children.reduce((n, c) => n + countConditions(c), 0);
}

export function addCondition(root: RuleGroup, groupId: string, field?: RuleField): RuleCondition | null {
  const found = findNode(root, groupId);
  if (!found || found.node.type !== "group" || countConditions(root) >= MAX_CONDITIONS) return null;
  const condition = newCondition(field);
  found.node.children.push(condition);
  return condition;
}

/** Adds a sub-group (with one condition to start from) unless it would nest too deep. */
export function addGroup(root: RuleGroup, groupId: string): RuleGroup | null {
  const found = findNode(root, groupId);
  if (!found || found.node.type !== "group" || !canNest(found.depth) || countConditions(root) >= MAX_CONDITIONS) return null;
  const group = newGroup(found.node.match === "all" ? "any" : "all", [newCondition()]);
  found.node.children.push(group);
  return group;
}

/** A group at `depth` may hold another group when its conditions stay within the API's depth. */
export const canNest = (depth: number) => depth + 2 <= MAX_DEPTH;

export function removeNode(root: RuleGroup, id: string): void {
  const found = findNode(root, id);
  if (!found?.parent) return;
  found.parent.children = found.parent.children.filter((c) => c.id !== id);
}

/** Changes a condition's field: the operator goes to the field's default unless it still applies; values reset. */
export function setField(root: RuleGroup, id: string, field: RuleField): void {
  const found = findNode(root, id);
  if (!found || found.node.type !== "condition") return;
  const fresh = newCondition(field);
  Object.assign(found.node, { ...fresh, id: found.node.id });
}

/** Changes the operator; values carry over where they still fit (a single value ⇄ a range's low end). */
export function setOp(root: RuleGroup, id: string, op: RuleOp): void {
  const found = findNode(root, id);
  if (!found || found.node.type !== "condition") return;
  const c = found.node;
  const before = valueShape(c.field, c.op);
  c.op = op;
  const after = valueShape(c.field, op);
  if (after === "list" && before !== "list") {
    const single = before === "number" ? c.num : before === "text" || before === "choice" ? c.text.trim() || null : null;
    c.list = single === null ? [] : [single];
  } else if ((after === "text" || after === "choice") && before === "list") {
    const first = c.list[0];
    c.text = first === undefined ? "" : String(first);
  } else if (after === "number" && before === "list") {
    const first = c.list[0];
    c.num = typeof first === "number" ? first : null;
  }
}

export function patchCondition(root: RuleGroup, id: string, patch: Partial<Pick<RuleCondition, "num" | "num2" | "text" | "list" | "flag" | "date" | "date2">>): void {
  const found = findNode(root, id);
  if (found?.node.type === "condition") Object.assign(found.node, patch);
}

export function setGroup(root: RuleGroup, id: string, patch: Partial<Pick<RuleGroup, "match" | "negate">>): void {
  const found = findNode(root, id);
  if (found?.node.type === "group") Object.assign(found.node, patch);
}

// ---------------------------------------------------------------------------------------------
// Validation (before anything is sent)

export type RuleProblemCode =
  | "emptyGroup"
  | "valueRequired"
  | "wholeNumber"
  | "belowMin"
  | "aboveMax"
  | "lowAboveHigh"
  | "listEmpty"
  | "listTooLong"
  | "textTooLong"
  | "invalidDate"
  | "tooDeep"
  | "tooManyConditions";

export interface RuleProblem {
  id: string;
  code: RuleProblemCode;
  params?: Record<string, number>;
}

function checkNumber(c: RuleCondition, value: number | null, problems: RuleProblem[]): void {
  const s = spec(c.field);
  if (value === null || !Number.isFinite(value)) problems.push({ id: c.id, code: "valueRequired" });
  else if (s.kind === "integer" && !Number.isInteger(value)) problems.push({ id: c.id, code: "wholeNumber" });
  else if (s.min !== undefined && value < s.min) problems.push({ id: c.id, code: "belowMin", params: { min: s.min } });
  else if (s.max !== undefined && value > s.max) problems.push({ id: c.id, code: "aboveMax", params: { max: s.max } });
}

/** Every problem that would make the API reject the rule, or make a condition meaningless. */
export function validateRule(root: RuleGroup): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (countConditions(root) > MAX_CONDITIONS) problems.push({ id: root.id, code: "tooManyConditions", params: { max: MAX_CONDITIONS } });
  const visit = (node: RuleNode, depth: number): void => {
    if (node.type === "group") {
      // A negated group costs one more level (`{ not: { all: … } }`).
      const own = depth + (node.negate ? 1 : 0);
      if (own > MAX_DEPTH) problems.push({ id: node.id, code: "tooDeep", params: { max: MAX_DEPTH } });
      if (node.children.length === 0) problems.push({ id: node.id, code: "emptyGroup" });
      for (const child of node.children) visit(child, own + 1);
      return;
    }
    if (depth > MAX_DEPTH) problems.push({ id: node.id, code: "tooDeep", params: { max: MAX_DEPTH } });
    const shape = valueShape(node.field, node.op);
    switch (shape) {
      case "number":
        checkNumber(node, node.num, problems);
        break;
      case "range":
        checkNumber(node, node.num, problems);
        checkNumber(node, node.num2, problems);
        if (node.num !== null && node.num2 !== null && node.num > node.num2) problems.push({ id: node.id, code: "lowAboveHigh" });
        break;
      case "list":
        if (node.list.length === 0) problems.push({ id: node.id, code: "listEmpty" });
        else if (node.list.length > MAX_LIST) problems.push({ id: node.id, code: "listTooLong", params: { max: MAX_LIST } });
        else if (spec(node.field).kind === "integer") for (const v of node.list) checkNumber(node, typeof v === "number" ? v : toNumber(v), problems);
        else if (node.list.some((v) => String(v).length > MAX_TEXT)) problems.push({ id: node.id, code: "textTooLong", params: { max: MAX_TEXT } });
        break;
      case "text":
      case "choice":
        if (node.text.trim() === "") problems.push({ id: node.id, code: "valueRequired" });
        else if (node.text.length > MAX_TEXT) problems.push({ id: node.id, code: "textTooLong", params: { max: MAX_TEXT } });
        break;
      case "date":
        if (!node.date) problems.push({ id: node.id, code: "valueRequired" });
        else if (!isBusinessDay(node.date)) problems.push({ id: node.id, code: "invalidDate" });
        break;
      case "dateRange":
        if (!node.date || !node.date2) problems.push({ id: node.id, code: "valueRequired" });
        else if (!isBusinessDay(node.date) || !isBusinessDay(node.date2)) problems.push({ id: node.id, code: "invalidDate" });
        else if (node.date > node.date2) problems.push({ id: node.id, code: "lowAboveHigh" });
        break;
      case "boolean":
      case "none":
        break;
    }
  };
  visit(root, 1);
  // One message per code and node is enough.
  return problems.filter((p, i) => problems.findIndex((q) => q.id === p.id && q.code === p.code) === i);
}

const toNumber = (v: string | number): number | null => {
  if (typeof v === "number") return v;
  const n = Number(v.trim().replace(/,/g, ""));
  return v.trim() === "" || !Number.isFinite(n) ? null : n;
};

// ---------------------------------------------------------------------------------------------
// Builder model → API rule tree

export interface SerializedRule {
  tree: unknown;
  /** The API path of every builder node (`definition.all[1].any[0]`), to place API problems. */
  paths: Map<string, string>;
}

/** Undoes float noise from the percentage scale (0.07 × 100 = 7.000000000000001). */
const clean = (n: number) => Number(n.toPrecision(12));
const fromDisplay = (field: RuleField, n: number | null) => (n === null ? null : clean(n / (spec(field).scale ?? 1)));
const toDisplay = (field: RuleField, n: number) => clean(n * (spec(field).scale ?? 1));

function conditionValue(c: RuleCondition, timeZone: string): { value?: unknown } {
  const kind = spec(c.field).kind;
  switch (valueShape(c.field, c.op)) {
    case "none":
      return {};
    case "number":
      return { value: fromDisplay(c.field, c.num) };
    case "range":
      return { value: [fromDisplay(c.field, c.num), fromDisplay(c.field, c.num2)] };
    case "list":
      return { value: c.list.map((v) => (kind === "integer" ? toNumber(v) : String(v).trim())) };
    case "text":
      return { value: c.text.trim() };
    case "choice":
      return { value: c.text };
    case "boolean":
      return { value: c.flag };
    case "date": {
      // "after 1 April" means after the day ends; "before 1 April" before it starts.
      if (!isBusinessDay(c.date)) return { value: c.date };
      return { value: dayBoundary(c.date, timeZone, c.op === "gt" || c.op === "lte" ? "end" : "start") };
    }
    case "dateRange":
      return {
        value: [
          isBusinessDay(c.date) ? dayBoundary(c.date, timeZone, "start") : c.date,
          isBusinessDay(c.date2) ? dayBoundary(c.date2, timeZone, "end") : c.date2,
        ],
      };
  }
}

/** The API rule tree for the builder model, with the path of each node inside `definition`. */
export function toRuleTree(root: RuleGroup, timeZone: string, rootPath = "definition"): SerializedRule {
  const paths = new Map<string, string>();
  const build = (node: RuleNode, path: string): unknown => {
    paths.set(node.id, path);
    if (node.type === "condition") return { field: node.field, op: node.op, ...conditionValue(node, timeZone) };
    const inner = node.negate ? `${path}.not` : path;
    const children = node.children.map((child, i) => build(child, `${inner}.${node.match}[${i}]`));
    const group = node.match === "all" ? { all: children } : { any: children };
    return node.negate ? { not: group } : group;
  };
  return { tree: build(root, rootPath), paths };
}

// ---------------------------------------------------------------------------------------------
// API rule tree → builder model

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseCondition(node: Record<string, unknown>, timeZone: string): RuleCondition | null {
  const { field, op, value } = node;
  if (!isRuleField(field) || typeof op !== "string" || !(OPS_BY_KIND[spec(field).kind] as readonly string[]).includes(op)) return null;
  const c = newCondition(field);
  c.op = op as RuleOp;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? toDisplay(field, v) : null);
  const day = (v: unknown) => (typeof v === "string" ? businessDay(v, timeZone) : null);
  switch (valueShape(field, c.op)) {
    case "none":
      break;
    case "number":
      c.num = num(value);
      if (c.num === null) return null;
      break;
    case "range":
      if (!Array.isArray(value) || value.length !== 2) return null;
      c.num = num(value[0]);
      c.num2 = num(value[1]);
      if (c.num === null || c.num2 === null) return null;
      break;
    case "list":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" || typeof v === "number")) return null;
      c.list = [...(value as (string | number)[])];
      break;
    case "text":
    case "choice":
      if (typeof value !== "string") return null;
      c.text = value;
      break;
    case "boolean":
      if (typeof value !== "boolean") return null;
      c.flag = value;
      break;
    case "date":
      c.date = day(value);
      if (!c.date) return null;
      break;
    case "dateRange":
      if (!Array.isArray(value) || value.length !== 2) return null;
      c.date = day(value[0]);
      c.date2 = day(value[1]);
      if (!c.date || !c.date2) return null;
      break;
  }
  return c;
}

function parseNode(node: unknown, timeZone: string): RuleNode | null {
  if (!isObject(node)) return null;
  for (const match of ["all", "any"] as const) {
    if (match in node) {
      const list = node[match];
      if (!Array.isArray(list)) return null;
      const children = list.map((child) => parseNode(child, timeZone));
      if (children.some((c) => c === null)) return null;
      return newGroup(match, children as RuleNode[]);
    }
  }
  if ("not" in node) {
    const inner = parseNode(node.not, timeZone);
    if (!inner) return null;
    if (inner.type === "group") {
      inner.negate = !inner.negate;
      return inner;
    }
    const group = newGroup("all", [inner]);
    group.negate = true;
    return group;
  }
  return parseCondition(node, timeZone);
}

/**
 * The builder model for a stored rule tree; null when the tree uses something the builder
 * cannot show (a field this UI does not know yet), so the caller can fall back to the JSON.
 */
export function fromRuleTree(tree: unknown, timeZone: string): RuleGroup | null {
  const node = parseNode(tree, timeZone);
  if (!node) return null;
  return node.type === "group" ? node : newGroup("all", [node]);
}

// ---------------------------------------------------------------------------------------------
// Problems from the API → builder nodes

export interface PathProblem {
  path: string;
  message: string;
}

/**
 * Places API problems (paths like `definition.all[1].value[0]`) on the deepest builder node
 * whose path they start with; problems that name no node land on the root.
 */
export function problemsByNode(problems: readonly PathProblem[], paths: Map<string, string>, rootId: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const problem of problems) {
    let best: { id: string; length: number } | null = null;
    for (const [id, path] of paths) {
      const next = problem.path.charAt(path.length);
      const within = problem.path === path || (problem.path.startsWith(path) && (next === "." || next === "["));
      if (within && (!best || path.length > best.length)) best = { id, length: path.length };
    }
    const id = best?.id ?? rootId;
    out.set(id, [...(out.get(id) ?? []), problem.message]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A readable sentence for the rule

export interface RuleWords {
  /** One condition as a phrase, e.g. "P(alive) < 50%" (word order differs by language). */
  condition: (condition: RuleCondition) => string;
  and: string;
  or: string;
  not: string;
}

/** E.g. `P(alive) < 50% AND (Prefecture is any of 東京都, 大阪府 OR Decile ≤ 2)`. */
export function describeRule(root: RuleGroup, words: RuleWords): string {
  const describe = (node: RuleNode, isTop: boolean): string => {
    if (node.type === "condition") return words.condition(node);
    const parts = node.children.map((child) => describe(child, false));
    const joined = parts.join(` ${node.match === "all" ? words.and : words.or} `);
    if (node.negate) return `${words.not} (${joined})`;
    return isTop || parts.length <= 1 ? joined : `(${joined})`;
  };
  return describe(root, true);
}
