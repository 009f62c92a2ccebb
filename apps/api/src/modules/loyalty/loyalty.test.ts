// The loyalty API over HTTP: the role matrix (admins edit rules and record entries, the other
// roles read), audited writes, the CSV import's line-numbered errors and its replay.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { importCustomers } from "../import/customers-import.service.ts";
import { importOrders } from "../import/orders-import.service.ts";

const SETTINGS = `{ loyaltySettings { pointsProgramme { name } pointRules { earnRate expiryMode expiryDays pointValue isCurrent channelMultipliers { key multiplier } } stampRules { cardSize rewardLabel } } }`;
const ADD_RULE = `mutation($input: LoyaltyPointRuleInput!) { addLoyaltyPointRule(input: $input) { pointRules { earnRate isCurrent } } }`;
const RECORD = `mutation($input: LoyaltyEntryInput!) { recordLoyaltyEntry(input: $input) { points balance isReplay } }`;
const IMPORT = `mutation($csv: String!) { importLoyaltyEntries(csv: $csv, fileName: "r.csv") { rowsRead recorded unchanged } }`;

describe.each(testDatabaseKinds())("loyalty API (%s)", (kind) => {
  let api: TestApi;
  let admin: string;
  let customerId: string;
  beforeAll(async () => {
    api = await createTestApi(kind);
    admin = await api.loginAs("admin");
    await importCustomers({ handle: api.db, source: "external_id\nk1\nk2\n", label: "c.csv" });
  }, 60_000);
  afterAll(() => api?.close());

  it("lets admins add rules and nobody else; every role reads", async () => {
    const input = {
      effectiveFrom: new Date(Date.now() + 1000).toISOString(),
      earnRate: 0.01,
      expiryMode: "ROLLING",
      expiryDays: 365,
      pointValue: 1,
      channelMultipliers: [{ key: "app", multiplier: 2 }],
    };
    for (const role of ["operator", "analyst", "reviewer"] as const) {
      const res = await api.gql(ADD_RULE, { input }, { cookie: await api.loginAs(role) });
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const read = await api.gql(SETTINGS, {}, { cookie: await api.loginAs(role) });
      expect(read.errors).toBeUndefined();
    }
    const bad = await api.gql(ADD_RULE, { input: { ...input, effectiveFrom: "2020-01-01T00:00:00Z", expiryDays: null } }, { cookie: admin });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.errors?.[0]?.extensions?.problems?.map((p) => p.path).sort()).toEqual(["effectiveFrom", "expiryDays"]);
    const ok = await api.gql(ADD_RULE, { input }, { cookie: admin });
    expect(ok.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1100));
    const read = await api.gql<{ loyaltySettings: { pointRules: { isCurrent: boolean; channelMultipliers: unknown[] }[] } }>(SETTINGS, {}, { cookie: admin });
    expect(read.data?.loyaltySettings.pointRules).toMatchObject([{ isCurrent: true, channelMultipliers: [{ key: "app", multiplier: 2 }] }]);
    const [audit] = await api.db.query<{ n: number }>("select count(*)::int as n from audit_log where operation = 'loyalty.pointRule.add'");
    expect(audit?.n).toBe(1);
  });

  it("earns on imported orders and records audited redemptions that cannot overdraw", async () => {
    await importOrders({ handle: api.db, source: `external_id,customer_external_id,ordered_at,amount,channel\nq1,k1,${new Date(Date.now() - 10).toISOString()},5000,app\n`, label: "o.csv" });
    const [row] = await api.db.query<{ id: string }>("select id::text from customers where external_id = 'k1'");
    customerId = row!.id;
    const read = await api.gql<{ customerLoyalty: { balance: number; entries: { kind: string; points: number }[] } }>(
      `query($id: ID!) { customerLoyalty(customerId: $id) { balance entries { kind points } } }`,
      { id: customerId },
      { cookie: await api.loginAs("reviewer") },
    );
    expect(read.data?.customerLoyalty).toEqual({ balance: 100, entries: [{ kind: "earn", points: 100 }] });
    const forbidden = await api.gql(RECORD, { input: { customerId, kind: "REDEEM", points: 10, entryId: "e1" } }, { cookie: await api.loginAs("operator") });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const over = await api.gql(RECORD, { input: { customerId, kind: "REDEEM", points: 101, entryId: "e1" } }, { cookie: admin });
    expect(over.errors?.[0]?.message).toMatch(/has 100 points/);
    const ok = await api.gql(RECORD, { input: { customerId, kind: "REDEEM", points: 60, entryId: "e1", note: "coupon" } }, { cookie: admin });
    expect(ok.data).toEqual({ recordLoyaltyEntry: { points: -60, balance: 40, isReplay: false } });
    const again = await api.gql(RECORD, { input: { customerId, kind: "REDEEM", points: 60, entryId: "e1" } }, { cookie: admin });
    expect(again.data).toEqual({ recordLoyaltyEntry: { points: -60, balance: 40, isReplay: true } });
    const [audit] = await api.db.query<{ n: number }>("select count(*)::int as n from audit_log where operation = 'loyalty.redeem'");
    expect(audit?.n).toBe(1);
  });

  it("imports entries from CSV with line-numbered errors, all or none, and replays as a no-op", async () => {
    const bad = await api.gql(IMPORT, { csv: "customer_external_id,kind,points,entry_id\nk1,spend,10,a\nk1,redeem,x,b\nk1,redeem,5,\n" }, { cookie: admin });
    expect(bad.errors?.[0]?.extensions?.problems?.map((p) => p.path)).toEqual(["line 2, column kind", "line 3, column points", "line 4, column entry_id"]);
    expect(bad.errors?.[0]?.extensions?.problems).toMatchObject([
      { line: 2, column: "kind", reason: "BAD_CHOICE", params: { column: "kind", value: "spend", allowed: "redeem, adjust" } },
      { line: 3, column: "points", reason: "NOT_WHOLE_NUMBER", params: { value: "x" } },
      { line: 4, column: "entry_id", reason: "REQUIRED_VALUE", params: { column: "entry_id" } },
    ]);
    const overdraw = await api.gql(IMPORT, { csv: "customer_external_id,kind,points,entry_id\nk1,adjust,10,a\nk1,redeem,60,b\n" }, { cookie: admin });
    expect(overdraw.errors?.[0]?.extensions?.problems).toMatchObject([
      { path: "line 3, column points", line: 3, column: "points", reason: "BALANCE_TOO_LOW", params: { value: "k1", balance: 50, points: 60 } },
    ]);
    const signs = await api.gql(IMPORT, { csv: "customer_external_id,kind,points,entry_id\nk1,redeem,-5,c\nk1,adjust,0,d\n" }, { cookie: admin });
    expect(signs.errors?.[0]?.extensions?.problems).toMatchObject([
      { line: 2, column: "points", reason: "REDEEM_NOT_POSITIVE", params: { value: -5 } },
      { line: 3, column: "points", reason: "ADJUST_ZERO" },
    ]);
    const [count] = await api.db.query<{ n: number }>("select count(*)::int as n from loyalty_point_entries");
    expect(count?.n).toBe(2);
    const csv = "customer_external_id,kind,points,entry_id,note\nk1,adjust,10,a,apology\nk1,redeem,50,b,\n";
    expect((await api.gql(IMPORT, { csv }, { cookie: admin })).data).toEqual({ importLoyaltyEntries: { rowsRead: 2, recorded: 2, unchanged: 0 } });
    expect((await api.gql(IMPORT, { csv }, { cookie: admin })).data).toEqual({ importLoyaltyEntries: { rowsRead: 2, recorded: 0, unchanged: 2 } });
    // The same entries tab-separated (pasted from a sheet): the same rows, already recorded, and the result names the separator.
    const tabs = await api.gql(
      `mutation($csv: String!) { importLoyaltyEntries(csv: $csv, fileName: "r.txt") { rowsRead recorded unchanged delimiter } }`,
      { csv: csv.replaceAll(",", "\t") },
      { cookie: admin },
    );
    expect(tabs.data).toEqual({ importLoyaltyEntries: { rowsRead: 2, recorded: 0, unchanged: 2, delimiter: "TAB" } });
    const [balance] = await api.db.query<{ b: number }>("select sum(points)::int as b from loyalty_point_entries where customer_id = $1", [customerId]);
    expect(balance?.b).toBe(0);
  });

  it("serves the analysis to analysts", async () => {
    const res = await api.gql<{ loyaltyAnalysis: { totals: { outstandingPoints: number; liability: number; pointsRedeemed: number }; activityVsRepeatLabel: string } }>(
      `{ loyaltyAnalysis { totals { outstandingPoints liability pointsRedeemed } activityVsRepeatLabel liabilityOverTime { month liability } } }`,
      {},
      { cookie: await api.loginAs("analyst") },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.loyaltyAnalysis.totals).toEqual({ outstandingPoints: 0, liability: 0, pointsRedeemed: 110 });
    expect(res.data?.loyaltyAnalysis.activityVsRepeatLabel).toBe("DESCRIPTIVE_NOT_CAUSAL");
  });
});
