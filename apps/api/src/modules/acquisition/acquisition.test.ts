// Acquisition economics on a small hand-made data set whose every figure was worked out by hand
// (below), over GraphQL as an analyst reads it.
import { testDatabaseKinds } from "@ltvloop/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, type TestApi } from "../../testing/api.ts";
import { importCustomers } from "../import/customers-import.service.ts";
import { importOrders } from "../import/orders-import.service.ts";

// Settings: Asia/Tokyo, default margin 0.3. No snapshot, so predicted CLV is 0 and LTV = realised.
//
// ads (per-customer cost 1000 each), acquired January 2024 (JST):
//   a1: 2024-01-10 2000 (default margin → 600); 2024-03-01 00:30 JST 5000 at margin 0.5 → 2500.
//       That order is 29 February in UTC: month 2 in JST, month 1 in UTC.
//   a2: 2024-01-20 1000 → 300; 2025-01-15 100 → 30 (month 12: retained).
//   a3: 2024-01-31 1000 → 300 (month 0); a refunded order that does not count.
//   Curve (mean per customer, CAC 1000): m0 (600+300+300)/3 = 400, m1 400, m2 (1200+2500)/3 = 1233.3 > 1000 → payback month 2.
//   Realised 600 + 2500 + 300 + 30 + 300 = 3730; LTV/CAC 3730/3000; repeat 2/3 (a1, a2); 12-month retention 1/3.
// social (no per-customer cost; spend 2024-02: 900), acquired February 2024:
//   b1 (no cost → 900/2 = 450): 2024-02-02 1000 → 300.   b2 (no cost → 450): no orders.
//   b3 (own cost 50 wins): 2024-02-03 500 → 150.          Spend 2024-03 (600) has no customers.
//   CAC 950, realised 450, never paid back (450/3 = 150 < 316.7), repeat 0.
// (no channel) u1: no acquired_at; first order 2024-05-01 2000 → 600; CAC 0 (cost unknown) → pays back in month 0.
const CUSTOMERS = `external_id,acquisition_channel,acquisition_cost,acquired_at
a1,ads,1000,2024-01-10 10:00
a2,ads,1000,2024-01-20 10:00
a3,ads,1000,2024-01-31 20:00
b1,social,,2024-02-02 09:00
b2,social,,2024-02-15 09:00
b3,social,50,2024-02-03 09:00
u1,,,
`;
const ORDERS = `external_id,customer_external_id,ordered_at,amount,gross_margin,status
o1,a1,2024-01-10 10:00,2000,,completed
o2,a1,2024-03-01 00:30,5000,0.5,completed
o3,a2,2024-01-20 10:00,1000,,completed
o4,a2,2025-01-15 12:00,100,,completed
o5,a3,2024-01-31 20:00,1000,,completed
o6,a3,2024-02-10 12:00,9999,,refunded
o7,b1,2024-02-02 09:00,1000,,completed
o8,b3,2024-02-03 09:00,500,,completed
o9,u1,2024-05-01 12:00,2000,,completed
`;
const SPEND = `channel,month,amount
social,2024-02,900
social,2024-03,600
`;

interface Group {
  channel: string | null;
  isUnknownChannel: boolean;
  cohort: string | null;
  customers: number;
  customersWithoutCost: number;
  totalCac: number;
  meanCac: number;
  realisedGrossProfit: number;
  predictedClv: number;
  ltv: number;
  ltvToCac: number | null;
  ltvToCacInterval: { lower: number; upper: number } | null;
  paybackMonth: number | null;
  projectedPaybackMonth: number | null;
  repeatRate: number;
  retention12m: number | null;
  curve: { monthsSince: number; customers: number; cumulativeGrossProfitPerCustomer: number; cacPerCustomer: number }[];
}

const QUERY = `query($g: AcquisitionGroupBy!, $u: CohortUnit!, $from: DateTimeISO, $to: DateTimeISO) {
  acquisitionEconomics(groupBy: $g, cohortUnit: $u, from: $from, to: $to) {
    snapshotId defaultMargin timeZone
    groups { channel isUnknownChannel cohort customers customersWithoutCost totalCac meanCac realisedGrossProfit predictedClv ltv ltvToCac
             ltvToCacInterval { lower upper } paybackMonth projectedPaybackMonth repeatRate retention12m
             curve { monthsSince customers cumulativeGrossProfitPerCustomer cacPerCustomer } }
  }
}`;

