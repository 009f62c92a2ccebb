import { describe, expect, it } from "vitest";
import { topShare } from "./deciles.ts";
import { buildSankey, defaultPair, summarizeMigration, transitionRows, type Transition } from "./migration.ts";
import { cellId, defaultName, sameCells, toggleCell } from "./rf-cells.ts";
import {
  addCondition,
  addGroup,
  canNest,
  describeRule,
  fromRuleTree,
  MAX_DEPTH,
  newCondition,
  newGroup,
  problemsByNode,
  removeNode,
  setField,
  setOp,
  toRuleTree,
  validateRule,
  type RuleCondition,
  type RuleGroup,
} from "./rule-model.ts";
import { businessDay, dayBoundary, zoneOffsetMinutes } from "../shared/zoned-date.ts";

const TOKYO = "Asia/Tokyo";
const cond = (patch: Partial<RuleCondition> & Pick<RuleCondition, "field">): RuleCondition => ({ ...newCondition(patch.field), ...patch });

describe("RF cell selection", () => {
  it("toggles cells and keeps R descending, F ascending", () => {
    let cells = toggleCell([], { r: 4, f: 5 });
    cells = toggleCell(cells, { r: 5, f: 4 });
    cells = toggleCell(cells, { r: 5, f: 2 });
    expect(cells.map(cellId)).toEqual(["R5F2", "R5F4", "R4F5"]);
    cells = toggleCell(cells, { r: 5, f: 4 });
    expect(cells).toEqual([{ r: 5, f: 2 }, { r: 4, f: 5 }]);
  });

  it("proposes a short name: rows with the same F scores share one part, ranges in the language's own dash", () => {
    const block = [5, 4].flatMap((r) => [4, 5].map((f) => ({ r, f })));
    expect(defaultName(block, "ja")).toBe("R4〜5 F4〜5");
    expect(defaultName(block, "en")).toBe("R4–5 F4–5");
    expect(defaultName([{ r: 4, f: 5 }, { r: 5, f: 4 }, { r: 5, f: 2 }, { r: 5, f: 1 }], "ja")).toBe("R5 F1〜2,4、R4 F5");
    expect(defaultName([{ r: 4, f: 5 }, { r: 5, f: 4 }, { r: 5, f: 2 }, { r: 5, f: 1 }], "en")).toBe("R5 F1–2,4; R4 F5");
    expect(defaultName([{ r: 1, f: 1 }], "en")).toBe("R1 F1");
    // Rows with the same scores that are not adjacent stay apart.
    expect(defaultName([{ r: 5, f: 5 }, { r: 3, f: 5 }], "en")).toBe("R5 F5; R3 F5");
  });

  it("keeps the proposed name within the 100 characters a segment name may have, for any selection", () => {
    const all = [1, 2, 3, 4, 5].flatMap((r) => [1, 2, 3, 4, 5].map((f) => ({ r, f })));
    expect(defaultName(all, "ja")).toBe("R1〜5 F1〜5");
    const checker = all.filter((c) => (c.r + c.f) % 2 === 0);
    for (const locale of ["ja", "en"]) expect(defaultName(checker, locale).length).toBeLessThanOrEqual(100);
  });

  it("compares selections regardless of order", () => {
    expect(sameCells([{ r: 1, f: 2 }, { r: 5, f: 5 }], [{ r: 5, f: 5 }, { r: 1, f: 2 }])).toBe(true);
    expect(sameCells([{ r: 1, f: 2 }], [{ r: 1, f: 3 }])).toBe(false);
  });
});

describe("business days in a time zone", () => {
  it("writes the first and last instant of a Tokyo day with its offset", () => {
    expect(dayBoundary("2024-04-01", TOKYO, "start")).toBe("2024-04-01T00:00:00.000+09:00");
    expect(dayBoundary("2024-04-01", TOKYO, "end")).toBe("2024-04-01T23:59:59.999+09:00");
    expect(Date.parse(dayBoundary("2024-04-01", TOKYO, "start"))).toBe(Date.UTC(2024, 2, 31, 15));
  });

  it("follows daylight saving time where the zone has it", () => {
    expect(dayBoundary("2024-01-15", "America/New_York", "start")).toBe("2024-01-15T00:00:00.000-05:00");
    expect(dayBoundary("2024-07-15", "America/New_York", "start")).toBe("2024-07-15T00:00:00.000-04:00");
    expect(zoneOffsetMinutes(Date.UTC(2024, 6, 1), "Asia/Kolkata")).toBe(330);
  });

  it("reads an instant back as its business day", () => {
    // 2024-03-31T16:00Z is already 1 April in Tokyo.
    expect(businessDay("2024-03-31T16:00:00Z", TOKYO)).toBe("2024-04-01");
    expect(businessDay("2024-03-31T16:00:00Z", "UTC")).toBe("2024-03-31");
    expect(businessDay("not a date", TOKYO)).toBeNull();
  });
});

