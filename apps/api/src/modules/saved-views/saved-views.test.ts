// Saved views are per user: saved, listed by name, replaced under the same name, deleted only by
// their owner, and validated before anything is written.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";

const SAVE = `mutation($input: SaveViewInput!) { saveView(input: $input) { id list name query } }`;
const LIST = `query($list: SavedViewList!) { savedViews(list: $list) { id name query } }`;
const DELETE = `mutation($id: ID!) { deleteSavedView(id: $id) }`;

describe.each(testDatabaseKinds())("saved views on %s", (kind) => {
  let api: TestApi;
  let analyst: string;
  let reviewer: string;
  beforeAll(async () => {
    api = await createTestApi(kind);
    analyst = await api.loginAs("analyst");
    reviewer = await api.loginAs("reviewer");
  });
  afterAll(async () => {
    await api.close();
  });

  it("saves, lists by name, replaces under the same name and keeps each user's views apart", async () => {
    const a = await api.gql<{ saveView: { id: string; query: string } }>(SAVE, { input: { list: "CUSTOMERS", name: "東京の離反予備軍", query: "?q=%E7%94%B0&seg=at_risk" } }, { cookie: analyst });
    expect(a.errors).toBeUndefined();
    expect(a.data?.saveView.query).toBe("q=%E7%94%B0&seg=at_risk");
    await api.gql(SAVE, { input: { list: "CUSTOMERS", name: "A first", query: "dmin=1" } }, { cookie: analyst });
    const again = await api.gql<{ saveView: { id: string } }>(SAVE, { input: { list: "CUSTOMERS", name: "東京の離反予備軍", query: "seg=lost" } }, { cookie: analyst });
    expect(again.data?.saveView.id).toBe(a.data?.saveView.id);
    await api.gql(SAVE, { input: { list: "CAMPAIGNS", name: "board", query: "q=spring" } }, { cookie: analyst });

    const mine = await api.gql<{ savedViews: { name: string; query: string }[] }>(LIST, { list: "CUSTOMERS" }, { cookie: analyst });
    expect(mine.data?.savedViews).toEqual([
      expect.objectContaining({ name: "A first", query: "dmin=1" }),
      expect.objectContaining({ name: "東京の離反予備軍", query: "seg=lost" }),
    ]);
    const theirs = await api.gql<{ savedViews: unknown[] }>(LIST, { list: "CUSTOMERS" }, { cookie: reviewer });
    expect(theirs.data?.savedViews).toEqual([]);

    // Another user's view is not found, and stays.
    const stolen = await api.gql(DELETE, { id: a.data?.saveView.id }, { cookie: reviewer });
    expect(stolen.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const gone = await api.gql<{ deleteSavedView: string }>(DELETE, { id: a.data?.saveView.id }, { cookie: analyst });
    expect(gone.data?.deleteSavedView).toBe(a.data?.saveView.id);
    const after = await api.gql<{ savedViews: { name: string }[] }>(LIST, { list: "CUSTOMERS" }, { cookie: analyst });
    expect(after.data?.savedViews.map((v) => v.name)).toEqual(["A first"]);
  });

  it("refuses an empty or overlong name and an overlong query, saving nothing", async () => {
    const empty = await api.gql(SAVE, { input: { list: "CUSTOMERS", name: "  ", query: "" } }, { cookie: reviewer });
    expect(empty.errors?.[0]?.extensions?.problems).toEqual([expect.objectContaining({ path: "name" })]);
    const long = await api.gql(SAVE, { input: { list: "CUSTOMERS", name: "x".repeat(81), query: `q=${"y".repeat(2100)}` } }, { cookie: reviewer });
    expect((long.errors?.[0]?.extensions?.problems ?? []).map((p) => p.path)).toEqual(["name", "query"]);
    expect(await api.db.query("select 1 from saved_views s join users u on u.id = s.user_id where u.role = 'reviewer'")).toHaveLength(0);
  });

  it("needs a sign-in", async () => {
    const res = await api.gql(LIST, { list: "CUSTOMERS" });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