describe.each(testDatabaseKinds())("acquisition economics on %s", (kind) => {
  let api: TestApi;
  let cookie: string;
  const economics = async (groupBy: string, cohortUnit = "MONTH", range: { from?: string; to?: string } = {}) => {
    const res = await api.gql<{ acquisitionEconomics: { snapshotId: string | null; groups: Group[] } }>(QUERY, { g: groupBy, u: cohortUnit, ...range }, { cookie });
    expect(res.errors).toBeUndefined();
    return res.data!.acquisitionEconomics;
  };

  beforeAll(async () => {
    api = await createTestApi(kind);
    cookie = await api.loginAs("analyst");
    await importCustomers({ handle: api.db, source: CUSTOMERS, label: "customers.csv" });
    await importOrders({ handle: api.db, source: ORDERS, label: "orders.csv" });
    const operator = await api.loginAs("operator");
    const imported = await api.gql(`mutation($csv: String!) { importChannelSpend(csv: $csv) { inserted } }`, { csv: SPEND }, { cookie: operator });
    expect(imported.errors).toBeUndefined();
  });

  afterAll(async () => {
    await api.close();
  });

  it("computes CAC, realised gross profit, LTV/CAC, payback, repeat and retention per channel exactly", async () => {
    const result = await economics("CHANNEL");
    expect(result.snapshotId).toBeNull();
    expect(result.groups.map((g) => g.channel)).toEqual(["ads", "social", null]);
    const [ads, social, unknown] = result.groups as [Group, Group, Group];

    expect(ads).toMatchObject({ customers: 3, customersWithoutCost: 0, totalCac: 3000, meanCac: 1000, predictedClv: 0, paybackMonth: 2, projectedPaybackMonth: null });
    expect(ads.realisedGrossProfit).toBeCloseTo(3730, 6);
    expect(ads.ltv).toBeCloseTo(3730, 6);
    expect(ads.ltvToCac).toBeCloseTo(3730 / 3000, 9);
    expect(ads.repeatRate).toBeCloseTo(2 / 3, 9);
    expect(ads.retention12m).toBeCloseTo(1 / 3, 9);
    expect(ads.curve.slice(0, 3).map((p) => [p.monthsSince, p.customers, Math.round(p.cumulativeGrossProfitPerCustomer * 100) / 100, p.cacPerCustomer])).toEqual([
      [0, 3, 400, 1000],
      [1, 3, 400, 1000],
      [2, 3, 1233.33, 1000],
    ]);
    expect(ads.curve[12]?.cumulativeGrossProfitPerCustomer).toBeCloseTo(3730 / 3, 6);

    expect(social).toMatchObject({ customers: 3, customersWithoutCost: 0, paybackMonth: null, projectedPaybackMonth: null, repeatRate: 0, retention12m: 0 });
    expect(social.totalCac).toBeCloseTo(950, 9);
    expect(social.realisedGrossProfit).toBeCloseTo(450, 6);
    expect(social.ltvToCac).toBeCloseTo(450 / 950, 9);
    expect(social.curve[0]?.cacPerCustomer).toBeCloseTo(950 / 3, 9);

    expect(unknown).toMatchObject({ isUnknownChannel: true, customers: 1, customersWithoutCost: 1, totalCac: 0, ltvToCac: null, ltvToCacInterval: null, paybackMonth: 0 });
    expect(unknown.realisedGrossProfit).toBeCloseTo(600, 6);
  });

  it("gives a repeatable bootstrap interval around LTV/CAC", async () => {
    const [first, second] = [await economics("CHANNEL"), await economics("CHANNEL")];
    const ads = first.groups[0]!;
    expect(ads.ltvToCacInterval).toEqual(second.groups[0]!.ltvToCacInterval);
    expect(ads.ltvToCacInterval!.lower).toBeLessThanOrEqual(ads.ltvToCac!);
    expect(ads.ltvToCacInterval!.upper).toBeGreaterThanOrEqual(ads.ltvToCac!);
    // Per-customer LTV/CAC of ads are 3.1, 0.33 and 0.3 (equal CACs): the interval stays within them.
    expect(ads.ltvToCacInterval!.lower).toBeGreaterThanOrEqual(0.3 - 1e-9);
    expect(ads.ltvToCacInterval!.upper).toBeLessThanOrEqual(3.1 + 1e-9);
  });

  it("groups by month and quarter cohorts in the business time zone, and by channel and cohort", async () => {
    const months = await economics("COHORT");
    expect(months.groups.map((g) => [g.cohort, g.customers, g.channel])).toEqual([
      ["2024-01", 3, null],
      ["2024-02", 3, null],
      ["2024-05", 1, null],
    ]);
    expect(months.groups.every((g) => !g.isUnknownChannel)).toBe(true);
    const quarters = await economics("COHORT", "QUARTER");
    expect(quarters.groups.map((g) => [g.cohort, g.customers])).toEqual([
      ["2024-Q1", 6],
      ["2024-Q2", 1],
    ]);
    expect(quarters.groups[0]!.totalCac).toBeCloseTo(3950, 9);
    const both = await economics("CHANNEL_COHORT");
    expect(both.groups.map((g) => [g.channel, g.cohort, g.customers])).toEqual([
      ["ads", "2024-01", 3],
      ["social", "2024-02", 3],
      [null, "2024-05", 1],
    ]);
    expect(both.groups[0]!.paybackMonth).toBe(2);
  });

  it("limits customers to the acquisition range [from, to)", async () => {
    const result = await economics("CHANNEL", "MONTH", { from: "2024-01-15T00:00:00+09:00", to: "2024-02-03T09:00:00+09:00" });
    expect(result.groups.map((g) => [g.channel, g.customers])).toEqual([
      ["ads", 2],
      ["social", 1],
    ]);
    // b1 alone in range still carries its share of February's spend among b1 and b2.
    expect(result.groups[1]!.totalCac).toBeCloseTo(450, 9);
    const bad = await api.gql(QUERY, { g: "CHANNEL", u: "MONTH", from: "2024-02-01T00:00:00Z", to: "2024-01-01T00:00:00Z" }, { cookie });
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("counts a customer with neither cost nor spend as cost unknown, and spend changes re-price the month", async () => {
    const operator = await api.loginAs("operator");
    // Tab-separated text (a sheet copied from Excel) is read like the same rows with commas, and the result says so.
    const tabs = await api.gql(`mutation($csv: String!) { importChannelSpend(csv: $csv) { updated delimiter } }`, { csv: "channel\tmonth\tamount\nsocial\t2024-02\t300\n" }, { cookie: operator });
    expect(tabs.data).toEqual({ importChannelSpend: { updated: 1, delimiter: "TAB" } });
    const social = (await economics("CHANNEL")).groups[1]!;
    expect(social.totalCac).toBeCloseTo(350, 9);
    const commas = await api.gql(`mutation($csv: String!) { importChannelSpend(csv: $csv) { updated delimiter } }`, { csv: SPEND }, { cookie: operator });
    expect(commas.data).toEqual({ importChannelSpend: { updated: 1, delimiter: "COMMA" } });
    expect((await economics("CHANNEL")).groups[1]!.totalCac).toBeCloseTo(950, 9);
  });

  it("puts the measured campaigns next to the channels in retentionVsAcquisition", async () => {
    const res = await api.gql<{
      retentionVsAcquisition: { budget: number; rows: { kind: string; key: string; grossProfitPerYen: number | null; grossProfitForBudget: number | null; assumptions: { code: string; parameters: { key: string; value: string }[] }[] }[] };
    }>(`{ retentionVsAcquisition(budget: 100000) { budget rows { kind key grossProfitPerYen grossProfitForBudget assumptions { code parameters { key value } } } } }`, {}, { cookie });
    expect(res.errors).toBeUndefined();
    const rows = res.data!.retentionVsAcquisition.rows;
    expect(rows.map((r) => r.key)).toEqual(["ads", "social", ""]);
    expect(rows[0]!.grossProfitPerYen).toBeCloseTo(3730 / 3000, 9);
    expect(rows[0]!.grossProfitForBudget).toBeCloseTo((100000 * 3730) / 3000, 6);
    expect(rows[0]!.assumptions.map((a) => a.code)).toEqual(["CHANNEL_LTV", "INTERVAL_BOOTSTRAP", "CONSTANT_RETURNS"]);
    expect(rows[2]!.assumptions.find((a) => a.code === "UNKNOWN_COST_AS_ZERO")?.parameters).toEqual([{ key: "customers", value: "1" }]);
  });

  it("lets every signed-in role read and only admins and operators import spend", async () => {
    for (const role of ["admin", "operator", "analyst", "reviewer"] as const) {
      const res = await api.gql(`{ acquisitionEconomics { groups { customers } } channelSpend { channel month amount } }`, {}, { cookie: await api.loginAs(role) });
      expect(res.errors, role).toBeUndefined();
    }
    const anonymous = await api.gql(`{ acquisitionEconomics { groups { customers } } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    for (const role of ["analyst", "reviewer"] as const) {
      const res = await api.gql(`mutation { importChannelSpend(csv: "channel,month,amount\\nads,2024-01,1\\n") { inserted } }`, {}, { cookie: await api.loginAs(role) });
      expect(res.errors?.[0]?.extensions?.code, role).toBe("FORBIDDEN");
    }
    const list = await api.gql<{ channelSpend: { channel: string; month: string; amount: number }[] }>(`{ channelSpend { channel month amount } }`, {}, { cookie });
    expect(list.data!.channelSpend).toEqual([
      { channel: "social", month: "2024-02", amount: 900 },
      { channel: "social", month: "2024-03", amount: 600 },
    ]);
  });
});
