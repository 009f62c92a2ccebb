import { describe, expect, it } from "vitest";
import { emptyState, filterFromState, queryFromState, rangeProblems, stateFromQuery } from "./list-state.ts";

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
    expect(rangeProblems({ decileMin: 8, decileMax: 3, pAliveMin: 0.2, pAliveMax: 0.5 })).toEqual([{ field: "decile", min: 8, max: 3 }]);
    expect(rangeProblems({ decileMin: 3, decileMax: 3, pAliveMin: null, pAliveMax: 0.5 })).toEqual([]);
  });
});
