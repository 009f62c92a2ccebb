import { describe, expect, it } from "vitest";
import { applyForm, emptyState, filterFromState, formFromState, formProblems, queryFromState, stateFromQuery } from "./list-state.ts";

describe("customer list state in the URL", () => {
  it("round-trips search, filters, sort and page cursors through the query string", () => {
    const state = { ...emptyState(), search: "山田", rfmSegments: ["loyal", "at_risk"], prefectures: ["東京都"], decileMin: 2, decileMax: 5, pAliveMin: 0.3, sort: "REVENUE" as const, direction: "ASC" as const, cursors: ["abc", "def"] };
    const query = queryFromState(state);
    expect(query).toEqual({ q: "山田", seg: ["loyal", "at_risk"], pref: ["東京都"], dmin: "2", dmax: "5", pmin: "0.3", sort: "REVENUE", dir: "ASC", after: ["abc", "def"] });
    expect(stateFromQuery(query)).toEqual(state);
  });

  it("leaves defaults out, so the plain list has a plain URL", () => {
    expect(queryFromState(emptyState())).toEqual({});
    expect(stateFromQuery({})).toEqual(emptyState());
  });

  it("reads a single value as a one-item list and drops malformed values", () => {
    const s = stateFromQuery({ seg: "loyal", dmin: "11", pmax: "x", sort: "DROP TABLE", dir: "sideways", after: "" });
    expect(s.rfmSegments).toEqual(["loyal"]);
    expect(s.decileMin).toBeNull();
    expect(s.pAliveMax).toBeNull();
    expect(s.sort).toBe("PREDICTED_CLV");
    expect(s.direction).toBe("DESC");
    expect(s.cursors).toEqual([]);
  });

  it("turns the state into the API filter without empty parts", () => {
    expect(filterFromState({ ...emptyState(), search: "  C0001 ", decileMax: 3 })).toEqual({ search: "C0001", decileMax: 3 });
  });

  it("catches a minimum above its maximum before asking the server", () => {
    expect(formProblems({ decileMin: 8, decileMax: 3, pAliveMinPct: 20, pAliveMaxPct: 50 })).toEqual([{ kind: "order", field: "decile", min: 8, max: 3 }]);
    expect(formProblems({ decileMin: 3, decileMax: 3, pAliveMinPct: null, pAliveMaxPct: 50 })).toEqual([]);
    expect(formProblems({ decileMin: null, decileMax: null, pAliveMinPct: 60, pAliveMaxPct: 40 })).toEqual([{ kind: "order", field: "pAlive", min: 60, max: 40 }]);
  });
});

describe("the filter form", () => {
  it("shows P(alive) in percent, as the table does, and gives the API the 0–1 probability", () => {
    const state = stateFromQuery({ pmin: "0.07", pmax: "0.9", dmin: "2" });
    const form = formFromState(state);
    expect(form.pAliveMinPct).toBe(7);
    expect(form.pAliveMaxPct).toBe(90);
    expect(form.decileMin).toBe(2);
    const applied = applyForm({ ...state, cursors: ["abc"] }, { ...form, pAliveMinPct: 33.3, pAliveMaxPct: 100 });
    expect(applied.pAliveMin).toBe(0.333);
    expect(applied.pAliveMax).toBe(1);
    expect(applied.cursors).toEqual([]);
    expect(filterFromState(applied)).toMatchObject({ pAliveMin: 0.333, pAliveMax: 1, decileMin: 2 });
    expect(queryFromState(applied)).toMatchObject({ pmin: "0.333", pmax: "1" });
  });

  it("refuses a percentage outside 0–100 with a message instead of turning 150 into 1", () => {
    expect(formProblems({ decileMin: null, decileMax: null, pAliveMinPct: null, pAliveMaxPct: 150 })).toEqual([{ kind: "bounds", field: "pAlive", value: 150, lo: 0, hi: 100 }]);
    expect(formProblems({ decileMin: null, decileMax: null, pAliveMinPct: -5, pAliveMaxPct: 150 })).toHaveLength(2);
    // Out of bounds is the one problem told, not also "minimum above maximum".
    expect(formProblems({ decileMin: null, decileMax: null, pAliveMinPct: 150, pAliveMaxPct: 50 })).toEqual([{ kind: "bounds", field: "pAlive", value: 150, lo: 0, hi: 100 }]);
    expect(formProblems({ decileMin: null, decileMax: null, pAliveMinPct: 0, pAliveMaxPct: 100 })).toEqual([]);
  });

  it("is cleared to empty inputs with no problem left, whatever was typed", () => {
    const cleared = formFromState(emptyState());
    expect(cleared).toEqual({ search: "", rfmSegments: [], prefectures: [], decileMin: null, decileMax: null, pAliveMinPct: null, pAliveMaxPct: null });
    expect(formProblems(cleared)).toEqual([]);
  });
});