describe("rule builder ⇄ API rule tree", () => {
  it("writes nested AND/OR groups, percentages as probabilities and NOT groups", () => {
    const inner = newGroup("any", [cond({ field: "prefecture", op: "in", list: ["東京都", "大阪府"] }), cond({ field: "decile", op: "lte", num: 2 })]);
    inner.negate = true;
    const root = newGroup("all", [cond({ field: "pAlive", op: "lt", num: 50 }), cond({ field: "predictedClv", op: "gte", num: 20000 }), inner]);
    const { tree, paths } = toRuleTree(root, TOKYO);
    expect(tree).toEqual({
      all: [
        { field: "pAlive", op: "lt", value: 0.5 },
        { field: "predictedClv", op: "gte", value: 20000 },
        { not: { any: [{ field: "prefecture", op: "in", value: ["東京都", "大阪府"] }, { field: "decile", op: "lte", value: 2 }] } },
      ],
    });
    expect(paths.get(inner.id)).toBe("definition.all[2]");
    expect(paths.get(inner.children[1]?.id ?? "")).toBe("definition.all[2].not.any[1]");
  });

  it("undoes floating-point noise from the percentage scale", () => {
    const { tree } = toRuleTree(newGroup("all", [cond({ field: "pAlive", op: "between", num: 7, num2: 29 })]), TOKYO);
    expect(tree).toEqual({ all: [{ field: "pAlive", op: "between", value: [0.07, 0.29] }] });
  });

  it("writes dates as day boundaries in the business time zone, by operator", () => {
    const root = newGroup("all", [
      cond({ field: "acquiredAt", op: "gte", date: "2024-04-01" }),
      cond({ field: "acquiredAt", op: "lte", date: "2024-04-30" }),
      cond({ field: "acquiredAt", op: "between", date: "2024-04-01", date2: "2024-04-30" }),
      cond({ field: "emailOptIn", op: "eq", flag: false }),
      cond({ field: "gender", op: "isNull" }),
    ]);
    expect(toRuleTree(root, TOKYO).tree).toEqual({
      all: [
        { field: "acquiredAt", op: "gte", value: "2024-04-01T00:00:00.000+09:00" },
        { field: "acquiredAt", op: "lte", value: "2024-04-30T23:59:59.999+09:00" },
        { field: "acquiredAt", op: "between", value: ["2024-04-01T00:00:00.000+09:00", "2024-04-30T23:59:59.999+09:00"] },
        { field: "emailOptIn", op: "eq", value: false },
        { field: "gender", op: "isNull" },
      ],
    });
  });

  it("reads back what it wrote", () => {
    const trees = [
      { all: [{ field: "pAlive", op: "lt", value: 0.35 }, { any: [{ field: "rfmSegment", op: "in", value: ["at_risk", "hibernating"] }, { field: "rScore", op: "eq", value: 1 }] }] },
      { any: [{ not: { all: [{ field: "lineOptIn", op: "eq", value: true }, { field: "birthYear", op: "between", value: [1970, 1989] }] } }] },
      { all: [{ field: "acquiredAt", op: "gt", value: "2024-04-30T23:59:59.999+09:00" }, { field: "prefecture", op: "contains", value: "東" }] },
    ];
    for (const tree of trees) {
      const model = fromRuleTree(tree, TOKYO);
      expect(model).not.toBeNull();
      expect(toRuleTree(model as RuleGroup, TOKYO).tree).toEqual(tree);
    }
  });

  it("wraps a bare condition and a negated condition in groups the builder can show", () => {
    const bare = fromRuleTree({ field: "decile", op: "eq", value: 1 }, TOKYO);
    expect(bare && toRuleTree(bare, TOKYO).tree).toEqual({ all: [{ field: "decile", op: "eq", value: 1 }] });
    const negated = fromRuleTree({ all: [{ not: { field: "smsOptIn", op: "eq", value: true } }] }, TOKYO);
    expect(negated && toRuleTree(negated, TOKYO).tree).toEqual({ all: [{ not: { all: [{ field: "smsOptIn", op: "eq", value: true } ] } }] });
  });

  it("refuses trees it cannot show instead of dropping parts", () => {
    expect(fromRuleTree({ all: [{ field: "shoeSize", op: "eq", value: 27 }] }, TOKYO)).toBeNull();
    expect(fromRuleTree({ all: [{ field: "pAlive", op: "in", value: [0.5] }] }, TOKYO)).toBeNull();
    expect(fromRuleTree({ all: [{ field: "pAlive", op: "lt", value: "half" }] }, TOKYO)).toBeNull();
    expect(fromRuleTree([], TOKYO)).toBeNull();
  });
});

