import { describe, expect, it } from "vitest";
import { routeQueryFromView, sameView, viewQueryFromRoute } from "./view-query.ts";

describe("saved view queries", () => {
  it("stores filters without page cursors, keys sorted, lists repeated", () => {
    expect(viewQueryFromRoute({ seg: ["at_risk", "lost"], q: "田", after: ["c1"], dmin: "2" })).toBe("dmin=2&q=%E7%94%B0&seg=at_risk&seg=lost");
  });

  it("turns stored text back into the route query", () => {
    expect(routeQueryFromView("dmin=2&q=%E7%94%B0&seg=at_risk&seg=lost")).toEqual({ dmin: "2", q: "田", seg: ["at_risk", "lost"] });
    expect(routeQueryFromView("")).toEqual({});
  });

  it("compares views whatever the key order", () => {
    expect(sameView("q=a&seg=lost", "seg=lost&q=a")).toBe(true);
    expect(sameView("q=a", "q=b")).toBe(false);
  });
});
