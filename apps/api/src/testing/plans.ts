// EXPLAIN the SQL the services send: wrap `query` so each statement is explained instead of run,
// and check the plans for what makes lists scale (a top-N over an index, not a sort of all rows).
import type { Query } from "@ltvloop/db/client";

export interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Plan Rows"?: number;
  "Actual Rows"?: number;
  "Sort Key"?: string[];
  Plans?: PlanNode[];
}

export interface ExplainedStatement {
  sql: string;
  plan: PlanNode;
  executionMs?: number;
}

/**
 * A `Query` that explains each statement (with ANALYZE when asked: the statement runs, its rows
 * are discarded) and records the plans; services called with it return empty results.
 */
export function explainingQuery(query: Query, analyze: boolean, into: ExplainedStatement[]): Query {
  return async <Row>(text: string, params?: readonly unknown[]) => {
    const rows = await query<Record<string, unknown>>(`explain (format json${analyze ? ", analyze" : ""}) ${text}`, params);
    const raw = Object.values(rows[0] ?? {})[0];
    const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode; "Execution Time"?: number }[];
    const top = parsed[0] as { Plan: PlanNode; "Execution Time"?: number };
    into.push({ sql: text, plan: top.Plan, ...(top["Execution Time"] !== undefined ? { executionMs: top["Execution Time"] } : {}) });
    return [] as Row[];
  };
}

export function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * Whether the plan reads `index`, or its copy on a partition (PostgreSQL names those
 * `<partition>_<columns>_idx`, so a partitioned table's index is matched by `partitionPattern`).
 */
export const usesIndex = (plan: PlanNode, index: string, partitionPattern?: RegExp) =>
  nodes(plan).some((n) => n["Index Name"] === index || (partitionPattern !== undefined && partitionPattern.test(n["Index Name"] ?? "")));

/**
 * Full sorts whose input is larger than `maxRows` (the planner's estimate, or the actual rows
 * when analysed). Incremental sorts only order ties of an index's order, so they pass.
 */
export function bigSorts(plan: PlanNode, maxRows: number): PlanNode[] {
  return nodes(plan).filter((n) => {
    if (n["Node Type"] !== "Sort") return false;
    const input = n.Plans?.[0];
    const rows = input?.["Actual Rows"] ?? input?.["Plan Rows"] ?? 0;
    return rows > maxRows;
  });
}

export function describePlan(plan: PlanNode, depth = 0): string {
  const label = [plan["Node Type"], plan["Index Name"] ? `using ${plan["Index Name"]}` : "", plan["Relation Name"] ? `on ${plan["Relation Name"]}` : ""]
    .filter(Boolean)
    .join(" ");
  const rows = plan["Actual Rows"] ?? plan["Plan Rows"];
  return [`${"  ".repeat(depth)}${label} (rows ${rows})`, ...(plan.Plans ?? []).map((p) => describePlan(p, depth + 1))].join("\n");
}