describe("rule editing", () => {
  it("adds, nests and removes nodes", () => {
    const root = newGroup("all", []);
    const first = addCondition(root, root.id, "decile");
    const group = addGroup(root, root.id);
    expect(group?.match).toBe("any");
    expect(group?.children).toHaveLength(1);
    removeNode(root, first?.id ?? "");
    expect(root.children.map((c) => c.type)).toEqual(["group"]);
  });

  it("keeps the value that still fits when the operator changes, and resets when the field changes", () => {
    const c = cond({ field: "rfmSegment", op: "eq", text: "at_risk" });
    const root = newGroup("all", [c]);
    setOp(root, c.id, "in");
    expect(c.list).toEqual(["at_risk"]);
    setOp(root, c.id, "neq");
    expect(c.text).toBe("at_risk");
    setField(root, c.id, "pAlive");
    expect(c).toMatchObject({ field: "pAlive", op: "lt", num: null, list: [], text: "" });
  });

  it("stops nesting before the API's depth limit", () => {
    expect(canNest(MAX_DEPTH - 2)).toBe(true);
    expect(canNest(MAX_DEPTH - 1)).toBe(false);
    let group = newGroup("all", [newCondition()]);
    const root = group;
    let depth = 1;
    while (canNest(depth)) {
      const next = addGroup(root, group.id);
      if (!next) break;
      group = next;
      depth += 1;
    }
    expect(depth).toBe(MAX_DEPTH - 1);
    expect(validateRule(root).filter((p) => p.code === "valueRequired")).toHaveLength(MAX_DEPTH - 1);
    expect(validateRule(root).some((p) => p.code === "tooDeep")).toBe(false);
    group.negate = true;
    expect(validateRule(root).some((p) => p.code === "tooDeep")).toBe(true);
  });
});

describe("rule validation", () => {
  it("names each incomplete or impossible condition", () => {
    const a = cond({ field: "pAlive", op: "lt", num: null });
    const b = cond({ field: "decile", op: "between", num: 5, num2: 2 });
    const c = cond({ field: "rScore", op: "gte", num: 7 });
    const d = cond({ field: "prefecture", op: "in", list: [] });
    const e = cond({ field: "recencyDays", op: "in", list: ["30", "x"] });
    const f = cond({ field: "acquiredAt", op: "gte", date: "2024-02-30" });
    const empty = newGroup("any", []);
    const root = newGroup("all", [a, b, c, d, e, f, empty]);
    const byId = new Map(validateRule(root).map((p) => [p.id, p.code]));
    expect(Object.fromEntries([a, b, c, d, e, f, empty].map((n) => [n.id, byId.get(n.id)]))).toEqual({
      [a.id]: "valueRequired",
      [b.id]: "lowAboveHigh",
      [c.id]: "aboveMax",
      [d.id]: "listEmpty",
      [e.id]: "valueRequired",
      [f.id]: "invalidDate",
      [empty.id]: "emptyGroup",
    });
  });

  it("accepts a complete rule", () => {
    const root = newGroup("all", [cond({ field: "pAlive", op: "lt", num: 50 }), cond({ field: "predictedClv", op: "gte", num: 10000 })]);
    expect(validateRule(root)).toEqual([]);
  });
});

describe("API problems on builder nodes", () => {
  it("puts each problem on the deepest node its path names, the rest on the root", () => {
    const a = cond({ field: "pAlive", op: "lt", num: 50 });
    const b = cond({ field: "predictedClv", op: "gte", num: 1 });
    const inner = newGroup("any", [b]);
    const root = newGroup("all", [a, inner]);
    const { paths } = toRuleTree(root, TOKYO);
    const placed = problemsByNode(
      [
        { path: "definition.all[1].any[0].value", message: "expected a number" },
        { path: "definition.all[0]", message: "bad" },
        { path: "definition.all[10]", message: "elsewhere" },
        { path: "name", message: "unrelated" },
      ],
      paths,
      root.id,
    );
    expect(placed.get(b.id)).toEqual(["expected a number"]);
    expect(placed.get(a.id)).toEqual(["bad"]);
    // all[10] must not match all[1]: the next character has to end the path segment.
    expect(placed.get(inner.id)).toBeUndefined();
    expect(placed.get(root.id)).toEqual(["elsewhere", "unrelated"]);
  });
});

