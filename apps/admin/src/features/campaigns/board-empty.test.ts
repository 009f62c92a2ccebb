import { describe, expect, it } from "vitest";
import { NavNoticesQuery } from "../notices/notices.graphql.ts";
import { boardEmpty } from "./board-empty.ts";
import { CAMPAIGN_ACTION_REFETCH } from "./composables/use-campaign-actions.ts";

describe("the empty campaign board", () => {
  it("says the review queue is empty, not that there are no campaigns", () => {
    expect(boardEmpty(["CHECKED"], 0, 0)).toBe("queueEmpty");
  });
  it("says no campaign has the statuses a filtered board asks for", () => {
    expect(boardEmpty(["RUNNING", "MEASURING"], 0, 0)).toBe("noneInStatus");
  });
  it("says there are no campaigns yet only on the unfiltered board", () => {
    expect(boardEmpty([], 0, 0)).toBe("none");
    expect(boardEmpty(undefined, 0, 0)).toBe("none");
  });
  it("tells a search that matched nothing apart, and shows cards when there are some", () => {
    expect(boardEmpty(["CHECKED"], 3, 0)).toBe("noMatch");
    expect(boardEmpty(["CHECKED"], 3, 1)).toBeNull();
  });
});

describe("after a campaign transition", () => {
  it("refetches the navigation's counts, so the review badge drops after a decision", () => {
    const def = NavNoticesQuery.definitions[0];
    const name = def?.kind === "OperationDefinition" ? def.name?.value : undefined;
    expect(name).toBe("NavNotices");
    expect(CAMPAIGN_ACTION_REFETCH).toContain(name);
  });
});