describe("rule sentence", () => {
  it("reads nested groups with brackets and NOT", () => {
    const inner = newGroup("any", [cond({ field: "rScore", op: "eq", num: 1 }), cond({ field: "fScore", op: "eq", num: 1 })]);
    const excluded = newGroup("all", [cond({ field: "lineOptIn", op: "eq", flag: false })]);
    excluded.negate = true;
    const root = newGroup("all", [cond({ field: "pAlive", op: "lt", num: 50 }), inner, excluded]);
    const words = { condition: (c: RuleCondition) => `${c.field} ${c.op} ${c.num ?? String(c.flag)}`, and: "AND", or: "OR", not: "NOT" };
    expect(describeRule(root, words)).toBe("pAlive lt 50 AND (rScore eq 1 OR fScore eq 1) AND NOT (lineOptIn eq false)");
  });
});

describe("segment migration", () => {
  const transitions: Transition[] = [
    { from: "lost", to: "lost", customers: 600, revenue: 0 },
    { from: "champions", to: "champions", customers: 200, revenue: 900 },
    { from: null, to: "new", customers: 80, revenue: 120 },
    { from: "champions", to: "at_risk", customers: 50, revenue: 0 },
    { from: "at_risk", to: null, customers: 5, revenue: -10 },
  ];
  const label = (key: string | null, side: "from" | "to") => `${key ?? "none"}@${side}`;

  it("gives each side its own node names, in the RFM map's order", () => {
    const data = buildSankey(transitions, "customers", label, () => "#000");
    expect(data.nodes.map((n) => n.name)).toEqual(["from:∅", "from:champions", "from:at_risk", "from:lost", "to:champions", "to:new", "to:at_risk", "to:lost", "to:∅"]);
    expect(new Set(data.nodes.map((n) => n.name)).size).toBe(data.nodes.length);
    expect(data.nodes.find((n) => n.name === "from:champions")?.value).toBe(250);
    expect(data.links.every((l) => l.source.startsWith("from:") && l.target.startsWith("to:"))).toBe(true);
    expect(data.hidden).toBe(0);
  });

  it("by revenue drops transitions without revenue and the nodes they leave empty", () => {
    const data = buildSankey(transitions, "revenue", label, () => "#000");
    expect(data.links.map((l) => `${l.source}>${l.target}=${l.value}`)).toEqual(["from:∅>to:new=120", "from:champions>to:champions=900"]);
    expect(data.nodes.map((n) => n.name)).toEqual(["from:∅", "from:champions", "to:champions", "to:new"]);
    expect(data.hidden).toBe(3);
  });

  it("summarises who stayed, moved, entered and left", () => {
    expect(summarizeMigration(transitions)).toEqual({ tracked: 850, stayed: 800, moved: 50, entered: 80, left: 5, revenue: 1010 });
    const rows = transitionRows(transitions);
    expect(rows[0]).toMatchObject({ from: "lost", isSame: true, shareOfFrom: 1 });
    expect(rows.find((r) => r.to === "at_risk")?.shareOfFrom).toBeCloseTo(0.2);
  });

  it("compares the two latest succeeded snapshots by default", () => {
    const snapshots = [
      { id: "3", asOf: "2024-06-01T00:00:00Z", status: "FAILED" },
      { id: "2", asOf: "2024-05-01T00:00:00Z", status: "SUCCEEDED" },
      { id: "1", asOf: "2024-02-01T00:00:00Z", status: "SUCCEEDED" },
    ];
    expect(defaultPair(snapshots)).toEqual({ from: "1", to: "2" });
    expect(defaultPair(snapshots.slice(0, 2))).toBeNull();
  });
});

describe("deciles", () => {
  it("reads the top 10% and 20% shares from the cumulative column", () => {
    const rows = [
      { decile: 1, cumulativeShare: 0.42 },
      { decile: 2, cumulativeShare: 0.61 },
    ];
    expect(topShare(rows, 2)).toBe(0.61);
    expect(topShare(rows, 3)).toBeNull();
  });
});
